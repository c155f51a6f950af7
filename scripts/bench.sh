#!/usr/bin/env bash
# Builds in release and runs every benchmark, the gateway side by side with its baselines
# (a raw-TCP relay with the same framing, the box's limit; a naive tokio-tungstenite relay;
# a Node ws relay), then writes bench/RESULTS.md.
#
#   scripts/bench.sh            # the full run (about 50 minutes on 2 cores)
#   scripts/bench.sh --quick    # a short smoke run of the harness; not a measurement
#
# Extra options go to anoghost-bench (see: anoghost-bench --help). Every server binds
# loopback only; every load loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
export CARGO_TERM_COLOR=never

quick=()
for arg in "$@"; do [ "$arg" = --quick ] && quick=(--runs 1 --idle-connections 2000 --largest-max 5000 --churn-secs 5); done

# Hundreds of thousands of sockets need as many descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== open files limit: $(ulimit -n)"

echo "== Node relay packages (from bench/node/package-lock.json)"
command -v node >/dev/null || { echo "bench.sh: Node.js 20+ is needed for the Node ws baseline" >&2; exit 1; }
npm ci --prefix bench/node --no-audit --no-fund --loglevel=error

echo "== building (release: gateway, baseline relays, load generator; debug: localnet)"
cargo build --release --locked -p anoghost-gateway -p anoghost-bench --bins
cargo build --locked -p anoghost-localnet

echo "== client MLS and gateway crypto (criterion)"
criterion_args=()
[ ${#quick[@]} -gt 0 ] && criterion_args=(-- --warm-up-time 1 --measurement-time 2)
mkdir -p "$CARGO_TARGET_DIR/criterion"
# The MLS bench also prints commit and Welcome sizes; the report reads them from this file.
cargo bench --locked -p anoghost-sdk --bench mls "${criterion_args[@]}" \
    | tee "$CARGO_TARGET_DIR/criterion/mls-sizes.txt"
cargo bench --locked -p anoghost-gateway --bench sealing "${criterion_args[@]}"

echo "== relays, memory, churn, join cost"
"$CARGO_TARGET_DIR/release/anoghost-bench" \
    --gateway-bin "$CARGO_TARGET_DIR/release/anoghost-gateway" \
    --raw-bin "$CARGO_TARGET_DIR/release/relay-raw" \
    --floor-bin "$CARGO_TARGET_DIR/release/relay-floor" \
    --localnet-bin "$CARGO_TARGET_DIR/debug/anoghost-localnet" \
    --node-relay bench/node/relay.mjs \
    --criterion-dir "$CARGO_TARGET_DIR/criterion" \
    "${quick[@]}" "$@"
