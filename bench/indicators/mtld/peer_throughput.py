"""The MTLD benchmark's peers: times lexicalrichness 0.5.1 and lexical-diversity 0.1.1 on the benchmark workload.

Called by `bench-indicators` (bench/swift/indicators), which times the Swift MTLD on the same texts in the same run:
    .venv-textind/bin/python bench/indicators/mtld/peer_throughput.py --texts-out /tmp/mtld-texts.json [--limit N]
Writes the workload (a JSON list of strings) to --texts-out and prints one JSON line with the peers' timings.
lexical-diversity's mtld re-slices its token list at every token (quadratic), so it is timed on the first
--ld-limit texts only and reported per text.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import texts  # noqa: E402

import lexical_diversity.lex_div as ld  # noqa: E402
from lexicalrichness import LexicalRichness  # noqa: E402


def lexicalrichness_mtld(text):
    try:
        return LexicalRichness(text).mtld(threshold=0.72)
    except ZeroDivisionError:
        return None


def best_of(repeats, fn):
    """Best wall-clock and best thread-CPU seconds over `repeats` runs (CPU time is steadier on a shared machine)."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.thread_time() - start_cpu)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts-out", required=True)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--ld-limit", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    workload = texts.benchmark_texts()
    if args.limit:
        workload = workload[: args.limit]
    with open(args.texts_out, "w", encoding="utf-8") as f:
        json.dump(workload, f, ensure_ascii=False)

    lr_wall, lr_cpu = best_of(args.repeats, lambda: [lexicalrichness_mtld(t) for t in workload])
    ld_texts = workload[: args.ld_limit]
    ld_wall, ld_cpu = best_of(1, lambda: [ld.mtld(ld.tokenize(t)) for t in ld_texts])
    checksum = sum(v for v in (lexicalrichness_mtld(t) for t in workload) if v is not None)
    print(json.dumps({
        "texts": len(workload),
        "bytes": sum(len(t.encode("utf-8")) for t in workload),
        "lexicalrichness_wall_seconds": lr_wall,
        "lexicalrichness_cpu_seconds": lr_cpu,
        "lexicalrichness_checksum": checksum,
        "lexical_diversity_texts": len(ld_texts),
        "lexical_diversity_wall_seconds": ld_wall,
        "lexical_diversity_cpu_seconds": ld_cpu,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
