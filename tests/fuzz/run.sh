#!/bin/sh
# tests/fuzz/run.sh SECONDS TARGET... - runs each libFuzzer target of
# build/fuzz/ for SECONDS with its seed corpus, regressions and the
# dictionary, then prints one summary line per target:
#   fuzz_article: 60 s, 812345 runs, 13539 exec/s, cov 2345, ft 8765, ok
# New inputs go to build/fuzz/corpus/TARGET/, crash inputs to
# build/fuzz/artifacts/ (copy them to tests/fuzz/regressions/TARGET/).
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 ...".  The targets run
# FUZZ_JOBS at a time (default: the number of CPUs).  Exits 1 if any
# target found a crash, leak, timeout or sanitizer report.
set -u
cd "$(dirname "$0")/../.." || exit 2
seconds=$1
shift
build=build/fuzz
mkdir -p "$build/artifacts" "$build/logs"
jobs=$(scripts/jobs "${FUZZ_JOBS:-}")

# run_target T: fuzzes T for $seconds, prints what it found and leaves
# its summary line in $build/logs/T.summary; returns 1 on a finding.
run_target() {
    t=$1
    mkdir -p "$build/corpus/$t"
    set -- "$build/corpus/$t"
    [ -d "tests/fuzz/corpus/$t" ] && set -- "$@" "tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/regressions/$t" ] && set -- "$@" "tests/fuzz/regressions/$t"
    log=$build/logs/$t.log
    echo "fuzz: $t for $seconds s (log: $log)"
    # -timeout: one input taking longer than 10 s is a hang.
    # shellcheck disable=SC2086
    "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -dict=tests/fuzz/stance.dict -artifact_prefix="$build/artifacts/$t-" \
        -print_final_stats=1 ${FUZZ_FLAGS:-} "$@" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if [ -z "$runs" ]; then # -fork mode prints "#RUNS: cov: ... exec/s N ..."
        runs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
        speed=$(sed -n 's/^#[0-9]*: cov:.* exec\/s \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    fi
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | sed 's/ft: //')
    if [ $rc -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $rc; see $log and $build/artifacts/)"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*fuzz check failed)' "$log" | head -n 5 | sed 's/^/  /'
    fi
    echo "$t: $seconds s, ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, $result" |
        tee "$build/logs/$t.summary"
    [ $rc -eq 0 ]
}

# The targets run $jobs at a time (FUZZ_JOBS, default the number of
# CPUs): each runs for the same time, so they go in rounds.
status=0
started=0
for t in "$@"; do
    rm -f "$build/logs/$t.summary"
    run_target "$t" &
    started=$((started + 1))
    if [ $((started % jobs)) -eq 0 ]; then
        wait
    fi
done
wait
echo "fuzz summary:"
for t in "$@"; do
    if [ -f "$build/logs/$t.summary" ]; then
        line=$(cat "$build/logs/$t.summary")
        echo "$line"
        case $line in *", ok") ;; *) status=1 ;; esac
    else
        echo "$t: ended without a summary"
        status=1
    fi
done
exit $status
