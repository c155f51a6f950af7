#!/usr/bin/env bash
# Builds the anoghost program for SBF, deploys it to devnet or mainnet-beta, and initialises
# its config.
#
#   scripts/deploy.sh devnet|mainnet
#
# Environment:
#   ANOGHOST_DEPLOY_KEYPAIR   deployer and upgrade authority (default: the Solana CLI's keypair)
#   ANOGHOST_RPC_URL          cluster RPC URL (default: the public endpoint of the cluster)
#   ANOGHOST_GATEWAY_AUTHORITY, ANOGHOST_TREASURY   config values; without both, the
#                             config-init command is printed instead of run
#   ANOGHOST_PRICE_PER_KEY    lamports (default 10000000)
#   ANOGHOST_REFUND_TIMEOUT   seconds (default 86400)
#   ANOGHOST_CONFIRM_MAINNET=yes   required for mainnet when there is no terminal to ask
#
# Toolchain: platform-tools v1.52 or later, whose rustc is 1.89 (the program crate declares
# rust-version = "1.89"; earlier platform-tools ship Rust 1.84 and cannot build it). The
# build below asks cargo-build-sbf for that version explicitly.
set -euo pipefail
cd "$(dirname "$0")/.."
# anchor and cargo-build-sbf put the program in ./target/deploy, where this script looks.
unset CARGO_TARGET_DIR

usage() { echo "usage: scripts/deploy.sh devnet|mainnet" >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in
    devnet) cluster=devnet; default_url="https://api.devnet.solana.com" ;;
    mainnet|mainnet-beta) cluster=mainnet-beta; default_url="https://api.mainnet-beta.solana.com" ;;
    *) usage ;;
esac
rpc_url="${ANOGHOST_RPC_URL:-$default_url}"

# platform-tools v1.52 ships Rust 1.89, the version the program crate targets.
PLATFORM_TOOLS_VERSION=v1.52

# 1. The toolchain. This is checked first so nothing half-happens on a machine without it.
missing=()
command -v solana >/dev/null 2>&1 || missing+=("solana (the Solana CLI)")
command -v solana-keygen >/dev/null 2>&1 || missing+=("solana-keygen")
if ! command -v anchor >/dev/null 2>&1 && ! cargo build-sbf --version >/dev/null 2>&1; then
    missing+=("anchor (Anchor CLI 1.2.x) or cargo-build-sbf")
fi
if [ ${#missing[@]} -gt 0 ]; then
    {
        echo "deploy.sh: the Solana toolchain is missing (it needs platform-tools $PLATFORM_TOOLS_VERSION or later, Rust 1.89):"
        for tool in "${missing[@]}"; do echo "  - $tool"; done
        echo
        echo "Install it, then run this again:"
        echo "  sh -c \"\$(curl -sSfL https://release.anza.xyz/stable/install)\"   # solana, solana-keygen, cargo-build-sbf"
        echo "  cargo install --git https://github.com/solana-foundation/anchor avm && avm install 1.2.2 && avm use 1.2.2"
        echo
        echo "Without it, the program still runs natively on the project's localnet: scripts/localnet.sh"
    } >&2
    exit 1
fi

deployer="${ANOGHOST_DEPLOY_KEYPAIR:-$(solana config get keypair | awk '{print $NF}')}"
[ -f "$deployer" ] || { echo "deploy.sh: no deployer keypair at $deployer (set ANOGHOST_DEPLOY_KEYPAIR)" >&2; exit 1; }

# 2. The program id must be the program keypair's, everywhere.
program_keypair=target/deploy/anoghost-keypair.json
declared=$(grep -o 'declare_id!("[^"]*")' programs/anoghost/src/lib.rs | cut -d'"' -f2)
if [ -f "$program_keypair" ]; then
    actual=$(solana-keygen pubkey "$program_keypair")
    if [ "$actual" != "$declared" ]; then
        echo "deploy.sh: declare_id! says $declared but $program_keypair is $actual." >&2
        echo "Run 'anchor keys sync' (updates declare_id! and Anchor.toml), rebuild the clients, and retry." >&2
        exit 1
    fi
fi

if [ "$cluster" = mainnet-beta ]; then
    if [ "${ANOGHOST_CONFIRM_MAINNET:-}" != yes ]; then
        if [ -t 0 ]; then
            read -r -p "Deploy to MAINNET from $(solana-keygen pubkey "$deployer")? Type yes: " answer
            [ "$answer" = yes ] || { echo "not deploying"; exit 1; }
        else
            echo "deploy.sh: refusing mainnet without a terminal; set ANOGHOST_CONFIRM_MAINNET=yes" >&2
            exit 1
        fi
    fi
fi

# 3. Build and deploy.
echo "== building for SBF with platform-tools $PLATFORM_TOOLS_VERSION"
if command -v anchor >/dev/null 2>&1; then
    # anchor passes what follows `--` on to cargo-build-sbf.
    anchor build -- --tools-version "$PLATFORM_TOOLS_VERSION"
else
    cargo build-sbf --tools-version "$PLATFORM_TOOLS_VERSION" \
        --manifest-path programs/anoghost/Cargo.toml --sbf-out-dir target/deploy
fi
echo "== deploying $declared to $cluster ($rpc_url)"
solana program deploy target/deploy/anoghost.so \
    --program-id "$program_keypair" \
    --keypair "$deployer" \
    --url "$rpc_url"

# 4. The config, signed by the upgrade authority (the deployer).
init=(cargo run --quiet -p anoghost-cli --bin anoghost -- --rpc-url "$rpc_url" admin config-init
    --keypair "$deployer"
    --gateway-authority "${ANOGHOST_GATEWAY_AUTHORITY:-<gateway authority pubkey>}"
    --treasury "${ANOGHOST_TREASURY:-<treasury pubkey>}"
    --price-per-key "${ANOGHOST_PRICE_PER_KEY:-10000000}"
    --refund-timeout-secs "${ANOGHOST_REFUND_TIMEOUT:-86400}")
if [ -n "${ANOGHOST_GATEWAY_AUTHORITY:-}" ] && [ -n "${ANOGHOST_TREASURY:-}" ]; then
    echo "== initialising the config"
    "${init[@]}"
else
    echo "== deployed. Initialise the config (once, from the upgrade authority) with:"
    printf '  %q' "${init[@]}"; echo
fi
