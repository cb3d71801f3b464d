"""Golden perplexity of a real text under both real models, computed by llama.cpp (llama-cpp-python 0.3.36 built
from source, /work/.venv-llama) on the GGUF files as set-up installs them (quantised weights, llama.cpp's kernels).

Text: the outputs of LIMA records 0, 1 and 4 (data/lima/lima.json; prose, code and markup), joined by blank lines,
written to Tests/HardeningTests/Fixtures/perplexity_text.txt (the file `imine lm perplexity` reads in the test).

Windows (the same as PretrainedLM's `TextPerplexity`): the text is tokenized as plain text without BOS
(tokenize(add_bos=False, special=False)); windows hold at most CONTEXT positions and run from scratch (reset, eval).
A model that adds BOS (Gemma) starts every window with BOS and scores every text token; a model without BOS
(SmolLM2) starts each window with the previous window's last token and scores every token but the first.
NLL from llama.cpp's logits (logits_all) via log-softmax in float64.

Run: /work/.venv-llama/bin/python bench/gguf/make_perplexity_fixture.py
"""
import hashlib
import json
import math
import os

import numpy as np
from llama_cpp import Llama

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(ROOT, "Tests/HardeningTests/Fixtures")
MODELS = {
    "smollm2-135m-instruct": "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
    "gemma-3-270m": "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf",
}
RECORDS = [0, 1, 4]
CONTEXT = 256


def windows(tokens, bos):
    step, out = CONTEXT - 1, []
    start = 0 if bos is not None else 1
    while start < len(tokens):
        end = min(len(tokens), start + step)
        lead = [bos] if bos is not None else [tokens[start - 1]]
        out.append(lead + tokens[start:end])
        start = end
    return out


def main():
    with open(os.path.join(ROOT, "data/lima/lima.json"), encoding="utf-8") as f:
        records = json.load(f)
    text = "\n\n".join(records[i]["output"] for i in RECORDS) + "\n"
    os.makedirs(FIXTURES, exist_ok=True)
    with open(os.path.join(FIXTURES, "perplexity_text.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    result = {"source": "data/lima/lima.json outputs of records %s joined by blank lines" % RECORDS,
              "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "text_bytes": len(text.encode()),
              "context": CONTEXT, "reference": "llama-cpp-python 0.3.36 (llama.cpp built from source), quantised GGUF weights",
              "models": {}}
    for name, path in MODELS.items():
        llm = Llama(model_path=os.path.join(ROOT, path), n_ctx=CONTEXT, n_batch=CONTEXT, n_ubatch=CONTEXT,
                    logits_all=True, n_threads=2, verbose=False)
        adds_bos = llm.metadata.get("tokenizer.ggml.add_bos_token", "false") == "true"
        bos = llm.token_bos() if adds_bos else None
        tokens = llm.tokenize(text.encode(), add_bos=False, special=False)
        total, scored = 0.0, 0
        for window in windows(tokens, bos):
            llm.reset()
            llm.eval(window)
            logits = np.array(llm.scores[: len(window)], dtype=np.float64)
            for i in range(len(window) - 1):
                row = logits[i]
                m = row.max()
                total += (m + math.log(np.exp(row - m).sum())) - row[window[i + 1]]
                scored += 1
        first_bytes = 0 if bos is not None else len(llm.detokenize([tokens[0]]))
        result["models"][name] = {"tokens": len(tokens), "scored": scored, "adds_bos": adds_bos,
                                  "ids_sha256": hashlib.sha256(",".join(map(str, tokens)).encode()).hexdigest(),
                                  "total_nll": total, "mean_nll": total / scored,
                                  "bits_per_byte": total / math.log(2) / (len(text.encode()) - first_bytes)}
        print(name, result["models"][name])
        del llm
    with open(os.path.join(FIXTURES, "perplexity_llamacpp.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
