#!/usr/bin/env bash
# MicroLM vs PyTorch on the CPU, same shapes, batch and threads, measured in the same run (interleaved, best of
# ROUNDS each, since the machine may be shared). Prints training and evaluation tokens/s, their ratios, model-FLOP
# utilisation against the measured sgemm peak, peak memory, and a quick-profile finetune's wall time.
#   bench/microlm/run.sh [profile=quick] [threads=1] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${1:-quick}; threads=${2:-1}; rounds=${3:-3}
python=${PYTHON:-$PWD/.venv-torch/bin/python}  # absolute: the checkpoint check runs from bench/microlm
read -r vocab context layers d heads batch ft_batch epochs < <(python3 - "$profile" <<'PY'
import re, sys
text = open(f"paper-repro/profiles/{sys.argv[1]}.yaml").read()
def get(section, key):
    block = re.search(rf"^{section}:\n((?:  .*\n)+)", text, re.M).group(1)
    return re.search(rf"^  {key}: *([0-9.]+)", block, re.M).group(1)
print(get("tokenizer", "vocab_size"), get("model", "context"), get("model", "layers"), get("model", "d_model"),
      get("model", "heads"), get("pretrain", "batch"), get("finetune", "batch"), get("finetune", "epochs"))
PY
)
shape=(--vocab "$vocab" --context "$context" --layers "$layers" --d-model "$d" --heads "$heads" --batch "$batch" --threads "$threads")
# BIN: a prebuilt bench-microlm; SCRATCH: the build folder (each engineer builds in their own).
if [ -z "${BIN:-}" ]; then
    swift build --scratch-path "${SCRATCH:-.build}" -c release --product bench-microlm >/dev/null
    BIN=$(swift build --scratch-path "${SCRATCH:-.build}" -c release --show-bin-path)/bench-microlm
fi
bin=$BIN
out=$(mktemp -d)
for r in $(seq "$rounds"); do
    OPENBLAS_NUM_THREADS=$threads "$bin" "${shape[@]}" --steps 30 >"$out/swift.$r.json"
    OMP_NUM_THREADS=$threads "$python" bench/microlm/torch_bench.py "${shape[@]}" --steps 30 >"$out/torch.$r.json"
done
OPENBLAS_NUM_THREADS=$threads "$bin" "${shape[@]}" --steps 5 --finetune 1000 --epochs "$epochs" --finetune-batch "$ft_batch" \
    --data "${IMINE_DATA:-data}" --write-checkpoint "$out/finetuned.safetensors" >"$out/finetune.json"
(cd bench/microlm && "$python" check_checkpoint.py "$out/finetuned.safetensors")
python3 - "$out" "$rounds" "$profile" <<'PY'
import json, sys
out, rounds, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
load = lambda name: [json.load(open(f"{out}/{name}.{r}.json")) for r in range(1, rounds + 1)]
sw, pt = load("swift"), load("torch")
best = lambda runs, key: max(x[key] for x in runs)
s0 = sw[0]
c = s0["config"]
print(f"MicroLM benchmark, profile {profile}: vocab {c['vocab']}, context {c['context']}, layers {c['layers']}, "
      f"d_model {c['d_model']}, heads {c['heads']}, batch {s0['batch']}, {s0['parameters']:,} parameters, "
      f"threads {s0['threads']}; random tokens, 30 timed steps after 5 warm-up, best of {rounds} interleaved rounds")
print(f"peer: {pt[0]['impl']} (same architecture, bench/microlm/model.py)")
print("per wall second (shared machine: noisy) and per CPU second (1 thread: robust to other load)")
for kind in ("train", "eval"):
    for basis, key in (("wall", "tokens_per_s"), ("cpu", "tokens_per_cpu_s")):
        s, t = best(sw, f"{kind}_{key}"), best(pt, f"{kind}_{key}")
        mfu_key = f"{kind}_mfu" if basis == "wall" else f"{kind}_mfu_cpu"
        mfu_s = max(x[mfu_key] for x in sw)
        print(f"{kind:5s} {basis:4s} tokens/s  swift {s:9.0f}  pytorch {t:9.0f}  ratio {s / t:5.2f}x   "
              f"MFU swift {100 * mfu_s:4.1f}%  pytorch {100 * mfu_s * t / s:4.1f}%")
print(f"sgemm peak (1024^3, same threads): {max(x['sgemm_peak_gflops'] for x in sw):.1f} GFLOP/s per wall s, "
      f"{max(x['sgemm_peak_cpu_gflops'] for x in sw):.1f} per CPU s")
print(f"peak RSS: swift {max(x['peak_rss_mib'] for x in sw):.0f} MiB (engine buffers {s0['engine_mib']:.0f} MiB), "
      f"pytorch {max(x['peak_rss_mib'] for x in pt):.0f} MiB (interpreter and libtorch included)")
ft = json.load(open(f"{out}/finetune.json"))["finetune"]
print(f"finetune: {ft['examples']} examples x {ft['epochs']} epochs, batch {ft['batch']}: {ft['steps']} steps, "
      f"{ft['wall_s']:.1f} s wall, {ft['cpu_s']:.1f} CPU s (probe and checkpoint included), {ft['tokens_processed']:,} tokens ({ft['tokens_per_s']:.0f}/s)")
PY
