#!/usr/bin/env bash
# Tokenization throughput of the workbench's tokenizers against llama.cpp's (the reference their ids match) on the
# same 18,458 Alpaca texts, one thread each, in one run; prints the ratio per model.
# usage: bash bench/gguf/run.sh      (needs: swift build -c release --product bench-gguf; /work/.venv-llama)
set -euo pipefail
cd "$(dirname "$0")/../.."
ours=$(.build/release/bench-gguf tokenize)
peer=$(/work/.venv-llama/bin/python bench/gguf/peer_tokenize.py 2>/dev/null)
echo "$ours"
echo "$peer"
for model in smollm2 gemma3; do
    a=$(echo "$ours" | sed -n "s/^tokenize $model: .*one thread [0-9.]* s (\([0-9]*\) tokens\/s).*/\1/p")
    b=$(echo "$peer" | sed -n "s/^peer $model: .*one thread [0-9.]* s (\([0-9]*\) tokens\/s).*/\1/p")
    echo "$model: ours / llama.cpp, one thread = $(python3 -c "print(f'{$a / $b:.2f}')")"
done
