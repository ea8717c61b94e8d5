#!/bin/sh
# tests/cli.sh - command-line tests: exact stdout, stderr and exit status.
#
#   STANCE=build/stance tests/cli.sh [NAME...]
#       runs every case in tests/cli/ (or only the named ones) and ends with
#       the line "cli: N passed, M failed" (", K skipped" when cases were
#       skipped); exits 1 when any case failed.
#   STANCE=build/stance tests/cli.sh --update NAME...
#       rewrites the expected files of the named cases from the current
#       binary, for reviewing by hand (git diff) - never used in CI.
#       All cases: tests/cli.sh --update $(ls tests/cli)
#
# A case is a directory tests/cli/NAME/ holding
#   cmd      one line: the arguments after the binary, run from the
#            repository root as  sh -c "$STANCE $(cat cmd)"  (so it may hold
#            shell redirections such as  >/dev/full)
#   stdin    optional: standard input of the command (otherwise /dev/null)
#   setup    optional: one line run with sh -c from the repository root
#            before the command (generates big inputs under build/); it
#            sees $STANCE_SETUP as ${STANCE} when that is set
#   check    optional: "jsonl" - stdout is not compared, it must be
#            well-formed JSON Lines (every line one JSON object)
#   stdout, stderr, status
#            the expected standard output, standard error and exit status;
#            a case without them fails with "no expected output" (with a
#            check file only status is required, stdout and stderr are
#            compared when present)
#   needs    optional: one line, the optional tools the case runs (known to
#            scripts/deps --optional, e.g. "parallel"); a missing one is
#            installed by scripts/deps --optional when it can be (as
#            root), else the case is skipped with a line saying why
#   note     optional: what the expected output should show, for the
#            reviewer (not read by this script)
#
# Commands run with LC_ALL=C.UTF-8 and without STANCE_MODEL, under
# `timeout` when it exists (CLI_TIMEOUT seconds, default 120).
#
# Cases run in CLI_JOBS parallel shards (default: the number of CPUs, at
# most 8; CLI_JOBS=1 runs them one by one, printing as it goes).  Every
# case with a setup file runs in shard 1, in name order, because setups
# share what they make under build/ (build/cli-model/tiny, the generated
# JSON Lines): two shards must never write or read one of them at once.
# The other cases go to whichever shard has the least to run (a case
# with a setup counting twice), and each shard's report is printed
# whole, in shard order, once all have ended.
set -u

cd "$(dirname "$0")/.." || exit 2
STANCE=${STANCE:-build/stance}
# What a case's setup runs as ${STANCE}: tests/memcheck.sh gives the
# plain binary, so that only the command under test runs under valgrind.
SETUP_STANCE=${STANCE_SETUP:-$STANCE}
CASES=tests/cli
CLI_TIMEOUT=${CLI_TIMEOUT:-120}
LC_ALL=C.UTF-8
export LC_ALL
unset STANCE_MODEL

work=$(mktemp -d "${TMPDIR:-/tmp}/stance-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' 0
trap 'exit 130' INT TERM

if command -v timeout >/dev/null 2>&1; then
    limit="timeout $CLI_TIMEOUT"
else
    limit=
fi

# run_case DIR: runs the case's command; leaves stdout, stderr, status
# in $work.  Returns 1 (with a message in $work/why) if it could not run.
run_case() {
    d=$1
    rm -f "$work/stdout" "$work/stderr" "$work/status" "$work/why"
    if [ ! -f "$d/cmd" ]; then
        echo "no cmd file" >"$work/why"
        return 1
    fi
    if [ -f "$d/setup" ]; then
        if ! STANCE=$SETUP_STANCE sh -c "$(cat "$d/setup")" >"$work/setup.log" 2>&1; then
            { echo "setup failed:"; cat "$work/setup.log"; } >"$work/why"
            return 1
        fi
    fi
    input=/dev/null
    if [ -f "$d/stdin" ]; then input=$d/stdin; fi
    $limit sh -c "$STANCE $(cat "$d/cmd")" <"$input" >"$work/stdout" 2>"$work/stderr"
    echo $? >"$work/status"
    return 0
}

# jsonl_ok FILE: every line of FILE is one JSON object, and a non-empty
# FILE ends with a newline.
jsonl_ok() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$1" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
if data and not data.endswith(b"\n"):
    print("stdout does not end with a newline"); sys.exit(1)
for n, line in enumerate(data.split(b"\n")[:-1], 1):
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("stdout line %d is not JSON: %s" % (n, e)); sys.exit(1)
    if not isinstance(record, dict):
        print("stdout line %d is not a JSON object" % n); sys.exit(1)
PY
    elif command -v jq >/dev/null 2>&1; then
        jq -e 'type == "object"' <"$1" >/dev/null || { echo "stdout is not JSON Lines"; return 1; }
    else
        echo "warning: neither python3 nor jq: JSON Lines not checked" >&2
    fi
}

# show_diff EXPECTED ACTUAL LABEL: prints a bounded unified diff.
show_diff() {
    echo "  $3 differs (- expected, + actual):"
    diff -u "$1" "$2" | sed -e '1,2d' -e 's/^/    /' | head -n 60
}

if [ "${1:-}" = "--update" ]; then
    shift
    if [ $# -eq 0 ]; then
        echo "usage: tests/cli.sh --update NAME..." >&2
        exit 2
    fi
    status=0
    for name in "$@"; do
        name=${name%/}
        name=${name##*/}
        d=$CASES/$name
        if [ ! -d "$d" ]; then
            echo "no such case: $name" >&2; status=1; continue
        fi
        if ! run_case "$d"; then
            echo "$name: $(cat "$work/why")" >&2; status=1; continue
        fi
        cp "$work/status" "$d/status"
        if [ ! -f "$d/check" ]; then
            cp "$work/stdout" "$d/stdout"
            cp "$work/stderr" "$d/stderr"
        fi
        echo "updated $name (exit $(cat "$work/status"))"
    done
    exit $status
fi

if [ $# -gt 0 ]; then
    names=$*
else
    names=
    for d in "$CASES"/*; do
        [ -d "$d" ] && names="$names ${d##*/}"
    done
fi

# missing_tool DIR: prints the first tool of DIR/needs that is not there
# and cannot be installed; prints nothing when all are there.
missing_tool() {
    [ -f "$1/needs" ] || return 0
    for tool in $(cat "$1/needs"); do
        if ! command -v "$tool" >/dev/null 2>&1; then
            scripts/deps --optional "$tool" >/dev/null 2>&1 || true
            if ! command -v "$tool" >/dev/null 2>&1; then
                echo "$tool"
                return 0
            fi
        fi
    done
}

# run_names NAME...: checks each case, printing a FAIL report for each
# that fails; leaves the counts in passed, failed, skipped.
run_names() {
    passed=0
    failed=0
    skipped=0
    for name in "$@"; do
        name=${name%/}
        name=${name##*/}
        d=$CASES/$name
        if [ ! -d "$d" ]; then
            echo "FAIL $name: no such case"
            failed=$((failed + 1)); continue
        fi
        if [ -f "$d/check" ]; then
            need="status"
        else
            need="stdout stderr status"
        fi
        missing=
        for f in $need; do
            [ -f "$d/$f" ] || missing="$missing $f"
        done
        if [ -n "$missing" ]; then
            echo "FAIL $name: no expected output (missing:$missing)"
            failed=$((failed + 1)); continue
        fi
        tool=$(missing_tool "$d")
        if [ -n "$tool" ]; then
            echo "SKIP $name: needs '$tool', which is not installed and could not be installed here (scripts/deps --optional $tool)"
            skipped=$((skipped + 1)); continue
        fi
        if ! run_case "$d"; then
            echo "FAIL $name: $(cat "$work/why")"
            failed=$((failed + 1)); continue
        fi
        ok=1
        report=$work/report
        : >"$report"
        if ! cmp -s "$d/status" "$work/status"; then
            echo "  exit status: expected $(cat "$d/status"), got $(cat "$work/status")" >>"$report"
            ok=0
        fi
        for f in stdout stderr; do
            if [ -f "$d/$f" ] && ! cmp -s "$d/$f" "$work/$f"; then
                show_diff "$d/$f" "$work/$f" "$f" >>"$report"
                ok=0
            fi
        done
        if [ -f "$d/check" ]; then
            case $(cat "$d/check") in
            jsonl)
                if ! jsonl_ok "$work/stdout" >"$work/check.log" 2>&1; then
                    sed 's/^/  /' "$work/check.log" >>"$report"
                    ok=0
                fi
                ;;
            *)
                echo "  unknown check: $(cat "$d/check")" >>"$report"
                ok=0
                ;;
            esac
        fi
        if [ $ok -eq 1 ]; then
            passed=$((passed + 1))
        else
            echo "FAIL $name: $STANCE $(cat "$d/cmd")"
            cat "$report"
            failed=$((failed + 1))
        fi
    done
}

jobs=$(scripts/jobs "${CLI_JOBS:-}")

if [ "$jobs" -eq 1 ]; then
    # shellcheck disable=SC2086
    run_names $names
else
    # Deal the cases: shard i's list in $work/list.i, its size in size_i.
    i=1
    while [ $i -le "$jobs" ]; do
        : >"$work/list.$i"
        eval "size_$i=0"
        i=$((i + 1))
    done
    for name in $names; do
        base=${name%/}
        base=${base##*/}
        to=1
        n=0
        m=0
        if [ ! -f "$CASES/$base/setup" ]; then
            i=2
            while [ $i -le "$jobs" ]; do
                eval "n=\$size_$i; m=\$size_$to"
                [ "$n" -lt "$m" ] && to=$i
                i=$((i + 1))
            done
        fi
        echo "$name" >>"$work/list.$to"
        # A case with a setup counts twice: the setup is a second command.
        w=1
        [ -f "$CASES/$base/setup" ] && w=2
        eval "size_$to=\$((size_$to + $w))"
    done
    top=$work
    i=1
    while [ $i -le "$jobs" ]; do
        mkdir -p "$top/shard.$i" || exit 2
        (
            work=$top/shard.$i
            # shellcheck disable=SC2046
            run_names $(cat "$top/list.$i")
            echo "$passed $failed $skipped" >"$top/counts.$i"
        ) >"$top/log.$i" 2>&1 &
        pids="${pids:-} $!"
        i=$((i + 1))
    done
    # An interrupt stops the shards too, before the work directory goes.
    trap 'kill $pids 2>/dev/null; wait; exit 130' INT TERM
    wait
    passed=0
    failed=0
    skipped=0
    i=1
    while [ $i -le "$jobs" ]; do
        cat "$top/log.$i"
        if [ -f "$top/counts.$i" ]; then
            read -r p f k <"$top/counts.$i"
            passed=$((passed + p))
            failed=$((failed + f))
            skipped=$((skipped + k))
        else
            echo "FAIL shard $i of $jobs ended without its counts"
            failed=$((failed + 1))
        fi
        i=$((i + 1))
    done
fi

if [ $skipped -gt 0 ]; then
    echo "cli: $passed passed, $failed failed, $skipped skipped"
else
    echo "cli: $passed passed, $failed failed"
fi
[ $failed -eq 0 ]
