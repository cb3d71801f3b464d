"""The peer side of the KNN benchmark: faiss-cpu exact search (IndexFlatIP on unit vectors, IndexFlatL2).

Called by bench/swift/indicators/KNNBenchmark.swift, which times both sides in one run:
  python bench_faiss.py VECTORS.f32 N D I THREADS ROUNDS OUT_PREFIX
Searches every vector against all N (itself included, so k = I + 1), drops the self match and keeps the I-th
neighbour's distance: 1 - inner product for IndexFlatIP, sqrt of the squared L2 for IndexFlatL2.
Prints one JSON line with the best time of each index over ROUNDS; writes OUT_PREFIX.{ip,l2}.f32.
"""
import json, sys, time
import faiss
import numpy as np


def ith_distance(distances, labels, i, transform):
    n = labels.shape[0]
    out = np.empty(n, dtype=np.float64)
    for r in range(n):
        keep = [d for d, l in zip(distances[r], labels[r]) if l != r][:i]
        out[r] = transform(keep[i - 1])
    return out.astype(np.float32)


def main():
    path, n, d, i, threads, rounds, prefix = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7]
    faiss.omp_set_num_threads(threads)
    x = np.fromfile(path, dtype=np.float32).reshape(n, d)
    result = {"threads": threads, "faiss": faiss.__version__}
    for name, index_type, transform in [("ip", faiss.IndexFlatIP, lambda s: 1 - s), ("l2", faiss.IndexFlatL2, np.sqrt)]:
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            index = index_type(d)
            index.add(x)
            distances, labels = index.search(x, i + 1)
            best = min(best, time.perf_counter() - start)
        result[name + "_seconds"] = best
        ith_distance(distances, labels, i, transform).tofile(f"{prefix}.{name}.f32")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
