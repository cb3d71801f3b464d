"""Golden WordPiece ids and all-MiniLM-L6-v2 embeddings for the Swift tokenizer and encoder tests.

Run: .venv-torch/bin/python bench/indicators/embeddings/make_fixture.py
Writes Tests/NeuralTests/Fixtures/minilm_fixture.json with, per text: its source, the text, the full token ids
(fast BERT tokenizer, [CLS]/[SEP], no truncation) and, for the "embed" subset, the sentence-transformers embedding
(max_seq_length 256, mean pooling, L2-normalised).
"""
import gzip, json, random, sys
from pathlib import Path
from st_model import DATA, ROOT, instruction_text, load_model

OUT = ROOT / "Tests" / "NeuralTests" / "Fixtures" / "minilm_fixture.json"
rng = random.Random(20230712)

# Hand-written edge cases for the normaliser and pre-tokeniser.
EDGE = [
    "", "   ", "Hello, World!", "Café naïve résumé ÀÉÎÕÜ façade", "Ünïcödé façade — “quotes” and ‘apostrophes’…",
    "中文字符测试：我爱北京天安门。", "日本語のテキストとカタカナ、ひらがな。", "한국어 텍스트입니다.",
    "ΟΔΥΣΣΕΥΣ Σίσυφος σοφός ΣΟΦΟΣ", "İstanbul ıi İI", "tab\tnew\nline\rcarriage\u000bvt\u000cff",
    "nbsp\u00a0here\u2028line\u2029para\u3000ideo\u200bzw\u200dzwj\ufeffbom", "control\u0000nul\u0007bel\u0085nel\ufffdrepl",
    "emoji 😀👍🏽 and ©®™ symbols $5+3=8 <tag> a|b ^~`", "x" * 120, "pneumonoultramicroscopicsilicovolcanoconiosis",
    "e\u0301 combining acute, n\u0303, Å vs A\u030a", "Ǆ ǅ ǆ ß ẞ ﬁ ligature", "Ελληνικά: Αθήνα.", "Привет, мир! Ёжик.",
    "مرحبا بالعالم", "שלום עולם", "हिन्दी पाठ", "ไทยภาษา", "math: ∑∫√∞ ≤ ≥ ≠ ±", "url https://example.com/a?b=c&d=e#f",
    "don't won't it's co-operate e-mail 3.14 1,000,000 U.S.A.", "«guillemets» ¿Qué? ¡Sí! „Anführung“",
]


def load_json(name):
    return json.loads((DATA / name).read_text())


def sample(records, n, key):
    picked = rng.sample(records, n)
    return [(key, instruction_text(r)) for r in picked]


def main():
    random_9k = load_json("alpagasus-alpaca-subsets/random_9k.json")
    dolly = load_json("alpagasus-dolly-3k/dolly_3k.json")
    code = load_json("code-alpaca/code_alpaca_2k.json")
    lima = load_json("lima/lima.json")
    hh = [json.loads(l) for l in gzip.open(DATA / "hh-rlhf/harmless-base/test.jsonl.gz")]
    dpo = load_json("llama-factory-demo/dpo_en_demo.json")
    kto = load_json("llama-factory-demo/kto_en_demo.json")

    embed = []
    embed += sample(random_9k, 30, "random_9k")
    embed += sample(dolly, 12, "dolly_3k")
    embed += sample(code, 12, "code_alpaca_2k")
    embed += sample(lima, 14, "lima")  # mostly > 256 tokens: exercises truncation
    embed += [("hh-rlhf", r["chosen"]) for r in rng.sample(hh, 8)]
    embed += [("dpo_en_demo", d["conversations"][-1]["value"] + "\n" + d["chosen"]["value"]) for d in rng.sample(dpo, 8)]
    # Real texts with non-ASCII characters, from every source.
    pool = [instruction_text(r) for r in random_9k + dolly + lima] + [m["content"] for d in kto for m in d["messages"]]
    non_ascii = sorted({t for t in pool if any(ord(c) > 127 for c in t)})
    embed += [("non-ascii", t) for t in rng.sample(non_ascii, 20)]
    embed += [("edge", t) for t in EDGE]

    # Extra texts for the tokenizer only (ids are cheap to compare exactly).
    extra = sample(random_9k, 150, "random_9k") + sample(lima, 30, "lima")
    extra += [("non-ascii", t) for t in rng.sample(non_ascii, 120)]

    model = load_model()
    assert model.max_seq_length == 256
    tok = model.tokenizer
    texts = [t for _, t in embed]
    vectors = model.encode(texts, batch_size=16, convert_to_numpy=True)
    items = []
    for (source, text), vec in zip(embed, vectors):
        ids = tok(text, add_special_tokens=True, truncation=False)["input_ids"]
        items.append({"source": source, "text": text, "ids": ids, "embedding": [round(float(v), 7) for v in vec]})
    for source, text in extra:
        ids = tok(text, add_special_tokens=True, truncation=False)["input_ids"]
        items.append({"source": source, "text": text, "ids": ids})
    long_count = sum(1 for i in items if "embedding" in i and len(i["ids"]) > 256)
    import sentence_transformers, tokenizers, torch, transformers
    fixture = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (models/all-minilm-l6-v2)",
        "max_seq_length": 256,
        "versions": {"sentence_transformers": sentence_transformers.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "torch": torch.__version__},
        "items": items,
    }
    OUT.write_text(json.dumps(fixture, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}: {len(items)} texts, {len(embed)} with embeddings ({long_count} longer than 256 tokens)", file=sys.stderr)


if __name__ == "__main__":
    main()
