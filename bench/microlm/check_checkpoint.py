"""Loads a MicroLM checkpoint written by Swift with PyTorch's safetensors and checks it is the same model.

  .venv-torch/bin/python bench/microlm/check_checkpoint.py path/to/checkpoint.safetensors
The checkpoint comes from `bench-microlm ... --finetune N --write-checkpoint PATH`, whose metadata carries a probe
batch and MicroLM's loss on it; PyTorch (bench/microlm/model.py, strict load_state_dict) recomputes that loss.
"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

from model import MicroLM

path = sys.argv[1]
with safe_open(path, "pt") as f:
    meta = f.metadata()
config = json.loads(meta["microlm.config"])
info = json.loads(meta["microlm.info"])
model = MicroLM(config["vocabSize"], config["context"], config["layers"], config["dModel"], config["heads"])
missing, unexpected = model.load_state_dict(load_file(path), strict=True)
shape = (int(info["probe_batch"]), int(info["probe_length"]))
tokens = torch.tensor([int(x) for x in info["probe_tokens"].split()]).reshape(shape)
targets = torch.tensor([int(x) for x in info["probe_targets"].split()]).reshape(shape)
with torch.no_grad():
    loss = model(tokens, targets, explicit_attention=True).item()
swift = float(info["probe_loss"])
tokenizer = json.loads(meta["microlm.tokenizer"])
print(f"loaded {path}: {sum(p.numel() for p in model.parameters()):,} parameters, strict load OK, "
      f"{len(tokenizer['merges'])} merges; probe loss pytorch {loss:.6f} swift {swift:.6f} diff {abs(loss - swift):.2e}")
assert abs(loss - swift) <= 1e-4 * max(1.0, abs(swift)), "PyTorch disagrees with MicroLM on the loaded checkpoint"
