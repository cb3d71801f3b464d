"""MicroLM's architecture in PyTorch: the reference for the gradient fixture and the peer in the benchmark.

Same tensor names and shapes as the Swift model (nanoGPT/GPT-2 names, nn.Linear weights [out, in]), so a Swift
checkpoint loads with `model.load_state_dict(safetensors.torch.load_file(path))`. Pre-norm blocks, causal
multi-head attention, tanh-GELU MLP of width 4d, final LayerNorm, head tied to the token embedding.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = nn.Module()
        self.attn.c_attn = nn.Linear(d, 3 * d)
        self.attn.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = nn.Module()
        self.mlp.c_fc = nn.Linear(d, 4 * d)
        self.mlp.c_proj = nn.Linear(4 * d, d)

    def forward(self, x, explicit_attention=False):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.attn.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        if explicit_attention:  # written out, for the fixture: no fused kernel in the reference gradients
            s = (q @ k.transpose(-2, -1)) / math.sqrt(d // h)
            mask = torch.ones(t, t, dtype=torch.bool).tril()
            y = s.masked_fill(~mask, float("-inf")).softmax(-1) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        y = y.transpose(1, 2).reshape(b, t, d)
        x = x + self.attn.c_proj(y)
        return x + self.mlp.c_proj(F.gelu(self.mlp.c_fc(self.ln_2(x)), approximate="tanh"))


class MicroLM(nn.Module):
    def __init__(self, vocab_size, context, layers, d_model, heads):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(context, d_model)
        self.h = nn.ModuleList(Block(d_model, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d_model, eps=1e-5)
        std = 0.02
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln_" in name:
                nn.init.ones_(p)
            else:
                nn.init.normal_(p, 0.0, std / math.sqrt(2 * layers) if name.endswith("c_proj.weight") else std)

    def forward(self, tokens, targets, explicit_attention=False):
        """Mean cross-entropy over positions whose target is not -1 (tied head: logits = h · wteᵀ)."""
        t = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x, explicit_attention)
        x = self.ln_f(x)
        keep = targets.reshape(-1) >= 0
        logits = x.reshape(-1, x.shape[-1])[keep] @ self.wte.weight.t()
        return F.cross_entropy(logits, targets.reshape(-1)[keep])
