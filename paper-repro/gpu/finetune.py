"""Finetune a causal LM on a workbench job and report its evaluation losses (the CommandTrainer's program).

    python finetune.py --spec jobs/<key>/spec.json                      # one GPU, or the CPU for tiny models
    accelerate launch --config_file fsdp.yaml finetune.py --spec ...    # several GPUs (full LLaMA-2-7B finetune)

Reads the spec's subset (Alpaca JSON), trains for `epochs` with AdamW at `learning_rate`, an effective batch of
`batch_size` examples (micro-batches plus gradient accumulation), linear warm-up then cosine decay, and writes
result.json with the mean token NLL of every evaluation set. Paper settings for LLaMA-2-7B (docs/scale-out.md):
3 epochs (stated by the paper); learning rate 2e-5, batch 128, warm-up 3 %, max length 2048 are Alpaca/Vicuna
defaults, assumed because the paper does not state them.

Options (spec "options", strings): lora (false), lora_r (16), lora_alpha (32), lora_dropout (0.05),
lora_targets (q_proj,v_proj), micro_batch_size (4), max_length (2048), warmup_ratio (0.03), weight_decay (0),
gradient_checkpointing (false), save_checkpoint (false).
`trainable_layers` (not with LoRA): train only these transformer blocks, freeze the rest.
"""
import argparse
import math
import re
import sys
import time
import traceback

import torch

import eval_loss
import imine_jobs as jobs


def freeze_except(model, layers):
    """Trains only the transformer blocks with these indices (the workbench's partial finetune)."""
    pattern = re.compile(r"\.(?:layers|h|layer|blocks)\.(\d+)\.")
    kept = 0
    for name, parameter in model.named_parameters():
        match = pattern.search(name)
        parameter.requires_grad = bool(match and int(match.group(1)) in set(layers))
        kept += parameter.requires_grad
    if kept == 0:
        raise jobs.JobError(f"trainable_layers {layers}: no parameter belongs to those blocks")


def train(spec, accelerator):
    from transformers import AutoModelForCausalLM, get_cosine_schedule_with_warmup

    jobs.seed_everything(spec["seed"])
    max_length = jobs.option(spec, "max_length", 2048, int)
    micro = jobs.option(spec, "micro_batch_size", 4, int)
    batch_size = spec["batch_size"]
    if batch_size % (micro * accelerator.num_processes) != 0:
        micro = math.gcd(batch_size, micro)
        if batch_size % (micro * accelerator.num_processes) != 0:
            raise jobs.JobError(f"batch_size {batch_size} is not a multiple of {accelerator.num_processes} processes")
    accumulation = batch_size // (micro * accelerator.num_processes)
    accelerator.gradient_accumulation_steps = accumulation

    subset = jobs.load_examples(jobs.spec_path(spec, spec["subset"]["path"]), spec["subset"]["sha256"], spec["subset"]["count"])
    eval_sets = {e["name"]: jobs.load_examples(jobs.spec_path(spec, e["path"]), e["sha256"], e["count"])
                 for e in spec["evaluation_sets"]}
    tokenizer = jobs.load_tokenizer(spec["model"])
    dtype = torch.bfloat16 if accelerator.mixed_precision == "bf16" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(spec["model"], dtype=dtype)
    if jobs.option(spec, "gradient_checkpointing", False, bool):
        model.gradient_checkpointing_enable()
    if jobs.option(spec, "lora", False, bool):
        from peft import LoraConfig, get_peft_model
        if spec.get("trainable_layers") is not None:
            raise jobs.JobError("trainable_layers and lora together: choose one")
        model = get_peft_model(model, LoraConfig(
            r=jobs.option(spec, "lora_r", 16, int), lora_alpha=jobs.option(spec, "lora_alpha", 32, int),
            lora_dropout=jobs.option(spec, "lora_dropout", 0.05, float), task_type="CAUSAL_LM",
            target_modules=jobs.option(spec, "lora_targets", "q_proj,v_proj").split(",")))
    elif spec.get("trainable_layers") is not None:
        freeze_except(model, spec["trainable_layers"])

    encoded = [jobs.encode(tokenizer, r, max_length) for r in subset]
    generator = torch.Generator().manual_seed(spec["seed"])
    loader = torch.utils.data.DataLoader(encoded, batch_size=micro, shuffle=True, generator=generator,
                                         collate_fn=lambda b: jobs.collate(b, tokenizer.pad_token_id))
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=spec["learning_rate"],
                                  weight_decay=jobs.option(spec, "weight_decay", 0.0, float))
    # Counted on the full loader: accelerate steps a prepared scheduler once per process per optimizer step.
    steps = spec["epochs"] * math.ceil(len(loader) / accumulation)
    scheduler = get_cosine_schedule_with_warmup(optimizer, math.ceil(jobs.option(spec, "warmup_ratio", 0.03, float) * steps), steps)
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)

    tokens = torch.zeros((), dtype=torch.long, device=accelerator.device)
    epoch_losses = []
    model.train()
    for epoch in range(spec["epochs"]):
        total, count = 0.0, 0
        for batch in loader:
            with accelerator.accumulate(model):
                loss = model(**batch).loss
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(parameters, 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            tokens += batch["attention_mask"].sum()
            total, count = total + float(loss.detach()), count + 1
        epoch_losses.append(jobs.finite(total / max(count, 1)))
        accelerator.print(f"epoch {epoch + 1}/{spec['epochs']}: mean train loss {epoch_losses[-1]:.4f}")

    # Evaluation: each process scores its share of each set; sums are added across processes.
    losses = {}
    for name, records in eval_sets.items():
        mine = records[accelerator.process_index::accelerator.num_processes]
        nlls = eval_loss.example_nlls(model, tokenizer, mine, max_length, micro, accelerator.device) if mine else []
        sums = torch.tensor([sum(n for n, _ in nlls), sum(t for _, t in nlls)], dtype=torch.float64, device=accelerator.device)
        sums = accelerator.reduce(sums, reduction="sum")
        if sums[1] == 0:
            raise jobs.JobError(f"evaluation set {name!r} has no response tokens")
        losses[name] = jobs.finite(float(sums[0] / sums[1]))

    checkpoint = None
    if jobs.option(spec, "save_checkpoint", False, bool):
        accelerator.wait_for_everyone()
        checkpoint = "output/model"
        accelerator.unwrap_model(model).save_pretrained(jobs.spec_path(spec, checkpoint), is_main_process=accelerator.is_main_process,
                                                        save_function=accelerator.save)
        if accelerator.is_main_process:
            tokenizer.save_pretrained(jobs.spec_path(spec, checkpoint))
    total_tokens = int(accelerator.reduce(tokens, reduction="sum"))
    return {"eval_losses": losses, "tokens": total_tokens, "checkpoint": checkpoint,
            "metrics": {"train_loss_per_epoch": epoch_losses, "device": str(accelerator.device),
                        "processes": accelerator.num_processes, "micro_batch_size": micro,
                        "gradient_accumulation": accumulation, "optimizer_steps": steps,
                        "mixed_precision": accelerator.mixed_precision}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", required=True)
    args = parser.parse_args(argv)
    from accelerate import Accelerator

    start = time.time()
    spec = jobs.load_spec(args.spec)
    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    accelerator = Accelerator(mixed_precision="bf16" if bf16 else "no")
    try:
        result = train(spec, accelerator)
    except (jobs.JobError, OSError, RuntimeError, ValueError) as error:
        # Out of memory, a diverged loss, a bad option: say so in the result file, where the workbench looks.
        traceback.print_exc()
        if accelerator.is_main_process:
            jobs.write_result(spec["_output"], {"error": f"{type(error).__name__}: {error}"})
        return 1
    result.update({"wall_seconds": time.time() - start, "error": None})
    if accelerator.is_main_process:
        jobs.write_result(spec["_output"], result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
