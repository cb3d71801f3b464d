"""The paper's model-based indicators, per example, written as JSONL keyed by the workbench's example id.

    python indicators.py --examples pool.json --out pool-indicators.jsonl \
        --reward-model OpenAssistant/oasst-rm-2.1-pythia-1.4b-epoch-2.5 \
        --ppl-model meta-llama/Llama-2-7b-hf \
        --unieval-model MingZhong/unieval-dialog \
        --sbert-model sentence-transformers/all-MiniLM-L6-v2 --knn-k 6

Any subset of the four models may be given. Output: one line per example, in input order,
    {"id": ..., "reward": r, "ppl": p, "unieval_naturalness": n, "unieval_coherence": c,
     "unieval_understandability": u, "knn_6": d}
and OUT.meta.json describing each column's variant (model, weight-file SHA-256, template, k, metric, pool), which
the workbench's external-indicator import records as the variant. Runs on CUDA when there is one.

Definitions (see ../../docs/scale-out.md and the shared indicators doc):
- reward: OpenAssistant reward model score (the scalar head's output) of
  "<|prompter|>{instruction[\n\ninput]}<|endoftext|><|assistant|>{response}<|endoftext|>".
- ppl: exp(mean NLL of the response tokens given the Alpaca prompt) under the causal LM.
- unieval_*: UniEval-dialog's Boolean QA score P(Yes) / (P(Yes) + P(No)) at the first decoder step;
  naturalness and understandability read the response, coherence reads the response and the instruction as
  the dialogue history.
- knn_K: cosine distance (1 - cos) from an example's Sentence-BERT embedding (mean pooling, L2-normalised, max 256
  tokens, text = instruction, input and response joined by newlines) to its K-th nearest neighbour in the same
  file, itself excluded.
"""
import argparse
import glob
import hashlib
import json
import math
import os
import sys

import torch

import eval_loss
import imine_jobs as jobs

UNIEVAL_QUESTIONS = {
    "naturalness": "question: Is this a natural response in the dialogue? </s> response: {response}",
    "coherence": "question: Is this a coherent response given the dialogue history? </s> response: {response}"
                 " </s> dialogue history: {history}",
    "understandability": "question: Is this an understandable response in the dialogue? </s> response: {response}",
}


def weights_digest(name):
    """SHA-256 over a local model folder's weight files (name order), so a stored value names its exact model."""
    files = sorted(glob.glob(os.path.join(name, "*.safetensors")) + glob.glob(os.path.join(name, "*.bin")))
    if not files:
        return None
    h = hashlib.sha256()
    for path in files:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def question(record):
    return record["instruction"] + ("\n\n" + record["input"] if record.get("input") else "")


class RewardModel(torch.nn.Module):
    """OpenAssistant's GPT-NeoX reward model: the GPT-NeoX trunk, then a linear head on the last real token."""

    def __init__(self, config):
        from transformers import GPTNeoXModel
        super().__init__()
        self.gpt_neox = GPTNeoXModel(config)
        self.out_proj = torch.nn.Linear(config.hidden_size, 1)
        self.pooling = getattr(config, "pooling", "last")

    def forward(self, input_ids, attention_mask):
        hidden = self.gpt_neox(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if self.pooling == "mean":
            pooled = (hidden * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        else:
            last = attention_mask.sum(1) - 1  # right padding: the last real token
            pooled = hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
        return self.out_proj(pooled).squeeze(-1)


def load_reward_model(name, dev):
    """OpenAssistant's own layout (config model_type gpt_neox_reward_model, weights gpt_neox.* and out_proj.*),
    or any Hugging Face sequence classifier with one label."""
    from transformers import AutoModelForSequenceClassification, GPTNeoXConfig
    config_path = os.path.join(name, "config.json")
    if os.path.exists(config_path):
        with open(config_path) as f:
            raw = json.load(f)
        if raw.get("model_type") == "gpt_neox_reward_model" or "GPTNeoXRewardModel" in raw.get("architectures", []):
            fields = {k: v for k, v in raw.items() if k not in ("model_type", "architectures")}
            model = RewardModel(GPTNeoXConfig(**fields))
            state = {}
            for path in sorted(glob.glob(os.path.join(name, "*.safetensors"))):
                from safetensors.torch import load_file
                state.update(load_file(path))
            for path in sorted(glob.glob(os.path.join(name, "pytorch_model*.bin"))):
                state.update(torch.load(path, map_location="cpu", weights_only=True))
            missing, unexpected = model.load_state_dict(state, strict=False)
            missing = [k for k in missing if not k.endswith(("rotary_emb.inv_freq", "attention.bias", "masked_bias"))]
            if missing or unexpected:
                raise jobs.JobError(f"{name}: reward weights do not match the GPT-NeoX reward layout "
                                    f"(missing {missing[:5]}, unexpected {unexpected[:5]})")
            return model.to(dev).eval(), "last-token linear head (OpenAssistant GPTNeoXRewardModel)"
    model = AutoModelForSequenceClassification.from_pretrained(name, num_labels=1).to(dev).eval()
    return model, "AutoModelForSequenceClassification logit"


@torch.no_grad()
def reward_scores(name, records, dev, batch_size=8, max_length=2048):
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(name)
    tokenizer.padding_side = "right"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model, kind = load_reward_model(name, dev)
    eos = tokenizer.eos_token or "<|endoftext|>"
    texts = [f"<|prompter|>{question(r)}{eos}<|assistant|>{r['output']}{eos}" for r in records]
    scores = []
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(texts[start:start + batch_size], return_tensors="pt", padding=True, truncation=True,
                          max_length=max_length, add_special_tokens=False).to(dev)
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        logits = out if isinstance(out, torch.Tensor) else out.logits[:, 0]
        scores.extend(float(x) for x in logits.float())
    return scores, {"template": "<|prompter|>{q}<eos><|assistant|>{a}<eos>", "head": kind}


def perplexities(name, records, dev, batch_size=8, max_length=2048):
    tokenizer = jobs.load_tokenizer(name)
    model = eval_loss.load_model(name, dev=dev)
    nlls = eval_loss.example_nlls(model, tokenizer, records, max_length, batch_size, dev)
    return [math.exp(total / count) for total, count in nlls], {"template": "alpaca", "max_length": max_length}


@torch.no_grad()
def unieval_scores(name, records, dev, batch_size=8, max_length=1024):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(name)
    model = AutoModelForSeq2SeqLM.from_pretrained(name).to(dev).eval()
    yes, no = tokenizer("Yes").input_ids[0], tokenizer("No").input_ids[0]  # as UniEval's own scorer picks them
    start_id = model.config.decoder_start_token_id
    columns = {}
    for dimension, template in UNIEVAL_QUESTIONS.items():
        texts = [template.format(response=r["output"], history=question(r) + "\n\n") for r in records]
        values = []
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start:start + batch_size], return_tensors="pt", padding=True, truncation=True,
                              max_length=max_length).to(dev)
            decoder = torch.full((batch["input_ids"].shape[0], 1), start_id, dtype=torch.long, device=dev)
            logits = model(**batch, decoder_input_ids=decoder).logits[:, 0, :].float()
            probs = torch.softmax(logits, dim=-1)
            values.extend(float(p[yes] / (p[yes] + p[no])) for p in probs)
        columns[f"unieval_{dimension}"] = values
    return columns, {"questions": UNIEVAL_QUESTIONS, "yes_token": yes, "no_token": no}


@torch.no_grad()
def sbert_embeddings(name, texts, dev, batch_size=32, max_length=256):
    from transformers import AutoModel, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(name)
    model = AutoModel.from_pretrained(name).to(dev).eval()
    chunks = []
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(texts[start:start + batch_size], return_tensors="pt", padding=True, truncation=True,
                          max_length=max_length).to(dev)
        hidden = model(**batch).last_hidden_state.float()
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        chunks.append(torch.nn.functional.normalize(pooled, dim=-1))
    return torch.cat(chunks)


def knn_distances(embeddings, k):
    """Cosine distance to the k-th nearest neighbour, self excluded, exact (blocked matrix products)."""
    n = embeddings.shape[0]
    if n <= k:
        raise jobs.JobError(f"knn_{k} needs more than {k} examples, the file has {n}")
    out = []
    for start in range(0, n, 1024):
        sims = embeddings[start:start + 1024] @ embeddings.T
        rows = torch.arange(sims.shape[0], device=sims.device)
        sims[rows, rows + start] = -math.inf  # never one's own neighbour
        out.extend(float(1 - s) for s in sims.topk(k, dim=1).values[:, k - 1])
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", required=True, help="Alpaca JSON (with the workbench's ids, or they are computed)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--reward-model")
    parser.add_argument("--ppl-model")
    parser.add_argument("--unieval-model")
    parser.add_argument("--sbert-model")
    parser.add_argument("--knn-k", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args(argv)
    if not any([args.reward_model, args.ppl_model, args.unieval_model, args.sbert_model]):
        parser.error("name at least one model")
    records = jobs.load_examples(args.examples)
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"{args.examples}: duplicate example ids; the workbench keys indicators by id")
    dev = jobs.device()
    columns, meta = {}, {"examples": os.path.abspath(args.examples), "count": len(records), "device": str(dev), "columns": {}}

    def describe(column, model, **variant):
        meta["columns"][column] = {"model": model, "weights_sha256": weights_digest(model), **variant}

    if args.reward_model:
        columns["reward"], variant = reward_scores(args.reward_model, records, dev, args.batch_size)
        describe("reward", args.reward_model, **variant)
    if args.ppl_model:
        columns["ppl"], variant = perplexities(args.ppl_model, records, dev, args.batch_size)
        describe("ppl", args.ppl_model, **variant)
    if args.unieval_model:
        scores, variant = unieval_scores(args.unieval_model, records, dev, args.batch_size)
        columns.update(scores)
        for column in scores:
            describe(column, args.unieval_model, **variant)
    if args.sbert_model:
        texts = ["\n".join(x for x in (r["instruction"], r.get("input", ""), r["output"]) if x) for r in records]
        column = f"knn_{args.knn_k}"
        columns[column] = knn_distances(sbert_embeddings(args.sbert_model, texts, dev), args.knn_k)
        describe(column, args.sbert_model, k=args.knn_k, metric="cosine distance", pooling="mean, L2-normalised",
                 max_length=256, pool=os.path.abspath(args.examples))
    for name, values in columns.items():
        bad = [ids[i] for i, v in enumerate(values) if not math.isfinite(v)]
        if bad:
            raise SystemExit(f"{name}: non-finite values for {len(bad)} examples, first {bad[0]}")
    tmp = args.out + ".part"
    with open(tmp, "w") as f:
        for i, example_id in enumerate(ids):
            row = {"id": example_id, **{name: values[i] for name, values in sorted(columns.items())}}
            f.write(json.dumps(row, allow_nan=False) + "\n")
    os.replace(tmp, args.out)
    with open(args.out + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
