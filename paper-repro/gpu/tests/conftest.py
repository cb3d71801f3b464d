"""Fixtures: tiny random models (built once per session) and job folders laid out exactly as the workbench's
JobFolder writes them, filled with real examples from the data folder."""
import hashlib
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
GPU = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(GPU))
sys.path.insert(0, GPU)
sys.path.insert(0, HERE)


def data_dir():
    path = os.environ.get("IMINE_DATA", os.path.join(REPO, "data"))
    if not os.path.exists(os.path.join(path, "MANIFEST.tsv")):
        raise RuntimeError(f"no data folder at {path}: run `make setup` (or set IMINE_DATA)")
    return path


def real_examples(relative, start, count):
    with open(os.path.join(data_dir(), relative)) as f:
        records = json.load(f)
    return [{"instruction": r["instruction"], "input": r.get("input", ""), "output": r["output"]}
            for r in records[start:start + count]]


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    import tiny_models
    return tiny_models.build(str(tmp_path_factory.mktemp("tiny-models")))


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def make_job(root, model, subset, eval_sets, options=None, epochs=3, learning_rate=5e-3, batch_size=4, seed=1,
             trainable_layers=None):
    """Writes root/jobs/<key>/{spec,subset}.json and root/eval/*.json like Sources/ScaleOut/JobFolder.swift."""
    import imine_jobs
    for r in subset + [r for rows in eval_sets.values() for r in rows]:
        r.setdefault("id", imine_jobs.example_id(r))
    subset_bytes = canonical(subset)
    key = hashlib.sha256(subset_bytes + canonical([options, epochs, seed, trainable_layers])).hexdigest()
    job = os.path.join(root, "jobs", key)
    os.makedirs(job, exist_ok=True)
    os.makedirs(os.path.join(root, "eval"), exist_ok=True)
    with open(os.path.join(job, "subset.json"), "wb") as f:
        f.write(subset_bytes)
    refs = []
    for name, rows in eval_sets.items():
        data = canonical(rows)
        digest = hashlib.sha256(data).hexdigest()
        file = f"{name}-{digest[:12]}.json"
        with open(os.path.join(root, "eval", file), "wb") as f:
            f.write(data)
        refs.append({"name": name, "path": f"../../eval/{file}", "sha256": digest, "count": len(rows)})
    spec = {"format": "imine-finetune-job/1", "job_key": key, "backend": "command:test", "model": model,
            "epochs": epochs, "learning_rate": learning_rate, "batch_size": batch_size, "seed": seed,
            "trainable_layers": trainable_layers, "options": options or {},
            "subset": {"path": "subset.json", "sha256": hashlib.sha256(subset_bytes).hexdigest(), "count": len(subset)},
            "evaluation_sets": refs, "output": "result.json", "output_dir": "output"}
    path = os.path.join(job, "spec.json")
    with open(path, "wb") as f:
        f.write(canonical(spec))
    return path
