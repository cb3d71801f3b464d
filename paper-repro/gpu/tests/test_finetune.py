"""finetune.py and eval_loss.py end to end on a tiny random LLaMA, on real Alpaca examples, on the CPU."""
import json
import math
import os
import subprocess
import sys

import pytest
import torch

from conftest import GPU, make_job, real_examples

TRAIN = ("llama-factory-demo/alpaca_en_demo.json", 0, 16)


def run(script, *args):
    done = subprocess.run([sys.executable, os.path.join(GPU, script), *args], capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def result_of(spec):
    with open(os.path.join(os.path.dirname(spec), "result.json")) as f:
        return json.load(f)


def check_result_schema(result, names):
    # The same rules as Sources/ScaleOut/ResultFile.swift.
    assert set(result) <= {"eval_losses", "tokens", "wall_seconds", "error", "checkpoint", "metrics"}
    assert result["error"] is None
    assert set(result["eval_losses"]) == set(names)
    assert all(math.isfinite(v) and v >= 0 for v in result["eval_losses"].values())
    assert isinstance(result["tokens"], int) and result["tokens"] >= 0
    assert result["wall_seconds"] >= 0


def test_full_finetune_lowers_the_loss_on_its_own_data(tiny, tmp_path):
    train = real_examples(*TRAIN)
    sets = {"train": [dict(r) for r in train], "held-out": real_examples("alpagasus-alpaca-subsets/random_9k.json", 0, 6)}
    base = make_job(str(tmp_path / "base"), tiny["llama"], train, sets, epochs=1)
    code, log = run("eval_loss.py", "--spec", base)
    assert code == 0, log
    before = result_of(base)
    check_result_schema(before, sets)
    assert before["tokens"] == 0
    # A random model over a ~400-token vocabulary starts near log(400) ≈ 6.
    assert 4 < before["eval_losses"]["train"] < 8

    spec = make_job(str(tmp_path / "ft"), tiny["llama"], train, sets,
                    options={"max_length": "256", "micro_batch_size": "2", "save_checkpoint": "true"})
    code, log = run("finetune.py", "--spec", spec)
    assert code == 0, log
    after = result_of(spec)
    check_result_schema(after, sets)
    assert after["eval_losses"]["train"] < before["eval_losses"]["train"] - 0.3, (before, after)
    # accelerate names the GPU "cuda" (no index), as the H200 run of bench/gpu/README.md showed
    assert after["metrics"]["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    assert after["metrics"]["gradient_accumulation"] == 2
    assert len(after["metrics"]["train_loss_per_epoch"]) == 3
    assert after["tokens"] > 3 * 16 * 20
    # The saved checkpoint scores the same losses when evaluated on its own.
    checkpoint = os.path.join(os.path.dirname(spec), after["checkpoint"])
    out = tmp_path / "recheck.json"
    eval_file = os.path.join(os.path.dirname(spec), json.load(open(spec))["evaluation_sets"][0]["path"])
    code, log = run("eval_loss.py", "--model", checkpoint, "--eval", f"train={eval_file}", "--out", str(out),
                    "--max-length", "256")
    assert code == 0, log
    assert json.load(open(out))["eval_losses"]["train"] == pytest.approx(after["eval_losses"]["train"], rel=1e-4)


def test_same_seed_same_result(tiny, tmp_path):
    train = real_examples("llama-factory-demo/alpaca_en_demo.json", 20, 8)
    sets = {"train": [dict(r) for r in train]}
    losses = []
    for run_dir in ("a", "b"):
        spec = make_job(str(tmp_path / run_dir), tiny["llama"], [dict(r) for r in train], sets, epochs=1,
                        options={"max_length": "128"})
        code, log = run("finetune.py", "--spec", spec)
        assert code == 0, log
        losses.append(result_of(spec)["eval_losses"]["train"])
    assert losses[0] == losses[1]


def test_lora_trains_only_the_adapter(tiny, tmp_path):
    train = real_examples("llama-factory-demo/alpaca_en_demo.json", 40, 8)
    sets = {"train": [dict(r) for r in train]}
    spec = make_job(str(tmp_path), tiny["llama"], train, sets, learning_rate=1e-2,
                    options={"lora": "true", "lora_r": "4", "max_length": "128", "save_checkpoint": "true"})
    code, log = run("finetune.py", "--spec", spec)
    assert code == 0, log
    result = result_of(spec)
    check_result_schema(result, sets)
    adapter = os.path.join(os.path.dirname(spec), result["checkpoint"])
    assert os.path.exists(os.path.join(adapter, "adapter_config.json")), os.listdir(adapter)
    assert not os.path.exists(os.path.join(adapter, "model.safetensors")), "only the adapter is saved"


def test_bad_input_is_reported_in_the_result_file(tiny, tmp_path):
    train = real_examples(*TRAIN)
    spec = make_job(str(tmp_path), tiny["llama"], train, {"train": [dict(r) for r in train]})
    with open(os.path.join(os.path.dirname(spec), "subset.json"), "a") as f:
        f.write(" ")  # the file no longer matches the spec's checksum
    code, log = run("finetune.py", "--spec", spec)
    assert code == 1
    assert "checksum differs" in result_of(spec)["error"]


def test_prompt_is_masked_and_response_ends_with_eos(tiny):
    import imine_jobs
    tokenizer = imine_jobs.load_tokenizer(tiny["llama"])
    record = {"instruction": "Name three colours.", "input": "", "output": "red, green, blue"}
    ids, labels = imine_jobs.encode(tokenizer, record, 512)
    response = [t for t in labels if t != -100]
    assert response[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(response[:-1]) == "red, green, blue"
    assert ids[len(ids) - len(response):] == response
    # Too long: the prompt keeps its end, the response its beginning (at least one token), 8 tokens in all.
    short_ids, short_labels = imine_jobs.encode(tokenizer, record, 8)
    assert len(short_ids) == 8 and short_ids[0] == tokenizer.bos_token_id
    kept = [t for t in short_labels if t != -100]
    assert 1 <= len(kept) and kept == response[:len(kept)]
    prompt = ids[: len(ids) - len(response)]
    assert short_ids[1: 8 - len(kept)] == prompt[len(prompt) - (7 - len(kept)):]
