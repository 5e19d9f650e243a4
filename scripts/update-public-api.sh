#!/usr/bin/env bash
# Records a shipped library's current public API in its PublicAPI.Unshipped.txt, after a deliberate API change:
# builds the project, collects the symbols the public API analyzer reports as undeclared (RS0016) and adds them,
# and drops the entries it reports as gone (RS0017). Review the diff before committing it.
#   scripts/update-public-api.sh src/Interlude [src/Interlude.AspNetCore ...]
set -euo pipefail
cd "$(dirname "$0")/.."
for project in "$@"; do
    unshipped="$project/PublicAPI.Unshipped.txt"
    [ -f "$unshipped" ] || { echo "no $unshipped" >&2; exit 1; }
    log=$(mktemp)
    dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false 2>&1 > "$log" || true
    python3 - "$log" "$unshipped" <<'PY'
import re, sys
log, path = sys.argv[1], sys.argv[2]
added, removed = set(), set()
for line in open(log, encoding="utf-8"):
    m = re.search(r"RS0016: Symbol '(.*)' is not part of the declared public API", line)
    if m:
        added.add(m.group(1))
    m = re.search(r"RS0017: Symbol '(.*)' is part of the declared API, but is either not public or could not be found", line)
    if m:
        removed.add(m.group(1))
lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
header = [l for l in lines if l.startswith("#")]
entries = {l for l in lines if l and not l.startswith("#")}
entries = (entries | added) - removed
open(path, "w", encoding="utf-8").write("\n".join(header + sorted(entries, key=str.lower)) + "\n")
print(f"{path}: +{len(added)} -{len(removed)}")
PY
    rm -f "$log"
done
