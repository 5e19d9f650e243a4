#!/usr/bin/env bash
# Installs the tools `interlude talk` and its tests run, from the Debian/Ubuntu packages: ffmpeg (slide changes,
# frames, audio), tesseract-ocr + tesseract-ocr-eng (OCR), pocketsphinx + pocketsphinx-en-us (speech to text),
# imagemagick and flite (scripts/make-synthetic-talk.sh draws slides and narrates them) and fonts-dejavu-core (the
# slides' font). Does nothing when every tool is already on PATH.
set -euo pipefail

have_all=1
for tool in ffmpeg ffprobe tesseract flite convert; do
    command -v "$tool" >/dev/null 2>&1 || have_all=0
done
command -v pocketsphinx_continuous >/dev/null 2>&1 || command -v pocketsphinx >/dev/null 2>&1 || have_all=0
if [ "$have_all" -eq 1 ]; then
    echo "the talk tools are already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n" # never waits for a password: without one it fails, and the caller carries on without the tools
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    ffmpeg tesseract-ocr tesseract-ocr-eng pocketsphinx pocketsphinx-en-us imagemagick flite fonts-dejavu-core
echo "talk tools installed: $(command -v ffmpeg) $(command -v tesseract) $(command -v pocketsphinx_continuous || command -v pocketsphinx)"
