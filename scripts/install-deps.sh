#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: strace (the gateway's no-file-writes
# test), nats-server (the cluster tests start their own, core NATS only) and the Node client
# test's packages, exactly as pinned in tests/node/package-lock.json. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing: ${need[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: Node.js 20+ and npm are needed for tests/node (the independent client test)" >&2
    exit 1
fi
# Reinstall only when the lockfile changed since the last install.
stamp=tests/node/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || ! cmp -s tests/node/package-lock.json "$stamp.source" 2>/dev/null; then
    echo "== npm ci (tests/node, from the committed lockfile)"
    npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
    cp tests/node/package-lock.json "$stamp.source"
fi
