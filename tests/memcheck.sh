#!/bin/sh
# tests/memcheck.sh - the CLI tests (tests/cli.sh) with the binary under
# valgrind: any memory error or definite/indirect leak fails the run.
#
#   tests/memcheck.sh [BINARY]          (make memcheck)
#
# valgrind runs with --error-exitcode=1 --leak-check=full
# --errors-for-leak-kinds=definite,indirect (and --read-inline-info=no:
# a quarter of each start-up, which is most of a case's time; reports
# still name every function's file and line, only not the inlined
# frames within them) and writes its reports to one
# log file per process under build/memcheck/, not to stderr, so the
# cases' expected stderr still compares; a non-empty log fails the run
# even when the case expected exit status 1 anyway.
#
# The big-* cases (50 MB line, 1 MB of garbage, 100,000 quote marks,
# a million tiny JSONL documents) take
# minutes under valgrind; they are skipped with a note unless
# MEMCHECK_BIG=1.  Their small cousins (bad-*) run.
#
# The cases' setups (inputs and small models made under build/) run the
# plain binary; the commands under test run under valgrind.
#
# The article-* cases (one per fixture article, each "quotes --format
# jsonl FILE") run as one process under valgrind over all their files,
# whose output must be the cases' expected outputs one after another:
# the same code paths, without a valgrind start-up per article (about
# 0.6 s each, a minute and a half of CI with 150 fixtures).
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${1:-build/stance}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "memcheck: valgrind not found" >&2
    exit 2
fi
logs=build/memcheck
rm -rf "$logs"
mkdir -p "$logs" || exit 2

names=
skipped=
articles=
for d in tests/cli/*/; do
    name=${d%/}
    name=${name##*/}
    case $name in
    article-*)
        articles="$articles $name"
        continue
        ;;
    big-*)
        if [ "${MEMCHECK_BIG:-0}" != 1 ]; then
            skipped="$skipped $name"
            continue
        fi
        ;;
    esac
    names="$names $name"
done
if [ -n "$skipped" ]; then
    echo "memcheck: skipped (minutes more under valgrind; MEMCHECK_BIG=1 runs them):$skipped"
fi

# A one-word wrapper: some cases' setup lines run "${STANCE}" quoted.
here=$(pwd)
case $bin in /*) ;; *) bin=$here/$bin ;; esac
wrapper=$logs/stance
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --read-inline-info=no \\
  --log-file="$here/$logs/vg.%p.log" "$bin" "\$@"
WRAP
chmod +x "$wrapper" || exit 2
# shellcheck disable=SC2086
STANCE=$wrapper STANCE_SETUP=$bin CLI_TIMEOUT=${CLI_TIMEOUT:-600} tests/cli.sh $names
status=$?

if [ -n "$articles" ]; then
    files=
    expected=$logs/articles.expected
    : >"$expected"
    n=0
    for name in $articles; do
        case=tests/cli/$name
        # shellcheck disable=SC2046
        set -- $(cat "$case/cmd")
        if [ $# -ne 4 ] || [ "$1 $2 $3" != "quotes --format jsonl" ] ||
            [ "$(cat "$case/status")" != 0 ] || [ -s "$case/stderr" ]; then
            echo "memcheck: $name: not \"quotes --format jsonl FILE\" with status 0 and no stderr"
            status=1
            continue
        fi
        files="$files $4"
        cat "$case/stdout" >>"$expected"
        n=$((n + 1))
    done
    # shellcheck disable=SC2086
    if "$wrapper" quotes --format jsonl $files >"$logs/articles.out" 2>"$logs/articles.err" &&
        [ ! -s "$logs/articles.err" ] && cmp -s "$expected" "$logs/articles.out"; then
        echo "memcheck: $n article cases in one process: output as expected"
    else
        echo "memcheck: $n article cases in one process: output, stderr or status differs" \
            "(see $logs/articles.out, $logs/articles.err)"
        status=1
    fi
fi

bad=0
for f in "$logs"/vg.*.log; do
    [ -s "$f" ] || continue
    bad=$((bad + 1))
    echo "memcheck: valgrind report in $f:"
    head -n 40 "$f" | sed 's/^/  /'
done
if [ $bad -eq 0 ]; then
    echo "memcheck: no valgrind errors or leaks"
else
    echo "memcheck: $bad processes with valgrind errors or leaks"
    status=1
fi
exit $status
