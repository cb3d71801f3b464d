"""Mean token NLL of reference responses given their prompts: the paper's data-quality target.

    python eval_loss.py --model DIR_OR_NAME [--adapter DIR] --eval NAME=FILE.json [...] --out losses.json
    python eval_loss.py --spec spec.json          # the base model of a job, unfinetuned: a result file, tokens 0

A set's loss is token-weighted: total NLL of all response tokens (EOS included) / their number. Runs on CUDA when
there is one.
"""
import argparse
import sys
import time

import torch

import imine_jobs as jobs


@torch.no_grad()
def example_nlls(model, tokenizer, records, max_length=2048, batch_size=8, dev=None):
    """(sum of response-token NLL, number of response tokens) per record, in order."""
    dev = dev or next(model.parameters()).device
    was_training = model.training
    model.eval()
    encoded = [jobs.encode(tokenizer, r, max_length) for r in records]
    # Longest first: fewer pad tokens per batch; results go back to the records' order.
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i][0]))
    results = [None] * len(encoded)
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        batch = jobs.collate([encoded[i] for i in chunk], tokenizer.pad_token_id)
        batch = {k: v.to(dev) for k, v in batch.items()}
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
        shifted = logits[:, :-1, :]
        targets = batch["labels"][:, 1:]
        nll = torch.nn.functional.cross_entropy(shifted.transpose(1, 2), targets, ignore_index=-100, reduction="none")
        counted = (targets != -100)
        for row, index in enumerate(chunk):
            results[index] = (float(nll[row][counted[row]].sum()), int(counted[row].sum()))
    if was_training:
        model.train()
    return results


def set_loss(nlls):
    total = sum(n for n, _ in nlls)
    tokens = sum(t for _, t in nlls)
    if tokens == 0:
        raise jobs.JobError("an evaluation set with no response tokens")
    return jobs.finite(total / tokens)


def load_model(name, adapter=None, dev=None):
    from transformers import AutoModelForCausalLM
    dev = dev or jobs.device()
    dtype = torch.bfloat16 if dev.type == "cuda" and torch.cuda.is_bf16_supported() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(name, dtype=dtype).to(dev)
    if adapter:
        from peft import PeftModel
        model = PeftModel.from_pretrained(model, adapter).to(dev)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec")
    parser.add_argument("--model")
    parser.add_argument("--adapter")
    parser.add_argument("--eval", action="append", default=[], metavar="NAME=FILE")
    parser.add_argument("--out")
    parser.add_argument("--max-length", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args(argv)
    start = time.time()
    if args.spec:
        spec = jobs.load_spec(args.spec)
        name, out = spec["model"], spec["_output"]
        sets = {e["name"]: jobs.load_examples(jobs.spec_path(spec, e["path"]), e["sha256"], e["count"])
                for e in spec["evaluation_sets"]}
        max_length = jobs.option(spec, "max_length", args.max_length, int)
    else:
        if not (args.model and args.eval and args.out):
            parser.error("give --spec, or --model, --eval and --out")
        name, out, max_length = args.model, args.out, args.max_length
        sets = {}
        for item in args.eval:
            set_name, _, path = item.partition("=")
            sets[set_name] = jobs.load_examples(path)
    try:
        tokenizer = jobs.load_tokenizer(name)
        model = load_model(name, args.adapter)
        losses = {n: set_loss(example_nlls(model, tokenizer, r, max_length, args.batch_size)) for n, r in sets.items()}
        result = {"eval_losses": losses, "tokens": 0, "wall_seconds": time.time() - start, "error": None,
                  "checkpoint": None, "metrics": {"device": str(next(model.parameters()).device)}}
    except (jobs.JobError, OSError, RuntimeError, ValueError) as error:
        jobs.write_result(out, {"error": f"{type(error).__name__}: {error}"})
        print(f"eval_loss: {error}", file=sys.stderr)
        return 1
    jobs.write_result(out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
