#!/usr/bin/env bash
# The real GGUF models in the workbench's engine against their peers, measured in the same run, same weights
# (dequantised to Float32 everywhere), same shapes, same thread count: forward (evaluation) tokens/s against
# llama.cpp (F32 GGUF written by the gguf package, batch prefill) and PyTorch; training tokens/s against PyTorch in
# each finetune mode; MFU of full training against the measured sgemm peak; the last-N mode's cost per finetune
# against a full finetune on the same subset; peak RSS (/usr/bin/time -v) of full and last-N Gemma finetunes.
#   bench/pretrained-lm/run.sh [threads=2] [batch=4] [length=128] [steps=3] [models="smollm2-135m-instruct gemma-3-270m"]
# BIN: a prebuilt bench-lm (else built here); WORK: where the F32 GGUFs and JSON results go (default /tmp/imine-lmbench);
# MEMORY=0 skips the two peak-memory runs (the summary then reports those already in WORK, if any).
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${1:-2}; batch=${2:-4}; length=${3:-128}; steps=${4:-3}
models=${5:-"smollm2-135m-instruct gemma-3-270m"}
work=${WORK:-/tmp/imine-lmbench}; mkdir -p "$work"
ref="env PYTHONPATH=/work/.venv-model-extra OMP_NUM_THREADS=$threads /work/.venv-ref/bin/python"
llama=/work/.venv-llama/bin/python
if [ -z "${BIN:-}" ]; then
    swift build -c release --product bench-lm >/dev/null
    BIN=$(swift build -c release --show-bin-path)/bench-lm
fi
declare -A file=([smollm2-135m-instruct]=models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf
                 [gemma-3-270m]=models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf)
shape=(--batch "$batch" --length "$length" --steps "$steps" --threads "$threads")
for m in $models; do
    [ -s "$work/$m-f32.gguf" ] || $ref bench/pretrained-lm/peers.py f32 --model "$m" --out "$work/$m-f32.gguf"
    "$BIN" --model "${file[$m]}" --what forward "${shape[@]}" >"$work/$m.swift.forward.json"
    $ref bench/pretrained-lm/peers.py torch --model "$m" --what forward "${shape[@]}" >"$work/$m.torch.forward.json"
    $llama bench/pretrained-lm/peers.py llama --gguf "$work/$m-f32.gguf" "${shape[@]}" >"$work/$m.llama.forward.json"
    for mode in full lora last-2; do
        "$BIN" --model "${file[$m]}" --what train --mode "$mode" "${shape[@]}" >"$work/$m.swift.$mode.json"
        $ref bench/pretrained-lm/peers.py torch --model "$m" --what train --mode "$mode" "${shape[@]}" >"$work/$m.torch.$mode.json"
    done
    "$BIN" --model "${file[$m]}" --what finetunes --mode last-2 --examples "${EXAMPLES:-16}" --epochs 2 --batch "$batch" --length "$length" \
        --threads "$threads" >"$work/$m.finetunes.json"
done
for mode in full last-2; do
    [ "${MEMORY:-1}" = 1 ] || break
    /usr/bin/time -v "$BIN" --model "${file[gemma-3-270m]}" --what memory --mode "$mode" --batch "$batch" --length "$length" \
        --steps 2 --threads "$threads" >"$work/memory.$mode.json" 2>"$work/memory.$mode.time"
done
python3 - "$work" "$threads" "$batch" "$length" "$steps" $models <<'PY'
import json, re, sys
work, threads, batch, length, steps, models = sys.argv[1], *sys.argv[2:6], sys.argv[6:]
load = lambda name: json.load(open(f"{work}/{name}.json"))
print(f"workload: batch {batch} x length {length} random token ids, {threads} threads, best of {steps} timed steps after 1 warm-up;"
      " weights: each GGUF dequantised to Float32 (llama.cpp: an F32 GGUF of the same values)")
for m in models:
    s, t, l = load(f"{m}.swift.forward"), load(f"{m}.torch.forward"), load(f"{m}.llama.forward")
    print(f"{m} ({s['parameters']:,} parameters), sgemm peak {s['sgemm_peak_gflops']:.1f} GFLOP/s")
    print(f"  forward tokens/s: swift {s['tokens_per_s']:8.1f}  llama.cpp {l['tokens_per_s']:8.1f} ({s['tokens_per_s'] / l['tokens_per_s']:.2f}x)"
          f"  pytorch {t['tokens_per_s']:8.1f} ({s['tokens_per_s'] / t['tokens_per_s']:.2f}x)  MFU swift {100 * s['mfu']:.1f}%")
    for mode in ("full", "lora", "last-2"):
        s, t = load(f"{m}.swift.{mode}"), load(f"{m}.torch.{mode}")
        mfu = f"  MFU swift {100 * s['mfu']:.1f}%, pytorch {100 * s['mfu'] * t['tokens_per_s'] / s['tokens_per_s']:.1f}%" if "mfu" in s else ""
        print(f"  train {mode:6s} tokens/s: swift {s['tokens_per_s']:8.1f}  pytorch {t['tokens_per_s']:8.1f}  ratio {s['tokens_per_s'] / t['tokens_per_s']:.2f}x{mfu}")
    f = load(f"{m}.finetunes")
    print(f"  finetunes of {f['examples']} sequences x {f['epochs']} epochs: full {f['full_s']:.1f} s, last-2 first {f['lastn_first_s']:.1f} s"
          f" ({f['lastn_first_s'] / f['full_s']:.2f}x), last-2 again (warm trunk cache) {f['lastn_again_s']:.1f} s ({f['lastn_again_s'] / f['full_s']:.2f}x);"
          f" base digest {f['base_digest_s']:.1f} s once")
import os
for mode in ("full", "last-2"):
    if not os.path.exists(f"{work}/memory.{mode}.time"):
        continue
    text = open(f"{work}/memory.{mode}.time").read()
    kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    run = load(f"memory.{mode}")
    print(f"peak RSS, gemma-3-270m {mode} finetune (batch {run['batch']} x {run['length']}, {run['steps']} steps, {run['threads']} shards, load included): {kib / 1024 / 1024:.2f} GiB")
PY
