"""Runs FLAML 2.7.0's BlendSearch on the stall benchmark (issue #19) and records, per seed, the best value, its k,
the largest k tried and the cost spent in fixtures/flaml_stall.json; `bench-search --stall` runs our searchers on
the same objectives, budgets and seeds and compares.

    /work/.venv-search/bin/python bench/search/flaml_stall.py      # ~1 min; seeds 20..69

Objectives (objectives.py): the double well, a bowl with its minimum mid-range, a monotone power law (all over
k in [100, 20000], 30 trials), and three recorded loss-against-k curves of our size sweeps (the quick profile's
rule top k, 25 trials; the paper profile's rule top k and random k, 30 trials). Cost = k; low-cost start k_min.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flaml_parity as P  # noqa: E402  (silences FLAML and Optuna, defines run_once)
import objectives as O  # noqa: E402
import flaml  # noqa: E402
import optuna  # noqa: E402
from flaml import tune  # noqa: E402

_lo, _hi = (int(x) for x in os.environ.get("IMINE_STALL_SEEDS", "20:70").split(":"))
SEEDS = list(range(_lo, _hi))


def problems():
    out = {
        "double_well": (100, 20000, 30, O.double_well),
        "mid_bowl": (100, 20000, 30, O.mid_bowl),
        "monotone": (100, 20000, 30, O.monotone),
    }
    for name, fixture, trials in (("loss_vs_k_quick", "loss_vs_k.json", 25), ("loss_vs_k_paper", "loss_vs_k_paper.json", 30),
                                  ("loss_vs_k_paper_random", "loss_vs_k_paper_random.json", 30)):
        curve = O.load_fixture(fixture)
        out[name] = (curve["k_min"], curve["k_max"], trials, O.curve_objective(curve))
    return out


def main():
    out = {"peer": f"flaml {flaml.__version__} BlendSearch (optuna {optuna.__version__} TPE global)", "seeds": SEEDS, "problems": {}}
    for name, (k_min, k_max, trials, objective) in problems().items():
        space = {"k": tune.lograndint(k_min, k_max + 1)}
        runs = []
        for seed in SEEDS:
            tried = []

            def recorded(cfg):
                tried.append(cfg["k"])
                return objective(cfg)
            r = P.run_once(space, {"k": k_min}, trials, None, recorded, seed)
            r["largest_k"] = max(tried)
            runs.append(r)
        ks = sorted(range(k_min, k_max + 1), key=lambda k: objective({"k": k})[0])
        print(f"{name:24s} true min {objective({'k': ks[0]})[0]:.6f} at k = {ks[0]}; FLAML median best "
              f"{statistics.median(r['best'] for r in runs):.6f}, median cost {statistics.median(r['cost'] for r in runs):.1f}")
        out["problems"][name] = {
            "k_min": k_min, "k_max": k_max, "trials": trials,
            "true_min": {"k": ks[0], "objective": objective({"k": ks[0]})[0]},
            "checks": [{"k": k, "objective": objective({"k": k})[0]} for k in (k_min, 899, 1414, 8981, k_max)],
            "runs": runs,
        }
    P.write_fixture(out, os.environ.get("IMINE_STALL_OUT"), "flaml_stall.json")


if __name__ == "__main__":
    main()
