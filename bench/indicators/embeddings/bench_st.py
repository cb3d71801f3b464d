"""The peer side of the embedding benchmark: sentence-transformers on the CPU, timed on the texts it is given.

Called by the Swift benchmark (bench/swift/indicators/EmbeddingBenchmark.swift), which runs both sides in one run:
  python bench_st.py TEXTS.json THREADS ROUNDS OUT.f32
Prints one JSON line: best seconds over ROUNDS for model.encode (tokenisation included), token count, versions.
Writes the embeddings (float32, row-major) to OUT.f32 so the Swift side can check that both agree.
"""
import json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from st_model import load_model  # noqa: E402


def main():
    texts_path, threads, rounds, out_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    import torch
    torch.set_num_threads(threads)
    texts = json.loads(Path(texts_path).read_text())
    model = load_model()
    model.encode(texts[:32], batch_size=32)  # warm-up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        vectors = model.encode(texts, batch_size=32, convert_to_numpy=True)
        best = min(best, time.perf_counter() - start)
    tokens = sum(min(256, len(ids)) for ids in model.tokenizer(texts)["input_ids"])
    vectors.astype("float32").tofile(out_path)
    import sentence_transformers
    print(json.dumps({"seconds": best, "tokens": tokens, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__}))


if __name__ == "__main__":
    main()
