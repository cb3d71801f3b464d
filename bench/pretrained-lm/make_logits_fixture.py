"""Reference logits of the two real GGUF models from transformers (which dequantises the same GGUF file to float32).

For a few real prompts from data/ (token ids from transformers' own tokenizer for that GGUF, special tokens
added), writes Tests/PretrainedLMTests/Fixtures/logits_<model>.json with, per prompt: the token ids; at positions
first, middle and last the top-20 (id, logit) pairs; at every position the max logit, the log-sum-exp and the
mean logit; and the mean next-token NLL of the prompt.

Run (transformers needs accelerate and psutil to load GGUF; installed with pip --no-deps --target beside the
reference venv): PYTHONPATH=/work/.venv-model-extra /work/.venv-ref/bin/python bench/pretrained-lm/make_logits_fixture.py
"""
import json, pathlib, sys
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/PretrainedLMTests/Fixtures"
MODELS = {
    "smollm2": ("models/smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "gemma3": ("models/gemma-3-270m", "gemma-3-270m-q4_k_m.gguf"),
}


def prompts():
    texts = []
    with open(ROOT / "data/eval-test-sets/vicuna_test_set.jsonl") as f:
        for line in list(f)[:2]:
            texts.append(json.loads(line)["text"])
    lima = json.load(open(ROOT / "data/lima/lima.json"))
    texts.append((lima[0]["instruction"] + "\n" + lima[0]["output"])[:400])
    return texts


def main(names):
    torch.set_grad_enabled(False)
    for name in names:
        folder, file = MODELS[name]
        tokenizer = AutoTokenizer.from_pretrained(ROOT / folder, gguf_file=file)
        model = AutoModelForCausalLM.from_pretrained(ROOT / folder, gguf_file=file, torch_dtype=torch.float32)
        model.eval()
        print(name, type(model).__name__, model.config)
        records = []
        for text in prompts():
            ids = tokenizer(text, add_special_tokens=True)["input_ids"][:96]
            logits = model(input_ids=torch.tensor([ids])).logits[0].double()
            t = len(ids)
            positions = sorted({0, t // 2, t - 1})
            top = {}
            for p in positions:
                values, indices = torch.topk(logits[p], 20)
                top[str(p)] = [[int(i), float(v)] for i, v in zip(indices, values)]
            nll = torch.nn.functional.cross_entropy(logits[:-1], torch.tensor(ids[1:]), reduction="mean")
            records.append({
                "text": text, "tokens": ids, "top20": top,
                "max": logits.max(dim=1).values.tolist(),
                "logsumexp": torch.logsumexp(logits, dim=1).tolist(),
                "mean": logits.mean(dim=1).tolist(),
                "mean_nll": float(nll),
            })
            print(name, t, "tokens, mean NLL", float(nll))
        OUT.mkdir(parents=True, exist_ok=True)
        json.dump({"model": f"{folder}/{file}", "transformers": __import__("transformers").__version__,
                   "prompts": records}, open(OUT / f"logits_{name}.json", "w"), indent=1)


main(sys.argv[1:] or list(MODELS))
