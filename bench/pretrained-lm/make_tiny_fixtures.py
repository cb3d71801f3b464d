"""Tiny random llama and gemma3 models in transformers, with loss, logits and every gradient from PyTorch autograd.

Writes Tests/PretrainedLMTests/Fixtures/tiny_{llama,gemma3}.safetensors: the float32 weights under their HF names
("weight/<name>"), the batch ("batch/tokens", "batch/targets"; -1 = no loss), the float64 reference logits
("logits") and gradients ("grad/<name>") computed from those float32 weights, and for llama also LoRA adapters
("lora/<name>.A", ".B") with their gradients ("lora_grad/..."). Metadata: the config as JSON and the loss.

Run: /work/.venv-ref/bin/python bench/pretrained-lm/make_tiny_fixtures.py
"""
import json, math, pathlib
import torch
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM, Gemma3TextConfig, Gemma3ForCausalLM

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/PretrainedLMTests/Fixtures"
LORA_RANK, LORA_ALPHA = 4, 8.0
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def batch(vocab, generator):
    # Two sequences of 12 tokens; the first has a 5-token prompt, the second a 3-token prompt and 2 padding slots.
    tokens = torch.randint(0, vocab, (2, 12), generator=generator)
    targets = torch.roll(tokens, -1, dims=1).clone()
    targets[0, :5] = -1
    targets[0, 11] = -1
    targets[1, :3] = -1
    targets[1, 9:] = -1
    return tokens, targets


def randomize(model, generator, norm_offset):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                # llama norms are gains around 1; gemma3 norms are offsets from 1 (the model uses 1 + w)
                p.copy_((0.0 if norm_offset else 1.0) + 0.2 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=generator))


def mean_nll(logits, targets):
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                             ignore_index=-1, reduction="mean")


def run(name, config, cls, meta, lora=False, norm_offset=False):
    generator = torch.Generator().manual_seed(1234)
    model = cls(config).to(torch.float32)
    randomize(model, generator, norm_offset)
    weights32 = {n: p.detach().clone().float() for n, p in model.named_parameters()}
    model = model.double()
    model.eval()
    tokens, targets = batch(config.vocab_size, generator)
    out = {f"weight/{n}": w.contiguous() for n, w in weights32.items()}
    out["batch/tokens"] = tokens.float()
    out["batch/targets"] = targets.float()
    logits = model(input_ids=tokens).logits
    loss = mean_nll(logits, targets)
    loss.backward()
    out["logits"] = logits.detach().float().contiguous()
    for n, p in model.named_parameters():
        out[f"grad/{n}"] = p.grad.detach().float().contiguous()
    metadata = {"config": json.dumps(meta), "loss": repr(loss.item())}
    if lora:
        model.zero_grad()
        params = {n: p.detach() for n, p in model.named_parameters()}
        adapters = {}
        for n, p in params.items():
            if any(f".{t}." in n for t in LORA_TARGETS):
                a = (0.2 * torch.randn(LORA_RANK, p.shape[1], generator=generator)).double().requires_grad_()
                b = (0.2 * torch.randn(p.shape[0], LORA_RANK, generator=generator)).double().requires_grad_()
                adapters[n] = (a, b)
        scale = LORA_ALPHA / LORA_RANK
        merged = dict(params)
        for n, (a, b) in adapters.items():
            merged[n] = params[n] + scale * (b @ a)
        lora_logits = torch.func.functional_call(model, merged, (tokens,)).logits
        lora_loss = mean_nll(lora_logits, targets)
        lora_loss.backward()
        for n, (a, b) in adapters.items():
            out[f"lora/{n}.A"] = a.detach().float().contiguous()
            out[f"lora/{n}.B"] = b.detach().float().contiguous()
            out[f"lora_grad/{n}.A"] = a.grad.float().contiguous()
            out[f"lora_grad/{n}.B"] = b.grad.float().contiguous()
        metadata["lora_loss"] = repr(lora_loss.item())
        metadata["lora_rank"] = str(LORA_RANK)
        metadata["lora_alpha"] = repr(LORA_ALPHA)
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(out, str(OUT / f"tiny_{name}.safetensors"), metadata=metadata)
    print(name, "loss", loss.item(), "lora" if lora else "", metadata.get("lora_loss", ""))


llama = dict(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=64,
             tie_word_embeddings=True, attention_bias=False, mlp_bias=False)
run("llama", LlamaConfig(**llama, attn_implementation="eager"), LlamaForCausalLM,
    {"architecture": "llama", **llama}, lora=True)

gemma = dict(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, head_dim=16, rms_norm_eps=1e-6, query_pre_attn_scalar=24,
             sliding_window=4, max_position_embeddings=64, tie_word_embeddings=True)
gcfg = Gemma3TextConfig(**gemma, sliding_window_pattern=2, attn_implementation="eager")
print("gemma layer types", gcfg.layer_types, "rope", getattr(gcfg, "rope_parameters", None),
      "softcap", gcfg.final_logit_softcapping, gcfg.attn_logit_softcapping, "act", gcfg.hidden_activation)
run("gemma3", gcfg, Gemma3ForCausalLM,
    {"architecture": "gemma3", **gemma, "layer_types": gcfg.layer_types, "rope_theta": 1e6, "rope_local_theta": 1e4},
    norm_offset=True)
