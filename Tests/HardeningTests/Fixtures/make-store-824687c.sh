#!/usr/bin/env bash
# Makes store-824687c.sqlite: a store written by imine as built at commit 824687c, the last one whose schema was the
# three store-wide migrations (v1-core, v2-cell-report, v3-corpus-kinds) before each module registered its own.
# StoreAndDataCaseTests.testAStoreFromBeforeModuleMigrationsOpensWithItsData opens it with today's imine.
#
# Usage: IMINE=/path/to/imine-built-at-824687c bash make-store-824687c.sh   (writes into this folder)
# Contents, as StoreAndDataCaseTests.seededStore makes them: 3 Alpaca examples, 3 hh-rlhf pairs, a 3-cell notebook run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p d/llama-factory-demo d/hh-rlhf/harmless-base
python3 - <<'PY'
import gzip, json
open("d/llama-factory-demo/alpaca_en_demo.json", "w").write(
    "[" + ",\n".join('{"instruction": "Say %d.", "input": "", "output": "Number %d."}' % (i, i) for i in range(3)) + "]")
with gzip.open("d/hh-rlhf/harmless-base/test.jsonl.gz", "wt") as f:
    for i in range(3):
        f.write(json.dumps({"chosen": "\n\nHuman: Hi %d\n\nAssistant: Hello." % i,
                            "rejected": "\n\nHuman: Hi %d\n\nAssistant: Go away." % i}) + "\n")
open("chain.md", "w").write("\n".join(
    "```step\nid: c%d\nstep: workbench.sleep\nparams: {ms: 0, label: seed}\n```\n" % i for i in range(3)))
PY
"$IMINE" data ingest --data d --store seed.sqlite alpaca_en_demo hh-rlhf/harmless-base/test
"$IMINE" run --profile "$here/../../../paper-repro/profiles/tiny.yaml" --store seed.sqlite chain.md
# One self-contained file: out of WAL mode, compacted.
python3 -c "import sqlite3; c = sqlite3.connect('seed.sqlite'); c.execute('pragma journal_mode=delete'); c.execute('vacuum'); c.close()"
cp seed.sqlite "$here/store-824687c.sqlite"
