"""Reference features of the language-model reward head: SmolLM2-135M-Instruct's final-norm hidden state at the last
token of a (prompt, response) exchange, from transformers, which dequantises the same GGUF file to float32.

For 4 real preference pairs (the first two of hh-rlhf harmless-base test, prompt = the last Human turn, and the first
two of LLaMA-Factory's dpo_en_demo), both responses of each, builds the exchange exactly as
Sources/PretrainedLM/ExchangeHiddenState.swift documents it, written independently here:
  - the texts around the user message and around the assistant message, taken from transformers' own rendering of
    the GGUF's chat template for [user, assistant] with placeholder contents;
  - pieces tokenised on their own and the ids concatenated: [before] (special tokens parsed), [prompt] (plain),
    [after] (special tokens parsed), [response] (plain), [closing] (special tokens parsed);
  - when longer than MAX_LENGTH, the prompt loses tokens from its start, then (if it is empty) the response;
and writes Tests/PretrainedLMTests/Fixtures/exchange_states_smollm2.json with the texts, the token ids and
model.model(ids).last_hidden_state[0, -1] (after the final RMSNorm).

Run: PYTHONPATH=/work/.venv-model-extra /work/.venv-ref/bin/python bench/pretrained-lm/make_exchange_state_fixture.py
"""
import gzip, json, pathlib
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parents[2]
FOLDER, FILE = "models/smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = ROOT / "Tests/PretrainedLMTests/Fixtures/exchange_states_smollm2.json"
MAX_LENGTH = 128  # short enough that some exchanges are cut


def last_turns(dialogue):
    """hh-rlhf's text: the last Human turn and the last Assistant turn."""
    human = dialogue.rsplit("\n\nHuman: ", 1)[1]
    prompt, answer = human.split("\n\nAssistant: ", 1)
    return prompt, answer


def pairs():
    rows = []
    with gzip.open(ROOT / "data/hh-rlhf/harmless-base/test.jsonl.gz", "rt") as f:
        for line in list(f)[:2]:
            record = json.loads(line)
            prompt, chosen = last_turns(record["chosen"])
            _, rejected = last_turns(record["rejected"])
            rows.append((prompt, chosen, rejected))
    for record in json.load(open(ROOT / "data/llama-factory-demo/dpo_en_demo.json"))[:2]:
        rows.append((record["conversations"][-1]["value"], record["chosen"]["value"], record["rejected"]["value"]))
    return rows


def main():
    torch.set_grad_enabled(False)
    tok = AutoTokenizer.from_pretrained(ROOT / FOLDER, gguf_file=FILE)
    model = AutoModelForCausalLM.from_pretrained(ROOT / FOLDER, gguf_file=FILE, torch_dtype=torch.float32).eval()
    user, assistant = "\u0001USER\u0001", "\u0001ASSISTANT\u0001"
    rendered = tok.apply_chat_template([{"role": "user", "content": user}, {"role": "assistant", "content": assistant}], tokenize=False)
    before, rest = rendered.split(user)
    after, closing = rest.split(assistant)
    special = lambda s, add=False: tok.encode(s, add_special_tokens=add)
    plain = lambda s: tok.encode(s, add_special_tokens=False, split_special_tokens=True)
    records = []
    for prompt, chosen, rejected in pairs():
        for response in (chosen, rejected):
            head, mid, end = special(before, True), special(after), special(closing)
            message, answer = plain(prompt), plain(response)
            budget = max(1, MAX_LENGTH - len(head) - len(mid) - len(end))
            cut = len(message) + len(answer) > budget
            if cut:
                keep = max(0, budget - len(answer))
                message = message[len(message) - keep:] if keep else []
                answer = answer[len(answer) - (budget - len(message)):]
            ids = head + message + mid + answer + end
            state = model.model(input_ids=torch.tensor([ids])).last_hidden_state[0, -1]
            records.append({"prompt": prompt, "response": response, "tokens": ids, "cut": cut, "state": [float(x) for x in state]})
            print(len(ids), "tokens", "cut" if cut else "whole", "max |state|", round(float(state.abs().max()), 3))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    json.dump({"model": f"{FOLDER}/{FILE}", "transformers": __import__("transformers").__version__, "max_length": MAX_LENGTH,
               "exchanges": records}, open(OUT, "w"), indent=1)


main()
