"""indicators.py end to end: tiny random models in the paper's architectures (OpenAssistant GPT-NeoX reward model,
LLaMA, UniEval's T5) and the real all-MiniLM-L6-v2 Sentence-BERT; each column checked against an independent
computation, on real examples."""
import json
import math
import os
import subprocess
import sys

import pytest
import torch

from conftest import GPU, REPO, real_examples

MINILM = os.path.join(REPO, "models", "all-minilm-l6-v2")


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    rows = real_examples("alpagasus-alpaca-subsets/random_9k.json", 100, 10)
    rows.append({"instruction": "Répondez en français : quelle heure est-il ?", "input": "", "output": "Il est midi. ✓"})
    path = tmp_path_factory.mktemp("ind") / "pool.json"
    path.write_text(json.dumps(rows, ensure_ascii=False))
    return str(path), rows


def run_indicators(examples_path, out, *models):
    done = subprocess.run([sys.executable, os.path.join(GPU, "indicators.py"), "--examples", examples_path, "--out", out,
                           *models], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(out) as f:
        rows = [json.loads(line) for line in f]
    with open(out + ".meta.json") as f:
        return rows, json.load(f)


@pytest.fixture(scope="module")
def computed(tiny, examples, tmp_path_factory):
    path, _ = examples
    out = str(tmp_path_factory.mktemp("out") / "indicators.jsonl")
    return run_indicators(path, out, "--reward-model", tiny["reward"], "--ppl-model", tiny["llama"],
                          "--unieval-model", tiny["unieval"], "--sbert-model", MINILM, "--batch-size", "4")


def test_rows_are_keyed_by_the_workbench_ids(computed, examples):
    import imine_jobs
    rows, meta = computed
    _, records = examples
    assert [r["id"] for r in rows] == [imine_jobs.example_id(r) for r in records]
    assert set(rows[0]) == {"id", "reward", "ppl", "unieval_naturalness", "unieval_coherence",
                            "unieval_understandability", "knn_6"}
    assert meta["count"] == len(records)
    assert len(meta["columns"]["reward"]["weights_sha256"]) == 64


def test_example_id_matches_swift():
    import imine_jobs
    # Pinned by Tests/ScaleOutTests/JobFilesTests.swift (testExampleIDMatchesThePythonScripts).
    record = {"instruction": "Name a colour.", "input": "", "output": "Blue.",
              "turns": [{"role": "user", "text": "Hi"}, {"role": "assistant", "text": "Hello!"}]}
    assert imine_jobs.example_id(record) == "aced5d87b499525d3bd9bed4448a2a4b8a5fea26445fb64b432b5ffb3a81480e"


def test_reward_is_the_head_on_the_last_token_of_each_unpadded_text(tiny, computed, examples):
    from safetensors.torch import load_file
    from transformers import AutoTokenizer, GPTNeoXConfig, GPTNeoXModel
    import indicators
    rows, _ = computed
    _, records = examples
    raw = json.load(open(os.path.join(tiny["reward"], "config.json")))
    trunk = GPTNeoXModel(GPTNeoXConfig(**{k: v for k, v in raw.items() if k not in ("model_type", "architectures")}))
    weights = load_file(os.path.join(tiny["reward"], "model.safetensors"))
    trunk.load_state_dict({k[len("gpt_neox."):]: v for k, v in weights.items() if k.startswith("gpt_neox.")}, strict=False)
    trunk.eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny["reward"])
    for row, record in zip(rows, records):
        text = f"<|prompter|>{indicators.question(record)}<|endoftext|><|assistant|>{record['output']}<|endoftext|>"
        ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            last = trunk(input_ids=ids).last_hidden_state[0, -1]
        expected = float(last @ weights["out_proj.weight"][0] + weights["out_proj.bias"][0])
        assert row["reward"] == pytest.approx(expected, abs=1e-4)


def test_ppl_is_exp_of_the_response_loss(tiny, computed, examples):
    from transformers import AutoModelForCausalLM
    import imine_jobs
    rows, _ = computed
    _, records = examples
    model = AutoModelForCausalLM.from_pretrained(tiny["llama"]).eval()
    tokenizer = imine_jobs.load_tokenizer(tiny["llama"])
    for row, record in zip(rows, records):
        ids, labels = imine_jobs.encode(tokenizer, record, 2048)
        with torch.no_grad():
            loss = model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss
        assert row["ppl"] == pytest.approx(math.exp(float(loss)), rel=1e-4)


def test_unieval_is_yes_over_yes_plus_no(tiny, computed, examples):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    import indicators
    rows, _ = computed
    _, records = examples
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny["unieval"]).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny["unieval"])
    yes, no = tokenizer("Yes").input_ids[0], tokenizer("No").input_ids[0]
    assert yes != no
    for row, record in zip(rows, records):
        for dimension, template in indicators.UNIEVAL_QUESTIONS.items():
            text = template.format(response=record["output"], history=indicators.question(record) + "\n\n")
            batch = tokenizer(text, return_tensors="pt")
            with torch.no_grad():  # labels → the decoder starts from decoder_start_token_id, as in UniEval
                logits = model(**batch, labels=torch.tensor([[yes]])).logits[0, 0]
            p = torch.softmax(logits, -1)
            value = row[f"unieval_{dimension}"]
            assert 0 < value < 1
            assert value == pytest.approx(float(p[yes] / (p[yes] + p[no])), abs=1e-5)


def test_knn6_matches_sentence_transformers_and_brute_force(computed, examples):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    import indicators
    rows, _ = computed
    _, records = examples
    texts = ["\n".join(x for x in (r["instruction"], r.get("input", ""), r["output"]) if x) for r in records]
    ours = indicators.sbert_embeddings(MINILM, texts, torch.device("cpu"))
    # all-MiniLM-L6-v2's own pipeline, built explicitly (the models/ copy is flat, without 1_Pooling/config.json).
    encoder = Transformer(MINILM, max_seq_length=256)
    pipeline = SentenceTransformer(modules=[encoder, Pooling(384, "mean"), Normalize()], device="cpu")
    reference = torch.tensor(pipeline.encode(texts))
    assert float((ours * reference).sum(1).min()) > 0.9999
    for i, row in enumerate(rows):
        distances = sorted(float(1 - reference[i] @ reference[j]) for j in range(len(texts)) if j != i)
        assert row["knn_6"] == pytest.approx(distances[5], abs=1e-4)
