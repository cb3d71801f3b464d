"""Writes one `imine finetune-job` folder (spec.json, subset.json, eval files) from JSONL exports.

    make_job.py OUT_DIR MODEL_REF EPOCHS BATCH SUBSET.jsonl N EVAL_NAME=EVAL.jsonl:M ...

The first N records of SUBSET.jsonl are the training subset; each evaluation set keeps its first M records.
Files are written as the workbench's canonical Alpaca JSON list (id, instruction, input, output), which is what
`imine finetune-job` reads and checks against the SHA-256 in the spec.
"""
import hashlib
import json
import os
import sys


def records(path, n):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rec = {"id": r["id"], "input": r.get("input", ""), "instruction": r["instruction"], "output": r["output"]}
            if r.get("turns"):
                continue  # single-turn only: keeps the file format trivially canonical
            out.append(rec)
            if len(out) == n:
                break
    if len(out) < n:
        sys.exit(f"{path}: only {len(out)} single-turn records, asked for {n}")
    return out


def write(folder, name, recs):
    data = json.dumps(recs, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    return {"count": len(recs), "path": name, "sha256": hashlib.sha256(data).hexdigest()}


def main():
    out, model, epochs, batch, subset, n = sys.argv[1:7]
    os.makedirs(out, exist_ok=True)
    spec = {
        "format": "imine-finetune-job/1", "job_key": "bench-" + os.path.basename(out), "backend": "gguf", "model": model,
        "epochs": int(epochs), "learning_rate": 1e-4, "batch_size": int(batch), "seed": 1, "trainable_layers": None,
        "options": {}, "subset": write(out, "subset.json", records(subset, int(n))), "evaluation_sets": [],
        "output": "result.json", "output_dir": "output",
    }
    for arg in sys.argv[7:]:
        name, rest = arg.split("=", 1)
        path, m = rest.rsplit(":", 1)
        ref = write(out, f"eval-{name}.json", records(path, int(m)))
        spec["evaluation_sets"].append({"name": name, **ref})
    with open(os.path.join(out, "spec.json"), "w") as f:
        json.dump(spec, f, sort_keys=True, separators=(",", ":"))


main()
