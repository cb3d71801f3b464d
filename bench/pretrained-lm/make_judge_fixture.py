"""Reference scores of the UniEval-style judge indicators (judge_naturalness, judge_coherence,
judge_understandability) from transformers, which dequantises the same SmolLM2-135M-Instruct GGUF to float32.

For 5 real Alpaca examples (the first four of AlpaGasus' random_9k.json and one long LIMA example, which the
128-token limit cuts) and each of UniEval's three dialogue questions, builds the judge prompt exactly as
Sources/PretrainedLM/BooleanJudge.swift documents it, written independently here:
  - the chat template's text before and after a user message, taken from transformers' own rendering of the GGUF's
    chat template (apply_chat_template with a placeholder message, add_generation_prompt=True);
  - pieces tokenised on their own and the ids concatenated: [before + question] (special tokens parsed),
    then per section ["\n\n<label>: "] [text] (text: plain, special tokens not parsed), then
    ["\n\nAnswer Yes or No."] [after] (special tokens parsed);
  - while the prompt exceeds MAX_LENGTH, the longest section's text loses its last token (among equals the later);
and writes Tests/IndicatorsTests/Fixtures/judge_smollm2.json with the token ids and
P(Yes) / (P(Yes) + P(No)) of the next token after the prompt ("Yes" and "No" as single tokens).

Run: PYTHONPATH=/work/.venv-model-extra /work/.venv-ref/bin/python bench/pretrained-lm/make_judge_fixture.py
"""
import json, math, pathlib
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parents[2]
FOLDER, FILE = "models/smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = ROOT / "Tests/IndicatorsTests/Fixtures/judge_smollm2.json"
MAX_LENGTH = 128  # the real profiles' indicators.lm.max_length

# UniEval's dialogue questions (utils.py, add_question, task == 'dialogue'); coherence also reads the history.
QUESTIONS = {
    "naturalness": "Is this a natural response in the dialogue?",
    "coherence": "Is this a coherent response given the dialogue history?",
    "understandability": "Is this an understandable response in the dialogue?",
}


def examples():
    alpaca = json.load(open(ROOT / "data/alpagasus-alpaca-subsets/random_9k.json"))[:4]
    lima = json.load(open(ROOT / "data/lima/lima.json"))[0]
    rows = [{"instruction": e["instruction"], "input": e["input"], "response": e["output"]} for e in alpaca]
    rows.append({"instruction": lima["instruction"], "input": lima.get("input", ""), "response": lima["output"]})
    return rows


def main():
    torch.set_grad_enabled(False)
    tok = AutoTokenizer.from_pretrained(ROOT / FOLDER, gguf_file=FILE)
    model = AutoModelForCausalLM.from_pretrained(ROOT / FOLDER, gguf_file=FILE, torch_dtype=torch.float32).eval()
    marker = "\u0001PLACEHOLDER\u0001"
    rendered = tok.apply_chat_template([{"role": "user", "content": marker}], tokenize=False, add_generation_prompt=True)
    before, after = rendered.split(marker)
    yes, no = tok.encode("Yes", add_special_tokens=False), tok.encode("No", add_special_tokens=False)
    assert len(yes) == 1 and len(no) == 1
    plain = lambda s: tok.encode(s, add_special_tokens=False, split_special_tokens=True)
    records = []
    for example in examples():
        prompt_text = example["instruction"] if not example["input"] else example["instruction"] + "\n\n" + example["input"]
        for dimension, question in QUESTIONS.items():
            sections = [("Response", example["response"])] + ([("Dialogue history", prompt_text)] if dimension == "coherence" else [])
            fixed = [tok.encode(before + question, add_special_tokens=True)]
            texts = []
            for label, text in sections:
                fixed.append(plain(f"\n\n{label}: "))
                texts.append(plain(text))
            fixed.append(plain("\n\nAnswer Yes or No.") + tok.encode(after, add_special_tokens=False))
            budget = MAX_LENGTH - sum(len(f) for f in fixed)
            lengths = [len(t) for t in texts]
            while sum(lengths) > budget:
                longest = max(range(len(lengths)), key=lambda i: (lengths[i], i))
                lengths[longest] -= 1
            ids = list(fixed[0])
            for i, t in enumerate(texts):
                ids += fixed[i + 1] + t[:lengths[i]]
            ids += fixed[-1]
            logits = model(input_ids=torch.tensor([ids])).logits[0, -1].double()
            share = 1 / (1 + math.exp(float(logits[no[0]] - logits[yes[0]])))
            p = torch.softmax(logits, 0)
            records.append({**example, "dimension": dimension, "tokens": ids, "yes_share": share,
                            "p_yes": float(p[yes[0]]), "p_no": float(p[no[0]]), "cut": sum(len(t) for t in texts) > budget})
            print(dimension, len(ids), "tokens", "cut" if records[-1]["cut"] else "whole", "share", round(share, 4),
                  "P(Yes)+P(No)", round(float(p[yes[0]] + p[no[0]]), 3))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    json.dump({"model": f"{FOLDER}/{FILE}", "transformers": __import__("transformers").__version__, "max_length": MAX_LENGTH,
               "prompts": records}, open(OUT, "w"), indent=1)


main()
