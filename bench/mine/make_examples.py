"""The benchmark's input: the first N distinct Alpaca-style examples of real data files, one JSON object per line.

Run: python3 bench/mine/make_examples.py OUT.jsonl [N]   (default N = 20000; data folder: $IMINE_DATA or data/)
Fields are stripped as the workbench strips them (Python's str.strip()), so both sides read the same text; an example
whose (instruction, input, output) already occurred is skipped, as `imine score` skips exact duplicates.
"""
import json, os, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("IMINE_DATA", ROOT / "data"))
FILES = ["alpagasus-alpaca-subsets/random_9k.json", "alpagasus-alpaca-subsets/claude_t45.json",
         "cherry-alpaca-5pct/cherry_alpaca_5_percent.json", "code-alpaca/new_codealpaca.json",
         "alpagasus-dolly-3k/dolly_3k.json", "alpagasus-alpaca-subsets/helpfulness_t45.json",
         "code-alpaca/code_alpaca_2k.json", "llama-factory-demo/alpaca_en_demo.json"]


def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    seen, rows = set(), []
    for name in FILES:
        for record in json.loads((DATA / name).read_text()):
            answer = record.get("output", record.get("response", ""))
            row = {"instruction": record["instruction"].strip(), "input": (record.get("input") or "").strip(), "output": answer.strip()}
            key = (row["instruction"], row["input"], row["output"])
            if not row["output"] or not (row["instruction"] or row["input"]) or key in seen:
                continue
            seen.add(key)
            rows.append(row)
            if len(rows) == n:
                Path(out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
                return
    sys.exit(f"only {len(rows)} distinct examples in {FILES}")


if __name__ == "__main__":
    main()
