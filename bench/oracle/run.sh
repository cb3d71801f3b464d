#!/bin/sh
# The gguf oracle's cost on this machine: seconds per finetune and training tokens/s for each model and mode, and
# the evaluation pass, each as one `imine finetune-job --backend gguf` (the program a command or Slurm oracle runs;
# in process the model loads once per step instead of once per job). Real examples: the first N single-turn
# records of the rule-fit pool (Alpaca and friends) and of eval-self-instruct. Writes $WORK/results.tsv.
#
#   bench/oracle/run.sh                        # defaults: N=32 examples, LEN=256, 1 epoch, batch 8, EVAL=64
#   MODELS=smollm2-135m-instruct MODES="last-1-blocks" N=16 bench/oracle/run.sh
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
imine=${IMINE:-$root/.build/release/imine}
work=${WORK:-/tmp/imine-bench-oracle}
N=${N:-32}; LEN=${LEN:-256}; EVAL=${EVAL:-64}; BATCH=${BATCH:-8}
MODELS=${MODELS:-"smollm2-135m-instruct gemma-3-270m"}
MODES=${MODES:-"last-1-blocks last-2-blocks lora-r8-a16.0 full"}
py=${PYTHON:-python3}
mkdir -p "$work"
cd "$root"
[ -s "$work/rule-fit.jsonl" ] || "$imine" data export rule-fit --format jsonl -o "$work/rule-fit.jsonl" >/dev/null
[ -s "$work/eval.jsonl" ] || "$imine" data export eval-self-instruct --format jsonl -o "$work/eval.jsonl" >/dev/null
# finetune-job keeps last-N trunk states beside the store; a fresh store per run measures the cold cost.
rm -rf "$work/store" && mkdir -p "$work/store" && : > "$work/store/store.sqlite"
export IMINE_MODELS="$root/models" IMINE_STORE="$work/store/store.sqlite"
file_of() { case $1 in smollm2-135m-instruct) echo models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf;;
                        gemma-3-270m) echo models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf;; esac; }
field() { $py -c "import json,sys; r=json.load(open(sys.argv[1])); print(r$2)" "$1"; }
printf 'model\tmode\texamples\tmax_length\tepochs\tprocess_s\tprocess_cpu_s\tfinetune_s\ttokens\ttokens_per_s\tload_average\n' > "$work/results.tsv"
for model in $MODELS; do
    sha=$(sha256sum "$(file_of "$model")" | cut -c1-64)
    # epochs 0: model load plus the evaluation pass alone, in last-1 mode: cold (the trunk's states computed, about a
    # full forward pass: what scoring an indicator costs) and warm (read from the trunk cache: what each last-N
    # finetune's evaluation costs). 1 epoch with a 1-example evaluation set: load plus training.
    # load: epochs 0 and one evaluation example, the process's fixed cost (reading and dequantising the model).
    for case in load eval-cold eval-warm $MODES; do
        set -- $case
        case $1 in load) mode=last-1-blocks epochs=0 evalN=1;; eval-*) mode=last-1-blocks epochs=0 evalN=$EVAL;; *) mode=$1 epochs=1 evalN=1;; esac
        job="$work/jobs/$model-$1"
        [ "$1" = eval-warm ] && job="$work/jobs/$model-eval-cold"
        [ "$1" = eval-warm ] || rm -rf "$job"
        [ "$1" = eval-warm ] || $py bench/oracle/make_job.py "$job" "gguf:$model@$sha:$mode:len$LEN" "$epochs" "$BATCH" "$work/rule-fit.jsonl" "$N" \
            "self-instruct=$work/eval.jsonl:$evalN"
        # Wall and CPU seconds (user + system) of the job process: on a shared machine the CPU time is the stable
        # number; on an idle 2-core machine wall ≈ CPU / 2 (two shard engines side by side).
        set -- $($py -c 'import resource, subprocess, sys, time
t = time.time(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN); print(f"{time.time() - t:.2f} {r.ru_utime + r.ru_stime:.2f}")' \
            nice "$imine" finetune-job --backend gguf --spec "$job/spec.json") "$1"
        wall=$1 cpu=$2; shift 2
        tokens=$(field "$job/result.json" "['tokens']")
        seconds=$(field "$job/result.json" "['wall_seconds']")
        label=$1; case $1 in eval-*) label="$1 ($evalN examples)";; esac
        # process_s includes reading and dequantising the model; finetune_s is the job's own (training + evaluation).
        printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%.0f\t%s\n' "$model" "$label" "$N" "$LEN" "$epochs" "$wall" "$cpu" "$seconds" \
            "$tokens" "$(echo "$tokens / $seconds" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/results.tsv"
    done
done
