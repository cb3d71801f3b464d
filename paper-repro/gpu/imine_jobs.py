"""The job protocol shared with the workbench's CommandTrainer (Sources/ScaleOut), and what every script here needs:
reading a job spec, formatting examples, masking prompts, picking the device, writing a result file.

Spec (spec.json, written by the workbench; paths relative to the spec's folder):
    {"format": "imine-finetune-job/1", "job_key": ..., "model": ..., "epochs": 3, "learning_rate": 2e-5,
     "batch_size": 128, "seed": 1, "trainable_layers": null, "options": {"lora": "true", ...},
     "subset": {"path": "subset.json", "sha256": ..., "count": ...},
     "evaluation_sets": [{"name": ..., "path": ..., "sha256": ..., "count": ...}],
     "output": "result.json", "output_dir": "output"}
Result (result.json): {"eval_losses": {name: mean token NLL}, "tokens": int, "wall_seconds": float,
                       "error": null | "message", "checkpoint": null | "path", "metrics": {...}}
"""
import hashlib
import json
import math
import os
import random
import tempfile

import torch

FORMAT = "imine-finetune-job/1"

# The Stanford Alpaca prompt, the common template for LLaMA instruction tuning. The paper does not print its
# template; this is an assumption stated in docs/scale-out.md.
PROMPT_WITH_INPUT = (
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.\n\n"
    "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n")
PROMPT_NO_INPUT = (
    "Below is an instruction that describes a task. "
    "Write a response that appropriately completes the request.\n\n"
    "### Instruction:\n{instruction}\n\n### Response:\n")


class JobError(Exception):
    """A problem with the job's inputs: reported in the result file's "error" field."""


def example_id(record):
    """The workbench's content id (Corpus.Example.contentID): SHA-256 over the turns, then instruction, input and
    response joined by unit separators."""
    h = hashlib.sha256()
    for turn in record.get("turns") or []:
        h.update((turn["role"] + "\x1f" + turn["text"] + "\x1e").encode("utf-8"))
    h.update((record["instruction"] + "\x1f" + record.get("input", "") + "\x1f" + record["output"]).encode("utf-8"))
    return h.hexdigest()


def load_examples(path, sha256=None, count=None):
    """Alpaca JSON records; checks the checksum and count the spec promises, and the fields every record needs."""
    with open(path, "rb") as f:
        data = f.read()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise JobError(f"{path}: checksum differs from the spec's (the file changed after the job was written)")
    records = json.loads(data)
    if not isinstance(records, list):
        raise JobError(f"{path}: expected a JSON array of Alpaca records")
    for i, r in enumerate(records):
        for field in ("instruction", "output"):
            if not isinstance(r.get(field), str):
                raise JobError(f"{path} at $[{i}] field '{field}': missing or not a string")
        r.setdefault("input", "")
        r.setdefault("id", example_id(r))
    if count is not None and len(records) != count:
        raise JobError(f"{path}: {len(records)} records, the spec says {count}")
    return records


def load_spec(path):
    with open(path) as f:
        spec = json.load(f)
    if spec.get("format") != FORMAT:
        raise JobError(f"{path} field 'format': expected {FORMAT!r}, found {spec.get('format')!r}")
    base = os.path.dirname(os.path.abspath(path))
    spec["_dir"] = base
    spec["_output"] = os.path.join(base, spec["output"])
    spec["_output_dir"] = os.path.join(base, spec["output_dir"])
    return spec


def spec_path(spec, relative):
    return os.path.join(spec["_dir"], relative)


def option(spec, name, default, kind=str):
    """A backend option from the spec (all options travel as strings)."""
    value = spec.get("options", {}).get(name)
    if value is None:
        return default
    if kind is bool:
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise JobError(f"options.{name}: expected true or false, found {value!r}")
        return value.lower() in ("true", "1", "yes")
    try:
        return kind(value)
    except ValueError:
        raise JobError(f"options.{name}: expected {kind.__name__}, found {value!r}")


def prompt_of(record):
    """The prompt the model sees; earlier turns of a multi-turn example come first, one per line."""
    history = "".join(f"{t['role']}: {t['text']}\n" for t in record.get("turns") or [])
    template = PROMPT_WITH_INPUT if record.get("input") else PROMPT_NO_INPUT
    return history + template.format(instruction=record["instruction"], input=record.get("input", ""))


def encode(tokenizer, record, max_length):
    """Token ids of prompt + response + EOS, and labels that are -100 on the prompt: the loss is the response's.
    A too-long example keeps its prompt's end and as much response as fits (at least one token)."""
    prompt = tokenizer(prompt_of(record), add_special_tokens=False)["input_ids"]
    response = tokenizer(record["output"], add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    room = max_length - len(bos)
    response = response[: max(room - min(len(prompt), room - 1), 1)]
    prompt = prompt[max(0, len(prompt) - (room - len(response))):]
    ids = bos + prompt + response
    labels = [-100] * (len(bos) + len(prompt)) + response
    return ids, labels


def collate(batch, pad_id):
    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (ids, lab) in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        labels[row, : len(lab)] = torch.tensor(lab)
        mask[row, : len(ids)] = 1
    return {"input_ids": input_ids, "labels": labels, "attention_mask": mask}


def device():
    """CUDA when there is one (the point of these scripts), else the CPU (tests, tiny models)."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_everything(seed):
    random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def load_tokenizer(name):
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(name)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token  # LLaMA has no pad token; padded positions are masked anyway
    return tokenizer


def write_result(path, result):
    """Atomically, so a reader never sees half a file; NaN and infinity are errors, not JSON."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".result-")
    with os.fdopen(fd, "w") as f:
        json.dump(result, f, allow_nan=False, sort_keys=True)
    os.replace(tmp, path)


def finite(x):
    if not math.isfinite(x):
        raise JobError(f"a loss is not finite ({x}): the model diverged")
    return x
