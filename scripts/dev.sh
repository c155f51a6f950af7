#!/usr/bin/env bash
# Starts the localnet and a gateway wired to it, for trying paid rooms locally:
#   JSON-RPC 127.0.0.1:8899, PubSub 127.0.0.1:8900, gateway ws://127.0.0.1:8787/v1/ws
# Ctrl-C stops both. Nothing is kept: the chain and the gateway live in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
rpc_url="http://127.0.0.1:8899"
scratch="$(mktemp -d)"
authority="$scratch/gateway-authority.json"
master_key="$scratch/master.hex"

echo "== building the localnet and the gateway"
cargo build --quiet -p anoghost-localnet -p anoghost-gateway

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap stop EXIT INT TERM

"$CARGO_TARGET_DIR/debug/anoghost-localnet" --authority-out "$authority" &
pids+=($!)

echo "== waiting for the localnet at $rpc_url"
for _ in $(seq 1 120); do
    if curl -sf "$rpc_url/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "dev.sh: the localnet exited" >&2; exit 1; fi
    sleep 0.5
done
curl -sf "$rpc_url/health" >/dev/null || { echo "dev.sh: the localnet did not come up" >&2; exit 1; }

# A fresh master key each run is right here: the chain's keys vanish with it too.
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$master_key")
"$CARGO_TARGET_DIR/debug/anoghost-gateway" --rpc-url "$rpc_url" --authority-keypair "$authority" \
    --master-key-file "$master_key" &
pids+=($!)

echo "== localnet and gateway running; Ctrl-C stops both"
wait -n "${pids[@]}"
