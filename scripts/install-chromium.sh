#!/usr/bin/env bash
# Installs Chromium (Debian's chromium package), in which the tests open every HTML report headless to check that it
# loads without errors and draws its charts. Does nothing when a Chromium is already on PATH.
set -euo pipefail

for browser in chromium chromium-browser google-chrome; do
    if command -v "$browser" >/dev/null 2>&1; then
        echo "a Chromium is already installed: $(command -v "$browser")"
        exit 0
    fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n" # never waits for a password: without one it fails, and the caller carries on without it
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
echo "Chromium installed: $(command -v chromium)"
