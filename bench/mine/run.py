"""`imine score` against the Python reference stack on the same N real examples and the same machine.

Run from the repository root after `swift build -c release --product imine`:
  PEER_PYTHON=/work/.venv-mine/bin/python [WARM_STORE=store.sqlite] python3 bench/mine/run.py [N] [PROFILE]
  (defaults 20000, quick)
1. writes N distinct real examples (make_examples.py) into bench/mine/out/;
2. runs `imine score` once on 10 of them so the profile's notebook 01 (tokenizer, base model, reward model, KNN
   reference) is computed, exporting the KNN reference pool and the reward model for the peer;
3. deletes every stored indicator value from a copy of that store, so nothing is cached;
4. times `imine score` on all N (input_length, output_length, mtld, knn, reward: every indicator but the
   language-model ones, ppl and ifd) and `peer_score.py` (mtld, knn, reward: the peer computes no lengths, so the
   comparison is conservative for imine), each as a whole process, wall clock, both with the machine's threads;
5. checks that the values agree and prints the ratio.

BLAS_KERNELS=machine (default) runs both sides in the machine's environment as it is. Some machines set
OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for every process, pinning OpenBLAS to older kernels (Haswell on these AMD
EPYC machines); that pin slows imine's OpenBLAS but not torch's MKL. BLAS_KERNELS=library unsets both variables for
both timed commands, so that each library picks its kernels for the CPU itself. Either way the report names the
kernels each side ran: imine's OpenBLAS core (asked of the same system library under the same environment) and the
peer's BLAS libraries (threadpoolctl).
"""
import json, os, shutil, sqlite3, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "mine" / "out"
IMINE = ROOT / ".build" / "release" / "imine"


def run(args, **kw):
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, **kw)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done


def blas_environment():
    mode = os.environ.get("BLAS_KERNELS", "machine")
    if mode not in ("machine", "library"):
        sys.exit(f"BLAS_KERNELS must be machine or library, not {mode!r}")
    env = dict(os.environ)
    if mode == "library":
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return mode, env


def openblas_core(env):
    """The kernel set the system OpenBLAS (the one imine links) chooses under `env`."""
    probe = ("import ctypes; l = ctypes.CDLL('libopenblas.so.0'); l.openblas_get_config.restype = ctypes.c_char_p; "
             "print(l.openblas_get_config().decode())")
    return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.strip()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    profile = sys.argv[2] if len(sys.argv) > 2 else "quick"
    peer = os.environ.get("PEER_PYTHON", "/work/.venv-mine/bin/python")
    threads = os.cpu_count()
    OUT.mkdir(parents=True, exist_ok=True)
    examples = OUT / f"examples-{n}.jsonl"
    run([sys.executable, "bench/mine/make_examples.py", str(examples), str(n)])
    warm = OUT / "warm.jsonl"
    warm.write_text("".join(examples.read_text().splitlines(keepends=True)[:10]))
    # WARM_STORE: a store where the profile's notebook 01 already ran (saves computing it again).
    store, bench_store = Path(os.environ.get("WARM_STORE", OUT / f"store-{profile}.sqlite")), OUT / "bench.sqlite"
    run([str(IMINE), "score", str(warm), "--profile", profile, "--store", str(store), "--export-reference", str(OUT / "reference"),
         "-o", str(OUT / "warm-scores.jsonl")])
    for suffix in ["", "-wal", "-shm"]:
        Path(str(bench_store) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(store, bench_store)
    with sqlite3.connect(bench_store) as db:
        db.execute("DELETE FROM indicator_value")
        knn_i = int(json.loads(db.execute("SELECT variant_json FROM indicator_variant WHERE indicator = 'knn'").fetchone()[0])["parameters"]["i"])
        max_tokens = int(json.loads(db.execute("SELECT variant_json FROM indicator_variant WHERE indicator = 'knn'").fetchone()[0])["parameters"]["max_tokens"])
    names = ["input_length", "output_length", "mtld", f"knn{knn_i}", "reward"]
    mode, env = blas_environment()
    load = {"imine_before": os.getloadavg()}
    swift_seconds, swift = run([str(IMINE), "score", str(examples), "--indicators", ",".join(names), "--profile", profile,
                                "--store", str(bench_store), "-o", str(OUT / "swift.jsonl")], env={**env, "IMINE_QUIET": "1"})
    load["imine_after"] = load["peer_before"] = os.getloadavg()
    peer_seconds, peer_run = run([peer, "bench/mine/peer_score.py", str(examples), str(OUT / "reference"), str(max_tokens), str(knn_i),
                                  str(threads), str(OUT / "python.jsonl")], env=env)
    load["peer_after"] = os.getloadavg()
    ours = [json.loads(l) for l in open(OUT / "swift.jsonl")]
    theirs = [json.loads(l) for l in open(OUT / "python.jsonl")]
    assert len(ours) == len(theirs) == n, (len(ours), len(theirs), n)
    agreement = {name: max(abs(a[name] - b[name]) for a, b in zip(ours, theirs)) for name in ["mtld", f"knn{knn_i}", "reward"]}
    print(json.dumps({"examples": n, "profile": profile, "threads": threads, "imine_seconds": round(swift_seconds, 2),
                      "peer_seconds": round(peer_seconds, 2), "ratio": round(peer_seconds / swift_seconds, 2),
                      "max_abs_difference": agreement, "blas_kernels": mode,
                      "imine_openblas": openblas_core(env),
                      "load_average_1_5_15_min": {k: [round(x, 2) for x in v] for k, v in load.items()}, "peer": json.loads(peer_run.stdout.strip().splitlines()[-1]),
                      "imine_log": swift.stderr.strip().splitlines()[-8:]}, indent=1))


if __name__ == "__main__":
    main()
