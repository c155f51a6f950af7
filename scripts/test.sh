#!/usr/bin/env bash
# The project's single test command (the README's): every crate's tests, with the build
# cached outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
export RUST_LOG="${RUST_LOG:-error}"
# strace, nats-server and the Node client test's packages; a no-op once installed.
scripts/install-deps.sh
exec cargo test --workspace --locked "$@"
