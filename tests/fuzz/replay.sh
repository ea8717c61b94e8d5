#!/bin/sh
# tests/fuzz/replay.sh DIR TARGET... - runs DIR/TARGET (built with
# replay_main.c) over tests/fuzz/corpus/TARGET and
# tests/fuzz/regressions/TARGET, and ends with the line
# "fuzz-replay: N targets, M inputs, K failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=$1
shift
failed=0
inputs=0
targets=0
for t in "$@"; do
    set --
    [ -d "tests/fuzz/corpus/$t" ] && set -- "$@" "tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/regressions/$t" ] && set -- "$@" "tests/fuzz/regressions/$t"
    targets=$((targets + 1))
    if [ $# -eq 0 ]; then
        echo "fuzz-replay: $t has no corpus or regressions"
        continue
    fi
    if out=$("$dir/$t" "$@" 2>"$dir/$t.log"); then
        n=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) inputs replayed$/\1/p')
        inputs=$((inputs + ${n:-0}))
    else
        echo "FAIL $t: $dir/$t $*"
        tail -n 30 "$dir/$t.log" | sed 's/^/  /'
        failed=$((failed + 1))
    fi
done
echo "fuzz-replay: $targets targets, $inputs inputs, $failed failed"
[ $failed -eq 0 ]
