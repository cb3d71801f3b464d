"""Predicted wall time of every notebook under a profile with a gguf oracle, from bench/oracle/run.sh's results.

    /work/.venv-ref/bin/python bench/oracle/cost.py paper-repro/profiles/real.yaml RESULTS.tsv [MORE.tsv ...]

Counts the finetunes each step asks for (as the steps' code does; jobs with equal keys run once) and the examples
each trains on, then charges per finetune: training examples × epochs × (measured seconds per training example of the
oracle's model and mode, from the 1-epoch rows) + evaluation examples × (seconds per evaluation example, the warm
eval row for last-N, the cold row otherwise), plus the indicators' scoring (cold rate, conditional and
unconditional) when indicators.lm is gguf, and the model loads. The measured rows were taken at the profile's
max_length; sizes are in examples, so the estimate holds for examples like the benchmark's (the rule-fit pool).
"""
import csv
import sys

import yaml

# Evaluation sets: eval-self-instruct (252) and eval-mt-bench (40), each capped by finetune.eval_examples;
# robustness.variants adds text-davinci-003's answers to the 252 prompts.
AUDIT_GROUPS = 12             # indicators.audit: 8 probe models + 4 Alpaca / AlpaGasus / Cherry groups
RULE_INDICATORS = 4           # robustness.ablation: one drop-one row per indicator of the fitted rule (typical)


def rates(paths, model):
    """Idle-machine seconds per unit: (job CPU seconds - the same run's load job's) / 2 cores; a later results file
    overrides an earlier one's modes (e.g. a run with more examples)."""
    per = {}
    for path in paths:
        rows = [r for r in csv.DictReader(open(path), delimiter="\t") if r["model"] == model]
        if not rows:
            continue
        load = next(float(r["process_cpu_s"]) for r in rows if r["mode"] == "load")
        per["load"] = load / 2
        for r in rows:
            work = max(0.0, float(r["process_cpu_s"]) - load) / 2
            if r["mode"].startswith("eval-"):
                per[r["mode"].split()[0]] = work / int(r["mode"].split("(")[1].split()[0])
            elif r["mode"] != "load":
                per[r["mode"]] = work / int(r["examples"])
    # A last-N row also computed its examples' trunk states (cold); in a run they are computed once per example and
    # reused by every finetune and epoch, so they are charged once per distinct example below. What is left is
    # within the measurement's noise, so an epoch is charged 3 × the warm forward pass (forward + backward).
    for mode in list(per):
        if mode.startswith("last-"):
            per[mode] = max(per[mode] - per["eval-cold"], 3 * per["eval-warm"])
    return per


def mode_name(oracle):
    mode = oracle.get("mode", "last-n")
    if mode == "last-n":
        return f"last-{oracle.get('blocks', 1)}-blocks"
    if mode == "lora":
        rank = oracle.get("rank", 8)
        return f"lora-r{rank}-a{float(oracle.get('alpha', 2 * rank))}"
    return "full"


def main():
    profile = yaml.safe_load(open(sys.argv[1]))
    oracle = profile["oracle"]
    r = rates(sys.argv[2:], oracle["model"])
    large = rates(sys.argv[2:], oracle["model_large"]) if "model_large" in oracle else None
    mode = mode_name(oracle)
    warm = mode.startswith("last-")
    per_eval = r["eval-warm"] if warm else r["eval-cold"]
    epochs = profile["finetune"]["epochs"]
    seeds = profile["sweep"]["seeds"]
    k = profile["selection"]["top_k"]
    n = profile["selection"]["pool_size"]
    rf = profile["rule_fit"]
    a = profile["audits"]
    bs = profile["blendsearch"]
    sizes = profile["sweep"]["sizes"]

    evals_per_set = profile["finetune"].get("eval_examples", 10**9)
    eval_sets = min(252, evals_per_set) + min(40, evals_per_set)
    eval_variants = eval_sets + min(252, evals_per_set)

    # Each finetune also pays the load job's fixed cost (a job program reads the model; in process each step does,
    # and each finetune sets up its engines): conservative for in-process runs.
    def cost(examples, rate=None, evals=None, per_ev=None):
        return r["load"] + examples * epochs * (rate or r[mode]) + (evals or eval_sets) * (per_ev or per_eval)

    steps = []
    steps.append(("rule.finetunes", rf["subsets"], sum(cost(rf["subset_size"]) for _ in range(rf["subsets"]))))
    audit_jobs = 2 * min(a["seed_repeats"], rf["subsets"]) + a["fresh_subsets"]
    steps.append(("rule.audits", audit_jobs, audit_jobs * cost(rf["subset_size"])))
    # BlendSearch: at worst every trial at the middle of the range (it often stays near k_min, issue #19).
    mid = (bs["k_min"] + min(bs["k_max"], n)) / 2
    steps.append(("search.subset-size", bs["trials"], bs["trials"] * cost(mid)))
    picks = [k, k, n // 5, n * 9 // 10, mid, k, k, k, k, k]
    steps.append(("selection.compare", len(picks) * seeds, seeds * sum(cost(p) for p in picks)))
    sweep = [z for z in sizes if z <= n]
    steps.append(("sweep.sizes", 2 * seeds * len(sweep), 2 * seeds * sum(cost(z) for z in sweep)))
    steps.append(("robustness.ablation", RULE_INDICATORS * seeds, RULE_INDICATORS * seeds * cost(k)))
    lora = r.get("lora-r8-a16.0", r[mode])
    variant = 2 * seeds * (cost(k, evals=eval_variants) + cost(k, rate=lora, evals=eval_variants, per_ev=r["eval-cold"]))
    if large:
        variant += 2 * seeds * (large["load"] + k * epochs * large[mode] + eval_variants * (large["eval-warm"] if warm else large["eval-cold"]))
    steps.append(("robustness.variants", 6 * seeds, variant))
    if warm:
        distinct = rf["pool_size"] + n + eval_variants
        # Computed one sequence at a time on one core: wall = CPU time, twice the two-core rate.
        steps.append(("trunk states (once per example)", 0, 2 * distinct * r["eval-cold"]))
    lm = profile.get("indicators", {}).get("lm", {})
    if lm.get("backend") == "gguf":
        scored = rf["pool_size"] + n + AUDIT_GROUPS * profile["indicators"]["audit_per_group"]
        steps.append(("indicators (gguf perplexity, IFD)", 0, 2 * scored * r["eval-cold"]))
    total = 0
    print(f"oracle {oracle['model']} {mode}; per finetune: {r[mode]:.3f} s per training example-epoch, "
          f"{per_eval:.4f} s per evaluation example ({eval_sets} per finetune); fixed {r['load']:.1f} s per finetune")
    for name, jobs, seconds in steps:
        total += seconds
        print(f"  {name:36s} {jobs:4d} finetunes  {seconds / 60:7.1f} min")
    print(f"  {'total (finetunes and LM scoring)':36s}       {total / 60:7.1f} min")


main()
