#!/usr/bin/env bash
# Installs wrk (the HTTP load generator behind `interlude bench http`) from the Debian/Ubuntu package.
# Does nothing when wrk is already on PATH.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    echo "wrk is already installed: $(command -v wrk)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

$SUDO apt-get update
$SUDO apt-get install -y wrk
echo "wrk installed: $(command -v wrk)"
