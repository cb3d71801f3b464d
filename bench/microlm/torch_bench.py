"""The PyTorch peer of bench-microlm: the same architecture (model.py), shapes, batch and thread count, on the CPU.

Training step = forward + mean cross-entropy over every position + backward + AdamW (betas 0.9/0.95, weight decay
0.1, grad-norm clip 1.0), like MicroLM's. Evaluation = forward + cross-entropy under inference_mode. Prints one
JSON object. Usage: torch_bench.py --vocab 2048 --context 192 --layers 2 --d-model 96 --heads 3 --batch 16
--steps 40 --threads 1
"""
import argparse
import json
import resource
import time

import torch

from model import MicroLM

p = argparse.ArgumentParser()
for name, default in [("vocab", 2048), ("context", 192), ("layers", 2), ("d-model", 96), ("heads", 3),
                      ("batch", 16), ("steps", 40), ("warmup", 5), ("threads", 1)]:
    p.add_argument("--" + name, type=int, default=default)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

model = MicroLM(a.vocab, a.context, a.layers, a.d_model, a.heads)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
batches = [(torch.randint(0, a.vocab, (a.batch, a.context)), torch.randint(0, a.vocab, (a.batch, a.context)))
           for _ in range(8)]


def step(i):
    tokens, targets = batches[i % len(batches)]
    optimizer.zero_grad(set_to_none=True)
    loss = model(tokens, targets)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


for i in range(a.warmup):
    step(i)
start, cpu_start = time.perf_counter(), time.process_time()
for i in range(a.steps):
    step(i)
train_s, train_cpu = time.perf_counter() - start, time.process_time() - cpu_start

with torch.inference_mode():
    model(*batches[0])
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(2 * a.steps):
        model(*batches[i % len(batches)])
    eval_s, eval_cpu = time.perf_counter() - start, time.process_time() - cpu_start

tokens_per_step = a.batch * a.context
print(json.dumps({
    "impl": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "batch": a.batch, "steps": a.steps,
    "train_tokens_per_s": a.steps * tokens_per_step / train_s,
    "eval_tokens_per_s": 2 * a.steps * tokens_per_step / eval_s,
    "train_tokens_per_cpu_s": a.steps * tokens_per_step / train_cpu,
    "eval_tokens_per_cpu_s": 2 * a.steps * tokens_per_step / eval_cpu,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, sort_keys=True))
