#!/usr/bin/env bash
# Runs the Autobahn testsuite's server cases (wstest fuzzingclient) against a gateway on
# 127.0.0.1 and prints a summary by case (fuzz/autobahn/README.md reads it).
#
# wstest runs on Python 2.7 only: AUTOBAHN_PYTHON names that interpreter (default
# python2.7) and AUTOBAHN_SITE the directory autobahntestsuite is installed in, if it is not
# on the interpreter's path (for example after `pip install --target DIR autobahntestsuite`).
# The gateway is the debug binary from $CARGO_TARGET_DIR (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
PYTHON="${AUTOBAHN_PYTHON:-python2.7}"
SITE="${AUTOBAHN_SITE:-}"
OUT="${AUTOBAHN_OUT:-$(mktemp -d)}"
PORT="${AUTOBAHN_PORT:-18787}"

gateway="$CARGO_TARGET_DIR/debug/anoghost-gateway"
[ -x "$gateway" ] || cargo build -p anoghost-gateway --locked

# The gateway speaks its own protocol, not echo: text that is not one of its control
# messages is answered with an `error`, so Autobahn's echo cases fail by design. Rate and
# size limits are raised so that they do not stand in for the RFC's own answers.
"$gateway" --listen "127.0.0.1:$PORT" --messages-per-second 100000 \
    --max-control-bytes 65536 --handshake-timeout-secs 60 --log-level warn &
gateway_pid=$!
trap 'kill "$gateway_pid" 2>/dev/null || true' EXIT
sleep 1

cat >"$OUT/fuzzingclient.json" <<EOF
{
  "outdir": "$OUT/reports",
  "servers": [{"agent": "anoghost-gateway", "url": "ws://127.0.0.1:$PORT/v1/ws"}],
  "cases": ["*"],
  "exclude-cases": ["9.*", "12.*", "13.*"],
  "exclude-agent-cases": {}
}
EOF
# 9 is performance, 12 and 13 are permessage-deflate, which the gateway does not offer.
"$PYTHON" -c "import site, sys
if sys.argv[1]: site.addsitedir(sys.argv[1])
sys.argv = ['wstest', '-m', 'fuzzingclient', '-s', sys.argv[2]]
from autobahntestsuite.wstest import run
run()" "$SITE" "$OUT/fuzzingclient.json"

python3 - "$OUT/reports/index.json" <<'EOF'
import json, sys
from collections import Counter
results = json.load(open(sys.argv[1]))["anoghost-gateway"]
def key(case):
    return [int(p) for p in case.split(".")]
for case in sorted(results, key=key):
    r = results[case]
    print(f"{case}\t{r['behavior']}\t{r['behaviorClose']}\t{r.get('remoteCloseCode')}")
print("totals:", dict(Counter(r["behavior"] for r in results.values())))
EOF
echo "reports: $OUT/reports"
