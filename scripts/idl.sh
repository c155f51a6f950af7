#!/usr/bin/env bash
# Regenerates idl/anoghost.json from the program (natively, no SBF toolchain needed).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
ANOGHOST_WRITE_IDL=1 cargo test -p anoghost-tests --test idl --locked -- --nocapture
echo "wrote idl/anoghost.json"
