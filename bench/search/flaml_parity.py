"""Runs FLAML 2.7.0's BlendSearch on the four parity objectives and records best value found and cost spent per
seed in fixtures/flaml_results.json, which bench-search (bench/swift/search) compares our BlendSearch against.

    .venv-search/bin/pip install flaml==2.7.0 optuna
    .venv-search/bin/python bench/search/flaml_parity.py

The driver mirrors flaml.tune.run's sequential loop: ask, evaluate, tell; stop after num_samples trials, once the
cost budget is spent (BlendSearch then returns None), or after 100 consecutive steps without a new trial."""
import json
import logging
import os
import statistics
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

import flaml  # noqa: E402
import optuna  # noqa: E402
from flaml import tune  # noqa: E402
from flaml.tune.searcher.blendsearch import BlendSearch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import objectives as O  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
# Seeds 20..119 by default (FLAML's default seed is 20; 100 seeds because with 20 the medians of two near-equal
# searchers flip with the seed set); IMINE_PARITY_SEEDS="40:60" and IMINE_PARITY_OUT=path
# run another range into another file, to check the verdict does not hang on one seed set.
_lo, _hi = (int(x) for x in os.environ.get("IMINE_PARITY_SEEDS", "20:120").split(":"))
SEEDS = list(range(_lo, _hi))


def problems():
    c = O.CURVE
    return {
        # name: (space, low-cost config, num_samples, cost budget, objective)
        "double_descent": ({"k": tune.lograndint(16, 4097)}, {"k": 16}, 30, None, O.double_descent),
        "branin": ({"x1": tune.uniform(-5, 10), "x2": tune.uniform(0, 15)}, None, 60, None, O.branin),
        "costly": ({"n": tune.lograndint(1, 1025), "lr": tune.loguniform(1e-4, 1.0)}, {"n": 1}, None, 4000.0, O.costly),
        "loss_vs_k": ({"k": tune.lograndint(c["k_min"], c["k_max"] + 1)}, {"k": c["k_min"]}, 25, None, O.loss_vs_k),
    }


def run_once(space, low_cost, num_samples, cost_budget, objective, seed):
    search = BlendSearch(metric="loss", mode="min", space=space, low_cost_partial_config=low_cost, seed=seed,
                         cost_attr="cost", cost_budget=cost_budget, num_samples=num_samples)
    trials, spent, idle, step = [], 0.0, 0, 0
    while idle < 100 and (num_samples is None or len(trials) < num_samples) and (cost_budget is None or spent < cost_budget):
        tid = f"t{step}"
        step += 1
        config = search.suggest(tid)
        if config is None:
            idle += 1
            continue
        idle = 0
        config = {key: config[key] for key in space}
        loss, cost = objective(config)
        spent += cost
        trials.append({"config": config, "loss": loss, "cost": cost})
        search.on_trial_complete(tid, {"loss": loss, "cost": cost, "config": config})
    best = min(trials, key=lambda t: t["loss"])
    return {"seed": seed, "best": best["loss"], "best_config": best["config"], "cost": spent, "trials": len(trials)}


def main():
    out = {"peer": f"flaml {flaml.__version__} BlendSearch (optuna {optuna.__version__} TPE global)",
           "seeds": SEEDS, "problems": {}}
    checks = {
        "double_descent": [{"k": k} for k in (16, 64, 100, 1450, 4096)],
        "branin": [{"x1": -3.14159, "x2": 12.275}, {"x1": 0.0, "x2": 0.0}, {"x1": 9.42478, "x2": 2.475}],
        "costly": [{"n": 1, "lr": 0.01}, {"n": 133, "lr": 0.001}, {"n": 1024, "lr": 0.5}],
        "loss_vs_k": [{"k": k} for k in (100, 123, 2500, 2700, 10000)],
    }
    for name, (space, low_cost, num_samples, cost_budget, objective) in problems().items():
        runs = [run_once(space, low_cost, num_samples, cost_budget, objective, s) for s in SEEDS]
        bests, costs = [r["best"] for r in runs], [r["cost"] for r in runs]
        print(f"{name:15s} FLAML median best {statistics.median(bests):.5f}  median cost {statistics.median(costs):.1f}")
        out["problems"][name] = {
            "budget": {"trials": num_samples, "cost": cost_budget},
            "low_cost": low_cost or {},
            "checks": [{"config": c, "objective": objective(c)[0], "cost": objective(c)[1]} for c in checks[name]],
            "runs": runs,
        }
    write_fixture(out, os.environ.get("IMINE_PARITY_OUT"), "flaml_results.json")


def write_fixture(out, path, default_name):
    """Writes `out` as sorted, indented JSON to `path`, or to fixtures/`default_name` when path is empty."""
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", default_name)
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
