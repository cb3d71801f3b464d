"""The peer's MiniLM encode (sentence-transformers, batch 32) per text kind of `imine score`: KNN texts, prompts,
responses; tokens, wall and CPU seconds of each. Run: PEER_PYTHON bench/mine/peer_parts.py EXAMPLES.jsonl THREADS"""
import json, os, sys, time, resource
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "indicators" / "embeddings"))
sys.path.insert(0, str(ROOT / "bench" / "mine"))
from peer_score import text, prompt
import torch
torch.set_num_threads(int(sys.argv[2]))
from st_model import load_model
def cpu(): r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
rows = [json.loads(l) for l in open(sys.argv[1])]
model = load_model(); model.max_seq_length = 256
model.encode(["warm up"] * 32, batch_size=32)
out = {}
for name, texts in [("knn_texts", [text(r) for r in rows]), ("prompts", [prompt(r) for r in rows]), ("responses", [r["output"] for r in rows])]:
    toks = sum(min(256, len(i)) for i in model.tokenizer(texts)["input_ids"])
    w, c = time.perf_counter(), cpu()
    model.encode(texts, batch_size=32, convert_to_numpy=True)
    out[name] = {"tokens": toks, "wall": round(time.perf_counter() - w, 2), "cpu": round(cpu() - c, 2)}
print(json.dumps(out))
