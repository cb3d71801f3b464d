"""Reference tokenization throughput: llama.cpp's tokenizer (llama-cpp-python, vocab only) on the same texts as
`bench-gguf tokenize` (instruction + input, and output, of every record of the Alpaca random 9k subset).

Run: /work/.venv-llama/bin/python bench/gguf/peer_tokenize.py   (bench/gguf/run.sh runs both and the ratio)
"""
import json
import os
import time

import llama_cpp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODELS = [
    ("smollm2", "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf"),
    ("gemma3", "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf"),
]

records = json.load(open(os.path.join(ROOT, "data/alpagasus-alpaca-subsets/random_9k.json"), encoding="utf-8"))
texts = []
for r in records:
    instruction, given = r.get("instruction", ""), r.get("input", "")
    texts += [instruction + "\n\n" + given if given else instruction, r.get("output", "")]
encoded = [t.encode("utf-8") for t in texts]

for name, path in MODELS:
    model = llama_cpp.Llama(os.path.join(ROOT, path), vocab_only=True, verbose=False)
    start = time.perf_counter()
    tokens = sum(len(model.tokenize(t, add_bos=False, special=False)) for t in encoded)
    elapsed = time.perf_counter() - start
    print(f"peer {name}: {len(texts)} texts, {tokens} tokens; one thread {elapsed:.3f} s ({tokens / elapsed:.0f} tokens/s)")
