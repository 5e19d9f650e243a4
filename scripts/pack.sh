#!/usr/bin/env bash
# Packs every shipped project (the libraries and the interlude tool) into one folder, with their symbol packages.
#   scripts/pack.sh [OUTPUT_FOLDER] [extra dotnet pack arguments, e.g. -p:VersionSuffix=preview.1]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/packages}
shift || true
for project in src/Interlude src/Interlude.AspNetCore src/Interlude.Crypto src/Interlude.Inference src/Interlude.Inference.Vision src/Interlude.Cli; do
    dotnet pack "$project" -c Release -o "$out" "$@"
done
echo "packages in $out:"
ls -1 "$out"
