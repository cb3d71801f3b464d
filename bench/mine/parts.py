"""Where `imine score`'s time goes: one run, its stderr lines time-stamped (each indicator group logs when it starts).

Run from the repository root: python3 bench/mine/parts.py IMINE_BINARY EXAMPLES.jsonl PROFILE STORE TAG
STORE is a store where the profile's notebook 01 ran (run.py's bench.sqlite); it is copied to bench/mine/out/parts-TAG.sqlite
and every stored indicator value deleted there, so all values are computed. Scores go to bench/mine/out/parts-TAG.jsonl,
so two binaries' values can be compared. Prints wall and CPU seconds, the load average at the end, and the marks.
"""
import os, resource, shutil, sqlite3, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "mine" / "out"


def main():
    binary, examples, profile, source, tag = sys.argv[1:6]
    store = OUT / f"parts-{tag}.sqlite"
    for suffix in ["", "-wal", "-shm"]:
        Path(str(store) + suffix).unlink(missing_ok=True)
    shutil.copy(source, store)
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM indicator_value")
    start, marks = time.perf_counter(), []
    run = subprocess.Popen([binary, "score", examples, "--indicators", "input_length,output_length,mtld,knn6,reward",
                            "--profile", profile, "--store", str(store), "-o", str(OUT / f"parts-{tag}.jsonl")], cwd=ROOT,
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env={**os.environ, "IMINE_QUIET": "1"})
    for line in run.stderr:
        marks.append((round(time.perf_counter() - start, 2), line.strip()[:100]))
    run.wait()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(tag, "exit", run.returncode, "wall", round(time.perf_counter() - start, 2), "cpu", round(used.ru_utime + used.ru_stime, 2),
          "load", [round(x, 2) for x in os.getloadavg()])
    for mark in marks:
        print("  ", mark)


if __name__ == "__main__":
    main()
