"""Writes Tests/NeuralTests/Fixtures/gpt_gradients.safetensors: weights, a batch, and PyTorch's loss and gradients.

Run with the torch venv:  .venv-torch/bin/python bench/microlm/make_fixture.py
The tensors are float32; the Swift test checks loss and every gradient against these values. Computed in float64
and stored rounded to float32 so the reference itself carries no float32 rounding noise.
"""
import json
import pathlib

import torch
from safetensors.torch import save_file

from model import MicroLM

torch.manual_seed(7)
config = dict(vocab_size=61, context=12, layers=2, d_model=24, heads=3)
model = MicroLM(**config)
# Non-trivial LayerNorm gains and biases, so their gradients are checked with general values too.
with torch.no_grad():
    for name, p in model.named_parameters():
        if "ln_" in name or name.endswith("bias"):
            p.add_(0.1 * torch.randn_like(p))
weights32 = {k: v.detach().clone().float().contiguous() for k, v in model.state_dict().items()}

batch, length = 3, 10
tokens = torch.randint(0, config["vocab_size"], (batch, length))
targets = torch.randint(0, config["vocab_size"], (batch, length))
targets[0, :4] = -1  # a prompt: no loss on these positions
targets[2, 7:] = -1  # padding at the end

model64 = MicroLM(**config).double()
model64.load_state_dict({k: v.double() for k, v in weights32.items()})
loss = model64(tokens, targets, explicit_attention=True)
loss.backward()

tensors = {f"weight/{k}": v for k, v in weights32.items()}
for name, p in model64.named_parameters():
    tensors[f"grad/{name}"] = p.grad.float().contiguous()
tensors["batch/tokens"] = tokens.float()
tensors["batch/targets"] = targets.float()
meta = {"config": json.dumps(config, sort_keys=True), "loss": repr(loss.item()),
        "generator": "bench/microlm/make_fixture.py (float64 PyTorch %s)" % torch.__version__}
out = pathlib.Path(__file__).resolve().parents[2] / "Tests/NeuralTests/Fixtures/gpt_gradients.safetensors"
save_file(tensors, str(out), metadata=meta)
print(f"wrote {out} loss={loss.item():.8f} tensors={len(tensors)}")
