"""The Python reference stack computing the same indicators as `imine score` on the same examples:
MTLD with lexicalrichness 0.5.1 (threshold 0.72), KNN-i with sentence-transformers all-MiniLM-L6-v2 + faiss
IndexFlatIP (cosine distance to the i-th nearest example of the rule-fit reference pool), and the workbench's reward
head (r = w2 · ReLU(W1 [p, r, p⊙r] + b1) + b2 on MiniLM embeddings of prompt and response) in PyTorch.

Run: python peer_score.py EXAMPLES.jsonl REFERENCE_DIR MAX_TOKENS KNN_I THREADS OUT.jsonl
REFERENCE_DIR holds knn-pool.jsonl and reward-model.json (`imine score --export-reference`). Prints one JSON line
with the seconds of each part; the caller times the whole process.
"""
import json, os, sys, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indicators" / "embeddings"))


def text(r):
    return "\n".join(p for p in [r["instruction"], r.get("input", ""), r["output"]] if p)


def prompt(r):
    return r["instruction"] + ("\n" + r["input"] if r.get("input") else "")


def mtld(response):
    from lexicalrichness import LexicalRichness
    try:
        return LexicalRichness(response).mtld(threshold=0.72)
    except ZeroDivisionError:  # no words: the workbench stores 0
        return 0.0


def main():
    examples_path, reference, max_tokens, knn_i, threads, out = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    import faiss, numpy as np, torch
    torch.set_num_threads(threads)
    faiss.omp_set_num_threads(threads)
    from st_model import load_model
    seconds = {}
    start = time.perf_counter()
    rows = [json.loads(l) for l in open(examples_path)]
    pool = [json.loads(l) for l in open(reference / "knn-pool.jsonl")]
    model = load_model()
    model.max_seq_length = max_tokens
    seconds["load"] = time.perf_counter() - start

    t = time.perf_counter()
    mtlds = [mtld(r["output"]) for r in rows]
    seconds["mtld"] = time.perf_counter() - t

    t = time.perf_counter()
    queries = model.encode([text(r) for r in rows], batch_size=32, convert_to_numpy=True)
    base = model.encode([text(r) for r in pool], batch_size=32, convert_to_numpy=True)
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base.astype(np.float32))
    sims, _ = index.search(queries.astype(np.float32), knn_i)
    knn = 1 - sims[:, knn_i - 1].astype(np.float64)
    seconds["knn"] = time.perf_counter() - t

    t = time.perf_counter()
    head = json.loads((reference / "reward-model.json").read_text())["head"]
    n, h, w = head["inputs"], head["hidden"], torch.tensor(head["parameters"], dtype=torch.float64)
    p = torch.tensor(model.encode([prompt(r) for r in rows], batch_size=32, convert_to_numpy=True), dtype=torch.float64)
    q = torch.tensor(model.encode([r["output"] for r in rows], batch_size=32, convert_to_numpy=True), dtype=torch.float64)
    x = torch.cat([p, q, p * q], dim=1)
    assert x.shape[1] == n and h > 0
    w1, b1, w2, b2 = w[: h * n].view(h, n), w[h * n: h * n + h], w[h * n + h: h * n + 2 * h], w[h * n + 2 * h]
    with torch.no_grad():
        reward = (torch.relu(x @ w1.T + b1) @ w2 + b2).tolist()
    seconds["reward"] = time.perf_counter() - t

    with open(out, "w") as f:
        for i in range(len(rows)):
            f.write(json.dumps({"mtld": mtlds[i], f"knn{knn_i}": float(knn[i]), "reward": reward[i]}) + "\n")
    import sentence_transformers, lexicalrichness
    from threadpoolctl import threadpool_info
    # Which BLAS kernels each library ran (faiss bundles its own OpenBLAS; torch's matrix products use MKL).
    blas = sorted({f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()})
    print(json.dumps({"seconds": seconds, "threads": threads, "torch": torch.__version__, "faiss": faiss.__version__,
                      "sentence_transformers": sentence_transformers.__version__,
                      "lexicalrichness": getattr(lexicalrichness, "__version__", "0.5.1"), "blas": blas}))


if __name__ == "__main__":
    main()
