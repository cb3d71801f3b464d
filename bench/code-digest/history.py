"""How much a code digest in the cache key over-invalidates, measured on this repository's own history.

  python3 bench/code-digest/history.py [N]      (default: the last 300 first-parent commits)

For each commit and its first parent it asks three things:
  raw      did any file the Steps module's cells are computed by change (Sources/, except the imine and code-digest
           executables: Steps imports every library module of the package, directly or not)?
  code     did the code digest change (CodeLines' rule: blank lines, whitespace at either end and whole-line `//`
           comments left out, multi-line string literals kept)? Under the digest, such a commit makes every cell stale.
  bumped   did the commit change a step's `static let version` (what invalidated cells before the digest)?
and prints the counts: commits where the digest invalidates everything although no version was bumped are the
over-invalidation (some of them are real changes that someone forgot to version, which the digest exists to catch).
"""
import hashlib, subprocess, sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
EXCLUDED = ("Sources/imine/", "Sources/code-digest/")


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def code_lines(text):
    lines, in_string = [], False
    for raw in text.split("\n"):
        line = raw.strip(" \t")
        if in_string:
            lines.append(raw)
        elif line and not line.startswith("//"):
            lines.append(line)
        if raw.count('"""') % 2 == 1:
            in_string = not in_string
    return lines


blob_cache = {}


def blob_lines(sha):
    if sha not in blob_cache:
        blob_cache[sha] = "\n".join(code_lines(git("cat-file", "blob", sha)))
    return blob_cache[sha]


def digests(commit):
    raw, code = hashlib.sha256(), hashlib.sha256()
    for row in git("ls-tree", "-r", commit, "Sources").splitlines():
        meta, path = row.split("\t", 1)
        sha = meta.split()[2]
        if path.startswith(EXCLUDED):
            continue
        raw.update(f"{path} {sha}\n".encode())
        code.update(f"file {path}\n{blob_lines(sha)}\n".encode())
    return raw.hexdigest(), code.hexdigest()


commits = git("rev-list", "--first-parent", f"-{N + 1}", "HEAD").split()
rows = []
previous = digests(commits[-1])
for commit in reversed(commits[:-1]):
    current = digests(commit)
    diff = git("diff", f"{commit}^", commit, "--unified=0", "--", "Sources/Steps")
    bumped = any(l.startswith("+") and "static let version =" in l for l in diff.splitlines())
    rows.append((commit[:7], current[0] != previous[0], current[1] != previous[1], bumped))
    previous = current

total = len(rows)
raw = sum(r[1] for r in rows)
code = sum(r[2] for r in rows)
bumped = sum(r[3] for r in rows)
code_no_bump = sum(r[2] and not r[3] for r in rows)
print(f"commits: {total} (first-parent, {commits[-1][:7]}..{commits[0][:7]})")
print(f"  changed a file the cells are computed by: {raw}")
print(f"  changed the code digest (comment/blank-only edits excluded): {code}  -> every cell stale")
print(f"  bumped a step version: {bumped}  -> that step's cells (and those using them) stale")
print(f"  changed the digest without bumping any version: {code_no_bump}")
print(f"  comment- or whitespace-only changes the digest ignores: {raw - code}")
