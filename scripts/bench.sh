#!/usr/bin/env bash
# Benchmark: kickwire-proto against serde_json (owned structs) and simd-json (borrowed), both
# doing the same double decode, over a deterministic generated corpus (about 85 % chat) plus
# the real vectors; heap allocations per frame from a counting allocator; and, when valgrind is
# installed, instructions per frame from callgrind (less a 0-rep run: the corpus generation).
#
# The last line of stdout is machine-readable:
#   BENCH decode_vs_serde_json=<ratio> decode_vs_simd_json=<ratio> allocs_per_frame=<n> max_event_bytes=<n>
# (ratio = baseline time / kickwire time: higher is better for kickwire). Status goes to stderr.
# Before it, `CONN conn_vs_decode=<ratio>`: a Pusher Connection's handle_message and
# Received::next_into against decode() in the same run (1.00: a driver pays nothing more).
#
#   BENCH_NO_CALLGRIND=1     skip the callgrind part
#   BENCH_FAMILIES=1         also count instructions per frame for each event family
#   BENCH_CALLGRIND_REPS=5   corpus passes per callgrind run
#   BENCH_ROUND_MS=300       time per decoder per round (best of BENCH_ROUNDS=5, interleaved)
#   KICKWIRE_VECTORS=DIR     the real vectors (default: tests/vectors/kick)
#
# The bench crate is its own cargo workspace (tests/bench): the main workspace never builds
# simd-json. Timings on a shared machine are noisy; the ratios come from one interleaved run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*" >&2; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/tests/bench/target}"
BIN="$CARGO_TARGET_DIR/release/kickwire-bench"

step "build (release, tests/bench)"
cargo build --release --manifest-path tests/bench/Cargo.toml >&2

if [[ "${BENCH_NO_CALLGRIND:-0}" != 1 ]] && command -v valgrind >/dev/null 2>&1; then
    REPS="${BENCH_CALLGRIND_REPS:-5}"
    OUT="$CARGO_TARGET_DIR/callgrind"
    mkdir -p "$OUT"
    # Total instructions ("summary:" line) of one callgrind run.
    instructions() {
        local file="$OUT/callgrind.out.$1.$2"
        valgrind --tool=callgrind --callgrind-out-file="$file" "$BIN" callgrind "$1" "$2" \
            >"$OUT/stdout.$1.$2" 2>"$OUT/stderr.$1.$2"
        awk '/^(summary|totals):/ { print $2; exit }' "$file"
    }
    echo "callgrind: instructions per frame (corpus x $REPS, minus a 0-rep run)"
    for decoder in kickwire serde_json simd_json kickwire_into kickwire_conn; do
        step "callgrind $decoder"
        base=$(instructions "$decoder" 0)
        total=$(instructions "$decoder" "$REPS")
        frames=$(sed -n 's/.* frames=\([0-9]*\).*/\1/p' "$OUT/stdout.$decoder.$REPS")
        bytes=$(sed -n 's/.* bytes=\([0-9]*\).*/\1/p' "$OUT/stdout.$decoder.$REPS")
        awk -v d="$decoder" -v t="$total" -v b="$base" -v r="$REPS" -v f="$frames" -v by="$bytes" \
            'BEGIN { n = (t - b) / (r * f); printf "  %-14s %9.0f Ir/frame  %6.2f Ir/byte\n", d, n, n * f / by }'
    done
    echo "  (profiles: $OUT/callgrind.out.<decoder>.$REPS; callgrind_annotate --inclusive=yes FILE)"
    echo
    if [[ "${BENCH_FAMILIES:-0}" == 1 ]]; then
        # Per event family: the same count over only that family's frames.
        echo "callgrind: instructions per frame by family (corpus x $REPS, minus a 0-rep run)"
        printf '  %-20s %10s %10s %10s\n' family kickwire serde_json simd_json
        for family in Chat Subscription GiftedSubscriptions KicksGifted UserBanned MessageDeleted \
            PollUpdate GiftsLeaderboard Ping Real; do
            row=()
            for decoder in kickwire_into serde_json simd_json; do
                step "callgrind $decoder ($family)"
                base=$(KICKWIRE_BENCH_FAMILY=$family instructions "$decoder" 0)
                total=$(KICKWIRE_BENCH_FAMILY=$family instructions "$decoder" "$REPS")
                frames=$(sed -n 's/.* frames=\([0-9]*\).*/\1/p' "$OUT/stdout.$decoder.$REPS")
                row+=("$(awk -v t="$total" -v b="$base" -v r="$REPS" -v f="$frames" 'BEGIN { printf "%.0f", (t - b) / (r * f) }')")
            done
            printf '  %-20s %10s %10s %10s\n' "$family" "${row[@]}"
        done
        echo
    fi
else
    step "callgrind skipped (BENCH_NO_CALLGRIND=1 or no valgrind)"
fi

step "timing and allocations"
# The bench prints its table and ends with the BENCH line: it runs last, so that line is the
# last of this script's stdout.
"$BIN" bench
