"""Golden values for GGUF dequantisation, computed by the reference `gguf` Python package (llama.cpp's gguf-py).

Writes Tests/GGUFTests/Fixtures/dequantization.json:
  files[]: per real model file, per tensor: name, type, shape (GGUF order), the SHA-256 of all its values as
           little-endian Float32 bytes, and the values at `sample_count` positions p_k = (k * 2654435761) mod n
           (k = 0 ..< min(sample_count, n)), base64 of little-endian Float32.
  synthetic[]: per supported type, a few blocks of seeded random bytes (valid Float16 scales) and their decoded
           values, for the types no real file uses (F16, BF16, Q4_0) and as small readable cases for the rest.
Run: /work/.venv-ref/bin/python bench/gguf/make_dequant_fixture.py
"""
import base64
import importlib.metadata
import hashlib
import json
import os
import sys
import time

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODELS = [
    "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
    "models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf",
]
SAMPLES = 200
OUT = os.path.join(ROOT, "Tests/GGUFTests/Fixtures/dequantization.json")


def positions(n):
    return [(k * 2654435761) % n for k in range(min(SAMPLES, n))]


def f32_b64(values):
    return base64.b64encode(np.asarray(values, dtype="<f4").tobytes()).decode()


def real_file(path):
    reader = gguf.GGUFReader(os.path.join(ROOT, path))
    tensors = []
    for t in reader.tensors:
        values = dequantize(t.data, t.tensor_type).astype("<f4", copy=False).reshape(-1)
        assert values.size == int(np.prod(t.shape)), t.name
        tensors.append({
            "name": t.name,
            "type": t.tensor_type.name,
            "shape": [int(x) for x in t.shape],
            "sha256": hashlib.sha256(values.tobytes()).hexdigest(),
            "samples": f32_b64(values[positions(values.size)]),
        })
    return {"path": path, "tensors": tensors}


def synthetic(rng, qtype, blocks=4):
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(blocks, type_size), dtype=np.uint8)
    # Float16 fields get ordinary finite values so every decoded value is finite.
    half = lambda: np.frombuffer(np.float16(rng.normal(0, 0.05)).tobytes(), dtype=np.uint8)
    if qtype in (T.F16,):
        raw = rng.normal(0, 1, size=blocks * block_size).astype("<f2").view(np.uint8).reshape(blocks, type_size)
    elif qtype == T.BF16:
        bits = (rng.normal(0, 1, size=blocks).astype("<f4").view(np.uint32) >> 16).astype("<u2")
        raw = bits.view(np.uint8).reshape(blocks, type_size)
    elif qtype in (T.Q4_0, T.Q5_0, T.Q8_0):
        for b in range(blocks): raw[b, 0:2] = half()
    elif qtype in (T.Q4_1, T.Q4_K):
        for b in range(blocks): raw[b, 0:2] = half(); raw[b, 2:4] = half()
    elif qtype == T.Q6_K:
        for b in range(blocks): raw[b, 208:210] = half()
    values = dequantize(raw.reshape(-1), qtype) if qtype in (T.F16,) else dequantize(raw, qtype)
    values = np.asarray(values, dtype="<f4").reshape(-1)
    assert values.size == blocks * block_size
    return {"type": qtype.name, "bytes": raw.tobytes().hex(), "values": f32_b64(values)}


def main():
    started = time.time()
    files = [real_file(p) for p in MODELS]
    rng = np.random.default_rng(14)
    types = [T.F32, T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q8_0, T.Q4_K, T.Q6_K]
    synth = [synthetic(rng, t) for t in types if t != T.F32]
    fixture = {
        "generator": "bench/gguf/make_dequant_fixture.py",
        "reference": f"gguf {importlib.metadata.version('gguf')} (gguf.quants.dequantize), numpy {np.__version__}",
        "sample_count": SAMPLES,
        "files": files,
        "synthetic": synth,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=0, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes) in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
