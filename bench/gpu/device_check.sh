#!/bin/bash
# The device check of issue #15 item 7, run on the CUDA machine from the repository root (bench/gpu/README.md):
#   bash bench/gpu/device_check.sh SWEEP_DIR OUT_DIR
# SWEEP_DIR is a sweep folder that `imine run` exported with bench/gpu/tiny-gpu-slurm.yaml; every task runs with the
# sweep's own batch script (SLURM_ARRAY_TASK_ID set as Slurm would), PARALLEL at a time on the one GPU.
set -uo pipefail
sweep=$(cd "$1" && pwd); out=$2; parallel=${PARALLEL:-4}
mkdir -p "$out" "$sweep/logs"
export PYTHONUNBUFFERED=1
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  python3 -c "import torch, transformers, accelerate, peft; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'transformers', transformers.__version__, 'accelerate', accelerate.__version__, 'peft', peft.__version__)"
} > "$out/machine.txt" 2>&1

# 1. The GPU scripts' own tests (tiny random models) on this machine, where they find CUDA.
(cd paper-repro/gpu && timeout 150 python3 -m pytest -q -p no:cacheprovider tests) > "$out/pytest.log" 2>&1
echo "pytest exit $?" >> "$out/pytest.log"

# 2. The model the specs name, built from a config.
model=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['model'])" "$(find "$sweep" -name spec.json | head -1)")
python3 bench/gpu/build_model.py "$sweep" "$model" > "$out/model.json" 2> "$out/model.log" || { cat "$out/model.log"; exit 1; }

# 3. Every task of the array, as Slurm would run it.
export IMINE_SWEEP_DIR="$sweep" IMINE_WORKDIR="$PWD"
start=$(date +%s.%N)
awk -F'\t' 'NR > 1 { print $1 }' "$sweep/manifest.tsv" |
  xargs -P "$parallel" -I{} bash -c 'SLURM_ARRAY_TASK_ID={} bash "$IMINE_SWEEP_DIR/sweep.sbatch" > "$IMINE_SWEEP_DIR/logs/offline_{}.log" 2>&1'
end=$(date +%s.%N)
echo "{\"tasks_wall_seconds\": $(python3 -c "print(round($end - $start, 2))"), \"parallel\": $parallel}" > "$out/tasks.json"

# 4. Results and logs back, one archive (paths relative to the sweep folder).
(cd "$sweep" && find . \( -name result.json -o -name slurm-exit -o -path './logs/*' \) -print0 | tar --null -czf "$out/results.tgz" -T -)
python3 - "$sweep" <<'PY'
import glob, json, sys
rows = [json.load(open(p)) for p in sorted(glob.glob(sys.argv[1] + "/**/result.json", recursive=True))]
ok = [r for r in rows if not r.get("error")]
print(f"{len(ok)} of {len(rows)} results without error")
for r in rows[:3]: print(json.dumps(r)[:400])
PY
