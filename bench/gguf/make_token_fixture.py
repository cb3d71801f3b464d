"""Golden token ids for the two real tokenizers, computed by the reference implementation.

Reference: llama.cpp (llama-cpp-python built from source, /work/.venv-llama) when importable:
  Llama(model_path, vocab_only=True).tokenize(text.encode(), add_bos=False, special=False);
otherwise transformers loading the GGUF (AutoTokenizer.from_pretrained(dir, gguf_file=name)). When both are
importable (run with --compare-transformers from the llama venv, or run twice) the disagreements are reported.

Texts: >= 1,000 real texts from data/ (instructions, inputs, responses, prompts; several sources; chosen with a
fixed seed, with every non-ASCII record of the sampled files preferred up to a quota), plus hand-written edge cases
stored literally. The fixture stores which text (file, record index, field) and, per text and model, the token count
and SHA-256 of the ids written as decimal numbers joined by ","; full id lists for the first 30 texts.
It also stores SmolLM2's chat template rendered by jinja2 for a few (instruction, response) pairs.

Run: /work/.venv-llama/bin/python bench/gguf/make_token_fixture.py   (or /work/.venv-ref/bin/python for transformers)
"""
import gzip
import hashlib
import json
import os
import random
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "data")
OUT = os.environ.get("TOKEN_FIXTURE_OUT", os.path.join(ROOT, "Tests/PretrainedLMTests/Fixtures/tokenization.json"))
MODELS = {
    "smollm2": "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
    "gemma3": "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf",
}
# (file, fields, how many records): JSON arrays of objects, or JSONL (one object per line).
SOURCES = [
    ("alpagasus-alpaca-subsets/random_9k.json", ["instruction", "input", "output"], 120),
    ("code-alpaca/code_alpaca_2k.json", ["instruction", "input", "output"], 60),
    ("code-alpaca/new_codealpaca.json", ["instruction", "output"], 50),
    ("lima/lima.json", ["instruction", "output"], 90),
    ("alpagasus-dolly-3k/dolly_3k.json", ["instruction", "input", "output"], 60),
    ("cherry-alpaca-5pct/cherry_alpaca_5_percent.json", ["instruction", "output"], 40),
    ("llama-factory-demo/alpaca_en_demo.json", ["instruction", "output"], 40),
    ("llama-factory-demo/kto_en_demo.json", None, 0),
    ("eval-test-sets/koala_test_set.jsonl", ["prompt"], 60),
    ("eval-test-sets/wizardlm_test_set.jsonl", None, 40),
    ("self-instruct/predictions/text-davinci-003_predictions.jsonl", None, 40),
]
EDGE_CASES = [
    "", " ", "  ", "\n", "\n\n\n", "\t\tindented", "Hello world", " Hello world", "Hello  world  ", "don't I'll we're they've she'd it's HE'S",
    "3.14159 and 1,000,000 and ²³ and ½ and Ⅻ", "café naïve résumé Ünïcödé", "日本語のテキストと中文文本", "emoji 😀👍🏽 family 👨‍👩‍👧",
    "def f(x):\n    return x ** 2  # square\n", "<b>bold</b> and <|im_start|>user<|im_end|> as plain text", "<start_of_turn>model\n",
    "a\u00a0b\u2003c\u3000d", "line\r\nbreak", "tab\tseparated\tvalues", "x" * 300, "   leading spaces", "trailing spaces   ",
    "Ελληνικά и русский текст", "عربى نص", "हिन्दी", "मैं", "C++ / C# / F# -> => != <= >= ===", "https://example.com/a?b=c&d=e#f",
    "\u2581 already marked", "<0x41> is not a byte", "🙂" * 5, "mixed123numbers456and789", "  \n  \n", "\u0085next line", "ﬁ ligature",
]
FULL_IDS = 30


def load_records(path):
    full = os.path.join(DATA, path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(full, "rt", encoding="utf-8") as f:
        if path.endswith(".jsonl") or path.endswith(".jsonl.gz"):
            return [json.loads(line) for line in f if line.strip()]
        return json.load(f)


def choose_texts():
    rng = random.Random(14)
    chosen = []
    for path, fields, count in SOURCES:
        if count == 0:
            continue
        records = load_records(path)
        if fields is None:
            fields = [k for k, v in records[0].items() if isinstance(v, str) and k not in ("id",)]
        order = list(range(len(records)))
        rng.shuffle(order)
        # Prefer records with non-ASCII text (up to a third of the quota), then take the rest in shuffled order.
        non_ascii = [i for i in order if any(isinstance(records[i].get(f), str) and not records[i][f].isascii() for f in fields)]
        picked = non_ascii[: count // 3]
        picked += [i for i in order if i not in set(picked)][: count - len(picked)]
        for index in sorted(picked):
            for field in fields:
                value = records[index].get(field)
                if isinstance(value, str) and value.strip():
                    try:
                        value.encode("utf-8")
                    except UnicodeEncodeError:
                        continue
                    chosen.append({"file": path, "index": index, "field": field, "text": value})
    return chosen


def digest(ids):
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def llama_cpp_tokenizers():
    try:
        import llama_cpp
    except ImportError:
        return None
    out = {}
    for name, path in MODELS.items():
        model = llama_cpp.Llama(os.path.join(ROOT, path), vocab_only=True, verbose=False)
        out[name] = lambda text, m=model: m.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    return "llama.cpp via llama-cpp-python " + llama_cpp.__version__, out


def transformers_tokenizers():
    try:
        from transformers import AutoTokenizer
        import transformers
    except ImportError:
        return None
    out = {}
    for name, path in MODELS.items():
        full = os.path.join(ROOT, path)
        tok = AutoTokenizer.from_pretrained(os.path.dirname(full), gguf_file=os.path.basename(full))
        out[name] = lambda text, t=tok: t.encode(text, add_special_tokens=False)
    return "transformers " + transformers.__version__ + " (GGUF tokenizer conversion)", out


def chat_templates():
    import jinja2
    sys.path.insert(0, "/work/.venv-ref/lib/python3.11/site-packages")
    import gguf
    reader = gguf.GGUFReader(os.path.join(ROOT, MODELS["smollm2"]))
    template = reader.fields["tokenizer.chat_template"].contents()
    env = jinja2.Environment()
    compiled = env.from_string(template)
    pairs = [("Give three tips for staying healthy.", "1. Eat well.\n2. Sleep.\n3. Move."),
             ("Translate 'chat' to English.", "Cat."), ("", "Empty instruction."), ("Multi\nline\ninstruction", "ok")]
    out = []
    for instruction, response in pairs:
        messages = [{"role": "user", "content": instruction}]
        prompt = compiled.render(messages=messages, add_generation_prompt=True)
        full = compiled.render(messages=messages + [{"role": "assistant", "content": response}], add_generation_prompt=False)
        out.append({"instruction": instruction, "response": response, "prompt": prompt, "full": full})
    return out


def main():
    started = time.time()
    texts = choose_texts() + [{"file": "edge-cases", "index": i, "field": "text", "text": t} for i, t in enumerate(EDGE_CASES)]
    primary = llama_cpp_tokenizers() or transformers_tokenizers()
    reference, tokenize = primary
    print(f"reference: {reference}; {len(texts)} texts", file=sys.stderr)
    entries = []
    for n, item in enumerate(texts):
        entry = {"file": item["file"], "index": item["index"], "field": item["field"]}
        if item["file"] == "edge-cases":
            entry["text"] = item["text"]
        for model in MODELS:
            ids = list(tokenize[model](item["text"]))
            entry[model] = {"count": len(ids), "sha256": digest(ids)}
            if n < FULL_IDS:
                entry[model]["ids"] = ids
        entries.append(entry)
    comparison = None
    if "--compare-transformers" in sys.argv and reference.startswith("llama.cpp"):
        sys.path.insert(0, "/work/.venv-ref/lib/python3.11/site-packages")
        other = transformers_tokenizers()
        if other:
            differ = {m: [] for m in MODELS}
            for item, entry in zip(texts, entries):
                for model in MODELS:
                    if digest(list(other[1][model](item["text"]))) != entry[model]["sha256"]:
                        differ[model].append(f'{entry["file"]}#{entry["index"]}.{entry["field"]}')
            comparison = {"other": other[0], "texts_that_differ": {m: {"count": len(v), "first": v[:20]} for m, v in differ.items()}}
            print(json.dumps(comparison, indent=1), file=sys.stderr)
    fixture = {
        "generator": "bench/gguf/make_token_fixture.py",
        "reference": reference,
        "id_digest": "SHA-256 of the ids as decimal numbers joined by ','",
        "models": MODELS,
        "texts": entries,
        "smollm2_chat_template": chat_templates(),
    }
    if comparison:
        fixture["comparison"] = comparison
    with open(OUT, "w") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes, {len(entries)} texts) in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
