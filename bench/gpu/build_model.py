"""Builds the device check's model (bench/gpu/README.md): a LLaMA with random weights from a config, and a byte-level
BPE tokenizer trained on the texts of the exported jobs, saved like a hub checkpoint where the sweep's specs expect it.
Nothing is downloaded (the GPU machine has no network).

    python3 bench/gpu/build_model.py SWEEP_DIR OUT_DIR
"""
import glob
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "paper-repro", "gpu", "tests"))
from tiny_models import tokenizer  # noqa: E402

# SmolLM2-135M's shape (30 blocks, d 576, FFN 1536, 9 query / 3 KV heads): a real small model's cost per token, with
# a vocabulary trained here instead of its 49,152 tokens.
SHAPE = dict(hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3,
             max_position_embeddings=2048, rope_theta=100000.0, tie_word_embeddings=True)


def job_texts(sweep):
    for path in sorted(glob.glob(os.path.join(sweep, "**", "subset.json"), recursive=True)):
        for record in json.load(open(path)):
            yield " ".join([record["instruction"], record.get("input", ""), record["output"]])


def main(sweep, out):
    from transformers import LlamaConfig, LlamaForCausalLM
    texts = list(job_texts(sweep))
    if not texts:
        sys.exit(f"no subset.json under {sweep}")
    tok = tokenizer(["<unk>", "<s>", "</s>"], bos="<s>", eos="</s>", unk="<unk>", vocab=8000, texts=texts)
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(tok), bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, **SHAPE))
    model.save_pretrained(out)
    tok.save_pretrained(out)
    print(json.dumps({"model": out, "parameters": sum(p.numel() for p in model.parameters()), "vocabulary": len(tok),
                      "tokenizer_texts": len(texts)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
