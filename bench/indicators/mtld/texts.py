"""Real response texts for the MTLD fixture and benchmark, picked deterministically from the data folder.

Shared by make_fixture.py (golden values) and peer_throughput.py (the benchmark's peer timing), so both see
exactly the texts the Swift side is tested and timed on.
"""
import gzip
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA = os.environ.get("IMINE_DATA", os.path.join(ROOT, "data"))


def _json(path):
    with open(os.path.join(DATA, path), encoding="utf-8") as f:
        return json.load(f)


def _jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(os.path.join(DATA, path), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sources():
    """(source name, list of response texts) for every source used, in a fixed order."""
    out = [
        ("alpaca-random-9k", [r["output"] for r in _json("alpagasus-alpaca-subsets/random_9k.json")]),
        ("alpagasus-dolly-3k", [r["output"] for r in _json("alpagasus-dolly-3k/dolly_3k.json")]),
        ("lima", [r["output"] for r in _json("lima/lima.json")]),
        ("code-alpaca-2k", [r["output"] for r in _json("code-alpaca/code_alpaca_2k.json")]),
        ("cherry-alpaca-5pct", [r["output"] for r in _json("cherry-alpaca-5pct/cherry_alpaca_5_percent.json")]),
        ("dpo-en-demo", [r["chosen"]["value"] for r in _json("llama-factory-demo/dpo_en_demo.json")]),
    ]
    pred_dir = "self-instruct/predictions"
    for name in sorted(os.listdir(os.path.join(DATA, pred_dir))):
        model = name.replace("_predictions.jsonl", "")
        out.append(("self-instruct/" + model, [r["response"] for r in _jsonl(os.path.join(pred_dir, name))]))
    return out


def fixture_texts(per_source=20, unicode_extra=40, short_extra=20, seed=20230713):
    """A mixed sample: `per_source` random responses from each source, plus extra texts with non-ASCII
    characters and extra short ones (< 50 tokens), so that tokenisation edge cases are covered."""
    rng = random.Random(seed)
    picked, seen = [], set()

    def take(source, text):
        if text not in seen:
            seen.add(text)
            picked.append({"source": source, "text": text})

    all_sources = sources()
    for source, texts in all_sources:
        for i in sorted(rng.sample(range(len(texts)), per_source)):
            take(source, texts[i])
    pool = [(s, t) for s, texts in all_sources for t in texts]
    unicode = [(s, t) for s, t in pool if any(ord(c) > 127 for c in t)]
    for i in sorted(rng.sample(range(len(unicode)), unicode_extra)):
        take(*unicode[i])
    short = [(s, t) for s, t in pool if len(t.split()) < 30]
    for i in sorted(rng.sample(range(len(short)), short_extra)):
        take(*short[i])
    return picked


def benchmark_texts():
    """The benchmark workload: every response of Alpaca random-9k, LIMA and the 8 self-instruct models."""
    out = []
    for source, texts in sources():
        if source in ("alpaca-random-9k", "lima") or source.startswith("self-instruct/"):
            out.extend(texts)
    return out
