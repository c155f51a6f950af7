#!/usr/bin/env bash
# The fuzz targets in fuzz/ (see fuzz/README.md), on nightly through cargo-fuzz.
#
#   scripts/fuzz.sh --smoke            every target for FUZZ_SMOKE_SECONDS (20) on its
#                                      committed corpus; fails on any crash
#   scripts/fuzz.sh --list             the targets
#   scripts/fuzz.sh TARGET [SECONDS]   one campaign (600 s by default), growing the corpus,
#                                      then minimising it; the final stats go to stdout
#   scripts/fuzz.sh --reproduce TARGET FILE
#                                      runs one input (a crash under fuzz/artifacts/, or one
#                                      the corpus replay in the test suite printed)
#
# Builds go to $CARGO_TARGET_DIR/fuzz, never into the clone. Runs are niced: the machines
# are shared.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/anoghost-target}"
export CARGO_TERM_COLOR=never
TOOLCHAIN=+nightly
# Sixteen codegen units build the instrumented dependency tree several times faster than
# cargo-fuzz's default of one, for a few percent of speed.
BUILD=(--features libfuzzer --codegen-units 16 --target-dir "$CARGO_TARGET_DIR/fuzz")
# Limits every run shares: a single input may take 10 s and 2 GiB in all, and no single
# allocation may pass 256 MiB (AddressSanitizer's allocator enforces that one).
LIMITS=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 -print_final_stats=1)
SMOKE_SECONDS="${FUZZ_SMOKE_SECONDS:-20}"

# Options one target needs. mls_ingest builds a room per input (tens of runs a second), and
# its inputs are op lists that only mean something at a few hundred bytes: libFuzzer's
# default of starting from tiny inputs would spend a whole smoke run below that.
extra_options() {
    case "$1" in
        mls_ingest) echo "-len_control=0 -max_len=2048" ;;
    esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

targets() {
    cargo "$TOOLCHAIN" fuzz list
}

build() {
    echo "== building the fuzz targets"
    nice -n 10 cargo "$TOOLCHAIN" fuzz build "${BUILD[@]}" "$@"
}

smoke() {
    build
    local failed=()
    # Global, not local: the EXIT trap runs after this function has returned.
    scratch="$(mktemp -d)"
    trap 'rm -rf "${scratch:-}"' EXIT
    local started=$SECONDS
    for target in $(targets); do
        echo "== $target: ${SMOKE_SECONDS}s on fuzz/corpus/$target"
        mkdir -p "$scratch/$target" "fuzz/corpus/$target"
        # New inputs go to the scratch directory, so the run leaves the clone as it was.
        if ! nice -n 10 cargo "$TOOLCHAIN" fuzz run "${BUILD[@]}" "$target" \
            "$scratch/$target" "fuzz/corpus/$target" -- \
            -max_total_time="$SMOKE_SECONDS" "${LIMITS[@]}" $(extra_options "$target") \
            2>"$scratch/$target.log"; then
            tail -n 40 "$scratch/$target.log"
            failed+=("$target")
        else
            grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+ +DONE)' \
                "$scratch/$target.log" || true
        fi
    done
    echo "== fuzz smoke: $(( SECONDS - started ))s for $(targets | wc -l) targets"
    if (( ${#failed[@]} )); then
        echo "== crashed: ${failed[*]} (inputs under fuzz/artifacts/)"
        exit 1
    fi
}

campaign() {
    local target="$1" seconds="${2:-600}"
    build "$target"
    mkdir -p "fuzz/corpus/$target"
    nice -n 10 cargo "$TOOLCHAIN" fuzz run "${BUILD[@]}" "$target" -- \
        -max_total_time="$seconds" "${LIMITS[@]}" $(extra_options "$target")
    echo "== minimising fuzz/corpus/$target"
    nice -n 10 cargo "$TOOLCHAIN" fuzz cmin "${BUILD[@]}" "$target"
}

reproduce() {
    local target="$1" file="$2"
    build "$target"
    cargo "$TOOLCHAIN" fuzz run "${BUILD[@]}" "$target" "$file" -- "${LIMITS[@]}"
}

case "${1:-}" in
    --smoke) smoke ;;
    --reproduce)
        [ $# -eq 3 ] || { echo "usage: scripts/fuzz.sh --reproduce TARGET FILE" >&2; exit 2; }
        reproduce "$2" "$3"
        ;;
    --list) targets ;;
    "" | -*)
        sed -n '2,15p' "$0"
        exit 2
        ;;
    *) campaign "$@" ;;
esac
