"""Golden MTLD values from the reference packages, for Tests/IndicatorsTests/Fixtures/mtld.json.

Usage (from the repository root):
    python3 -m venv .venv-textind && .venv-textind/bin/pip install lexicalrichness==0.5.1 lexical-diversity==0.1.1
    .venv-textind/bin/python bench/indicators/mtld/make_fixture.py

For each text it records, per package, the MTLD and the tokens that package's own tokeniser produced (count, distinct
count and a SHA-256 of the tokens joined by U+0000), so a mismatch can be told apart as tokenisation or arithmetic.
  - lexicalrichness 0.5.1 (the paper's package): LexicalRichness(text).mtld(threshold=0.72); null where it raises
    (a text with no tokens divides by zero).
  - lexical-diversity 0.1.1: ld.mtld(ld.tokenize(text)) (default min factor length 10, no lemmatisation).
"""
import hashlib
import json
import os
import sys
from importlib.metadata import version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import texts  # noqa: E402

import lexical_diversity.lex_div as ld  # noqa: E402
from lexicalrichness import LexicalRichness  # noqa: E402

# Hand-made edge cases on top of the real texts: they pin tokenisation corners that real data may not reach.
SYNTHETIC = [
    "",
    "   \n\t ",
    "!!! ... ??? ---",
    "word",
    "  leading and trailing spaces  ",
    "ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ. ΣΑΣ Σ ΑΣ",
    "caf\u00e9 cafe\u0301 CAF\u00c9 Cafe\u0301",
    "SYMBOL S.YM SSYMYM sym -LRB- -RRB- ``quoted'' 'single'",
    "a\u001cb\u001dc\u001ed\u001fe f\u200bg h\u00a0i j\u3000k",
    "\u212a Kelvin \u0130stanbul STRASSE stra\u00dfe \ufb01ne",
    "123 4.5 6,7 x86 2nd 1st-rate a-b c\u2013d e\u2014f",
    "tab\tseparated\nnew\r\nlines\u2028and\u2029paragraphs\u0085next",
]


def digest(tokens):
    return hashlib.sha256("\u0000".join(tokens).encode("utf-8")).hexdigest()


def record(source, text):
    lr = LexicalRichness(text)
    try:
        lr_mtld = lr.mtld(threshold=0.72)
    except ZeroDivisionError:
        lr_mtld = None
    ld_tokens = ld.tokenize(text)
    return {
        "source": source,
        "text": text,
        "lexicalrichness": {
            "mtld": lr_mtld,
            "tokens": lr.words,
            "types": lr.terms,
            "tokens_sha256": digest(lr.wordlist),
        },
        "lexical_diversity": {
            "mtld": ld.mtld(ld_tokens),
            "tokens": len(ld_tokens),
            "types": len(set(ld_tokens)),
            "tokens_sha256": digest(ld_tokens),
        },
    }


def main():
    root = texts.ROOT
    out_path = os.path.join(root, "Tests", "IndicatorsTests", "Fixtures", "mtld.json")
    real = [record(t["source"], t["text"]) for t in texts.fixture_texts()]
    synthetic = [record("synthetic", t) for t in SYNTHETIC]
    fixture = {
        "generator": "bench/indicators/mtld/make_fixture.py",
        "packages": {"lexicalrichness": version("lexicalrichness"), "lexical-diversity": version("lexical-diversity")},
        "threshold": 0.72,
        "real": real,
        "synthetic": synthetic,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    sources = sorted({r["source"] for r in real})
    short = sum(1 for r in real if r["lexicalrichness"]["tokens"] < 50)
    nonascii = sum(1 for r in real if any(ord(c) > 127 for c in r["text"]))
    print(f"wrote {out_path}: {len(real)} real texts from {len(sources)} sources "
          f"({short} under 50 tokens, {nonascii} with non-ASCII), {len(synthetic)} synthetic")


if __name__ == "__main__":
    main()
