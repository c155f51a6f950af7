#!/usr/bin/env bash
# Starts the AnoGhost localnet: the program in a solana-program-test bank behind JSON-RPC
# on 127.0.0.1:8899. Options are passed through (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
exec cargo run --quiet -p anoghost-localnet -- "$@"
