#!/usr/bin/env bash
# Installs h2load (the TLS handshake load generator behind `interlude bench tls`) from the Debian/Ubuntu package
# nghttp2-client. Does nothing when h2load is already on PATH.
set -euo pipefail

if command -v h2load >/dev/null 2>&1; then
    echo "h2load is already installed: $(command -v h2load)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n" # never waits for a password: without one it fails, and the caller carries on without h2load
fi

$SUDO apt-get update
$SUDO apt-get install -y nghttp2-client
echo "h2load installed: $(command -v h2load)"
