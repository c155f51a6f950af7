#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: strace (the gateway's no-file-writes
# test), nats-server (the cluster tests start their own, core NATS only), Chromium (the web
# client's browser tests, driven by playwright-core), and the npm packages of the Node client
# test and of the web client, exactly as pinned in their package-lock.json files. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
# Debian's Chromium: Playwright's own browser download is not available here.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing: ${need[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: Node.js 20+ and npm are needed for tests/node and web/ (the web client and its tests)" >&2
    exit 1
fi
# Reinstall only when the lockfile changed since the last install. gateway/build.rs uses
# the same stamp for web/, so the two never reinstall each other's packages.
for dir in tests/node web; do
    stamp=$dir/node_modules/.anoghost-lock
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
        echo "== npm ci ($dir, from the committed lockfile)"
        npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
        cp "$dir/package-lock.json" "$stamp"
    fi
done
