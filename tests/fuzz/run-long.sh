#!/usr/bin/env bash
# Long run of the property tests (issue 6, battery "Property tests / fuzzing").
#
#   bash tests/fuzz/run-long.sh [MINUTES] [TARGET...]
#
# Runs each target's properties for at least MINUTES minutes (default 10), in release mode,
# as repeated proptest runs of PROPTEST_CASES cases each (default 20000), every run with a
# new random seed. Targets: signature activity ical publiccode markdown (default: all).
# Prints, per target, the runs, the cases run and the crashes (failed properties; their
# output is kept in $FUZZ_LOG_DIR, default target/fuzz-logs). Exits 1 when anything crashed.
# FUZZ_PROFILE=debug builds without --release (quicker to build, slower to run).
# CI runs the same properties with 256 cases each in the ordinary test suite.
set -euo pipefail

minutes="${1:-10}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(signature activity ical publiccode markdown)
fi
cases="${PROPTEST_CASES:-20000}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
log_dir="${FUZZ_LOG_DIR:-$root/target/fuzz-logs}"
mkdir -p "$log_dir"
cd "$root"
profile_flag=(--release)
profile_name=release
if [ "${FUZZ_PROFILE:-release}" = debug ]; then
    profile_flag=()
    profile_name=debug
fi

# target -> package whose tests/properties.rs holds it, and the test-name filter.
package_of() {
    case "$1" in
        signature | activity) echo revier-federation ;;
        ical | publiccode | markdown) echo revier ;;
        *) echo "unknown target $1 (signature activity ical publiccode markdown)" >&2; exit 2 ;;
    esac
}
filter_of() {
    case "$1" in
        activity) echo activit ;;
        *) echo "$1" ;;
    esac
}

# Build each package's property test binary once (release) and remember its path.
declare -A binary
for t in "${targets[@]}"; do
    pkg="$(package_of "$t")"
    if [ -z "${binary[$pkg]:-}" ]; then
        echo "building $pkg properties ($profile_name)..." >&2
        exe="$(cargo test "${profile_flag[@]}" -p "$pkg" --test properties --no-run --message-format=json 2>/dev/null \
            | grep -o '"executable":"[^"]*properties[^"]*"' | tail -n 1 | cut -d'"' -f4)"
        if [ -z "$exe" ] || [ ! -x "$exe" ]; then
            echo "cannot build the property tests of $pkg" >&2
            exit 2
        fi
        binary[$pkg]="$exe"
    fi
done

total_crashes=0
summary=()
for t in "${targets[@]}"; do
    exe="${binary[$(package_of "$t")]}"
    filter="$(filter_of "$t")"
    end=$(( $(date +%s) + minutes * 60 ))
    runs=0
    run_cases=0
    crashes=0
    started=$(date +%s)
    while [ "$(date +%s)" -lt "$end" ]; do
        runs=$(( runs + 1 ))
        out="$log_dir/$t-run$runs.log"
        set +e
        PROPTEST_CASES="$cases" "$exe" "$filter" --test-threads=1 >"$out" 2>&1
        set -e
        line="$(grep -E '^test result:' "$out" | tail -n 1 || true)"
        passed="$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line")"
        failed="$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")"
        if [ -z "$line" ]; then
            # The binary died without a summary (abort, out of memory): a crash.
            failed=1
            passed=0
        fi
        # Every test a filter matches is a property that ran $cases cases.
        run_cases=$(( run_cases + ${passed:-0} * cases ))
        if [ "${failed:-0}" -gt 0 ]; then
            crashes=$(( crashes + failed ))
            echo "$t: run $runs failed, see $out" >&2
        else
            rm -f "$out"
        fi
    done
    took=$(( $(date +%s) - started ))
    summary+=("$(printf '%-11s runs %5d  cases %10d  crashes %3d  seconds %5d' "$t" "$runs" "$run_cases" "$crashes" "$took")")
    total_crashes=$(( total_crashes + crashes ))
done

echo "property tests, $minutes min per target, $cases cases per property per run ($profile_name):"
printf '%s\n' "${summary[@]}"
if [ "$total_crashes" -gt 0 ]; then
    echo "$total_crashes crashes; logs in $log_dir"
    exit 1
fi
echo "0 crashes"
