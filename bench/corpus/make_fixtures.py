#!/usr/bin/env python3
"""Reference values for the corpus tests, computed with Python's json, gzip/zlib and hashlib.

Writes Tests/CorpusTests/Fixtures/corpus_reference.json:
- gzip: one text compressed at levels 0 (stored blocks), 1 and 9 (fixed and dynamic Huffman), two-member files,
  each with the SHA-256 of the decompressed bytes;
- datasets: for every Alpaca-style, self-instruct, prediction, FastChat reference and prompt-set file, the number
  of records and the SHA-256 over the content ids of its examples in file order, with the id defined as
  Corpus.Example.contentID (instruction, input, response trimmed of surrounding white space; history as
  user/assistant turns; empty responses dropped, the loaders' default policy).
Run from the repository root: python3 bench/corpus/make_fixtures.py [DATA_DIR]
"""
import base64, gzip, hashlib, io, json, os, sys, zlib

data = sys.argv[1] if len(sys.argv) > 1 else "data"
out = {"gzip": [], "datasets": {}}

text = ("InstructMining fixture: " + "".join(f"line {i}: the quick brown fox {i * i % 97}\n" for i in range(800))).encode()
for level in (0, 1, 9):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0) as f:
        f.write(text)
    out["gzip"].append({"name": f"level{level}", "base64": base64.b64encode(buf.getvalue()).decode(),
                        "sha256": hashlib.sha256(text).hexdigest(), "size": len(text)})
two = gzip.compress(b"first member\n", mtime=0) + gzip.compress(b"second member\n", mtime=0)
out["gzip"].append({"name": "two-members", "base64": base64.b64encode(two).decode(),
                    "sha256": hashlib.sha256(b"first member\nsecond member\n").hexdigest(), "size": 27})

def content_id(instruction, inp, response, turns):
    h = hashlib.sha256()
    for role, t in turns:
        h.update((role + "\x1f" + t + "\x1e").encode())
    h.update((instruction + "\x1f" + inp + "\x1f" + response).encode())
    return h.hexdigest()

# Python's str.strip() also strips \x1c-\x1f; the Swift side documents the same set (Unicode White_Space).
def strip(s):
    return s.strip()

alpaca_files = [
    "alpagasus-alpaca-subsets/claude_t45.json", "alpagasus-alpaca-subsets/helpfulness_t45.json",
    "alpagasus-alpaca-subsets/random_9k.json", "alpagasus-dolly-3k/dolly_3k.json",
    "cherry-alpaca-5pct/cherry_alpaca_5_percent.json", "code-alpaca/code_alpaca_2k.json",
    "code-alpaca/new_codealpaca.json", "lima/lima.json", "llama-factory-demo/alpaca_en_demo.json",
    "llama-factory-demo/identity.json",
]
for path in alpaca_files:
    records = json.load(open(os.path.join(data, path), encoding="utf-8"))
    ids = []
    for r in records:
        response = strip(r.get("output", r.get("response", "")))
        if not response:
            continue  # the default policy drops empty responses
        turns = []
        for u, a in r.get("history", []) or []:
            turns += [("user", strip(u)), ("assistant", strip(a))]
        ids.append(content_id(strip(r["instruction"]), strip(r.get("input", "") or ""), response, turns))
    out["datasets"][path] = {"records": len(records), "examples": len(ids),
                             "ids_sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest()}

def jsonl(path):
    with open(os.path.join(data, path), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def record(path, records, ids):
    out["datasets"][path] = {"records": records, "examples": len(ids),
                             "ids_sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest()}

# Self-instruct tasks: one example per instance.
for path in ["self-instruct/seed_tasks.jsonl", "self-instruct/user_oriented_instructions.jsonl"]:
    rows = jsonl(path)
    ids = [content_id(strip(r["instruction"]), strip(i["input"]), strip(i["output"]), [])
           for r in rows for i in r["instances"] if strip(i["output"])]
    record(path, len(rows), ids)

# The eight models' predictions.
for name in os.listdir(os.path.join(data, "self-instruct/predictions")):
    path = "self-instruct/predictions/" + name
    rows = jsonl(path)
    ids = [content_id(strip(r["instruction"]), strip(r.get("input") or ""), strip(r["response"]), [])
           for r in rows if strip(r["response"])]
    record(path, len(rows), ids)

# FastChat reference answers joined with their questions; turn k carries the earlier turns as history.
for bench in ["mt-bench", "vicuna-bench"]:
    questions = {q["question_id"]: [strip(t) for t in q["turns"]] for q in jsonl(bench + "/question.jsonl")}
    path = bench + "/reference_answer/gpt-4.jsonl"
    rows = jsonl(path)
    ids = []
    for r in rows:
        history = []
        for q, a in zip(questions[r["question_id"]], [strip(t) for t in r["choices"][0]["turns"]]):
            ids.append(content_id(q, "", a, history))
            history = history + [("user", q), ("assistant", a)]
    record(path, len(rows), ids)

# Prompt-only test sets: the first present of the prompt fields, response empty.
for name in sorted(os.listdir(os.path.join(data, "eval-test-sets"))):
    path = "eval-test-sets/" + name
    rows = jsonl(path)
    fields = ["prompt", "text", "Instruction", "instruction", "conversations", "question"]
    ids = [content_id(strip(next(r[k] for k in fields if r.get(k) is not None)), "", "", []) for r in rows]
    record(path, len(rows), ids)

target = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "CorpusTests", "Fixtures", "corpus_reference.json")
with open(target, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print("wrote", os.path.normpath(target))
