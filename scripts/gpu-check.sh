#!/usr/bin/env bash
# Builds the GPU check: one self-contained, trimmed, single-file linux-x64 program (no .NET needed where it runs)
# that runs the GPU correctness checks against CPU references and then the GPU benchmark, printing figures.
#
#   scripts/gpu-check.sh [OUTPUT_FOLDER]        build it (default artifacts/gpu-check), print its size, try it here
#
# Then copy OUTPUT_FOLDER/interlude-gpu-check to a machine with an NVIDIA GPU and its driver, NVRTC and cuBLAS
# (a CUDA toolkit, or the CUDA pip wheels), and run it there:
#
#   ./interlude-gpu-check                       checks, then the full bench (a few minutes)
#   ./interlude-gpu-check --quick --json gpu.jsonl
#
# Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments, 3 no usable GPU (the message says why).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/gpu-check}
limit=$((64 * 1024 * 1024))

rm -rf "$out"
dotnet publish src/Interlude.Cuda.Check -c Release -r linux-x64 --self-contained -p:DebugType=none -o "$out/publish"
cp "$out/publish/Interlude.Cuda.Check" "$out/interlude-gpu-check"
rm -rf "$out/publish"

size=$(stat -c %s "$out/interlude-gpu-check")
awk -v s="$size" 'BEGIN { printf "interlude-gpu-check: %d bytes (%.1f MiB; the limit is 64 MiB)\n", s, s / 1048576 }'
if [ "$size" -gt "$limit" ]; then
    echo "too big: over 64 MiB" >&2
    exit 1
fi

# Here, most likely without a GPU: it must start and say why it cannot run (exit code 3), or run if there is one.
set +e
"$out/interlude-gpu-check" --checks-only
code=$?
set -e
case $code in
    0) echo "ran here: every check passed" ;;
    3) echo "ran here: no usable GPU on this machine (exit code 3), as expected without one" ;;
    *) echo "ran here: exit code $code" >&2; exit "$code" ;;
esac
echo "copy $out/interlude-gpu-check to a GPU machine and run it there"
