"""The peers of bench-lm (bench/swift/lm), same weights, shapes and threads; each prints one JSON object.

  torch   --model NAME --what forward|train [--mode full|lora|last-N] --batch B --length T --steps S --threads N
          transformers loading the same GGUF (dequantised to float32), PyTorch CPU. Training: AdamW over what the
          mode trains, a loss on every position; LoRA: rank 8, alpha 16 on q,k,v,o,gate,up,down (written here, no
          peft), base frozen; last-N: every parameter frozen but the top N blocks'. Forward: no_grad, every
          position's logits and NLL. Best of S timed steps after one warm-up, random token ids.
  f32     --model NAME --out PATH       writes the GGUF with every tensor dequantised to F32 (gguf package)
  llama   --gguf PATH --batch B --length T --steps S --threads N
          llama.cpp (llama-cpp-python built from source) evaluating B sequences of T tokens, each a batch prefill
          with logits_all (every position's logits), on the F32 GGUF: the same weights as ours.

Run torch/f32 with PYTHONPATH=/work/.venv-model-extra /work/.venv-ref/bin/python; llama with /work/.venv-llama/bin/python.
"""
import argparse
import json
import os
import resource
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODELS = {
    "smollm2-135m-instruct": ("models/smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "gemma-3-270m": ("models/gemma-3-270m", "gemma-3-270m-q4_k_m.gguf"),
}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def torch_peer(a):
    import torch
    from transformers import AutoModelForCausalLM
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    folder, file = MODELS[a.model]
    start = time.time()
    model = AutoModelForCausalLM.from_pretrained(os.path.join(ROOT, folder), gguf_file=file, torch_dtype=torch.float32)
    load = time.time() - start
    vocab = model.config.vocab_size
    result = {"impl": f"pytorch {torch.__version__} + transformers (GGUF dequantised, float32)", "model": a.model,
              "what": a.what, "batch": a.batch, "length": a.length, "threads": a.threads, "load_s": load}

    def batch():
        return torch.randint(0, vocab, (a.batch, a.length))

    times = []
    if a.what == "forward":
        model.eval()
        with torch.no_grad():
            for step in range(a.steps + 1):
                ids = batch()
                t = time.time()
                logits = model(input_ids=ids).logits
                torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, vocab), ids[:, 1:].reshape(-1), reduction="none")
                if step > 0:
                    times.append(time.time() - t)
    else:
        model.train()
        params = configure(model, a.mode)
        optimizer = torch.optim.AdamW(params, lr=1e-5, betas=(0.9, 0.95), weight_decay=0.1)
        for step in range(a.steps + 1):
            ids = batch()
            t = time.time()
            logits = model(input_ids=ids).logits
            loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, vocab), ids[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            if step > 0:
                times.append(time.time() - t)
        result["mode"] = a.mode
        result["trained_parameters"] = sum(p.numel() for p in params)
    result["tokens_per_s"] = a.batch * a.length / min(times)
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result, sort_keys=True))


def configure(model, mode):
    """Freezes what the mode does not train; returns the trained parameters."""
    import torch
    if mode == "full":
        return [p for p in model.parameters()]
    for p in model.parameters():
        p.requires_grad_(False)
    layers = model.model.layers
    if mode.startswith("last-"):
        n = int(mode[5:])
        params = [p for layer in layers[len(layers) - n:] for p in layer.parameters()]
        for p in params:
            p.requires_grad_(True)
        return params
    assert mode == "lora", mode

    class LoRALinear(torch.nn.Module):
        def __init__(self, base, rank=8, alpha=16):
            super().__init__()
            self.base = base
            self.a = torch.nn.Parameter(torch.randn(rank, base.in_features) * 0.01)
            self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            self.scale = alpha / rank

        def forward(self, x):
            return self.base(x) + (x @ self.a.t() @ self.b.t()) * self.scale

    params = []
    for layer in layers:
        for owner, names in ((layer.self_attn, ("q_proj", "k_proj", "v_proj", "o_proj")), (layer.mlp, ("gate_proj", "up_proj", "down_proj"))):
            for name in names:
                wrapped = LoRALinear(getattr(owner, name))
                setattr(owner, name, wrapped)
                params += [wrapped.a, wrapped.b]
    return params


def f32(a):
    import gguf
    reader = gguf.GGUFReader(os.path.join(ROOT, *MODELS[a.model]))
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(a.out, arch)
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        vtype = field.types[0]
        if key == "general.file_type":
            writer.add_key_value(key, 0, vtype)  # all F32
            continue
        sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, field.contents(), vtype, sub_type=sub)
    for t in reader.tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type).astype("float32")
        writer.add_tensor(t.name, values.reshape(list(reversed([int(x) for x in t.shape]))))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def llama_peer(a):
    import numpy as np
    from llama_cpp import Llama
    llm = Llama(model_path=a.gguf, n_ctx=a.length, n_batch=a.length, n_ubatch=a.length, logits_all=True,
                n_threads=a.threads, n_threads_batch=a.threads, verbose=False)
    rng = np.random.default_rng(7)
    times = []
    for step in range(a.steps + 1):
        ids = rng.integers(0, llm.n_vocab(), size=(a.batch, a.length)).tolist()
        t = time.time()
        for row in ids:
            llm.reset()
            llm.eval(row)
        if step > 0:
            times.append(time.time() - t)
    print(json.dumps({"impl": "llama.cpp (llama-cpp-python 0.3.36 from source), F32 GGUF, batch prefill, logits_all",
                      "gguf": a.gguf, "what": "forward", "batch": a.batch, "length": a.length, "threads": a.threads,
                      "tokens_per_s": a.batch * a.length / min(times), "peak_rss_mib": peak_rss_mib()}, sort_keys=True))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("peer", choices=["torch", "f32", "llama"])
    p.add_argument("--model")
    p.add_argument("--gguf")
    p.add_argument("--out")
    p.add_argument("--what", default="forward")
    p.add_argument("--mode", default="full")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--length", type=int, default=128)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    {"torch": torch_peer, "f32": f32, "llama": llama_peer}[a.peer](a)


if __name__ == "__main__":
    main()
