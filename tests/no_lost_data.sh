#!/bin/sh
# tests/no_lost_data.sh - no lost data (issue 7): what a failed, refused or
# killed run leaves behind.
#
#   STANCE=build/stance tests/no_lost_data.sh          (part of make test)
#
# 1. -o FILE over an existing FILE, for quotes, classify, report, eval
#    and features: a run that fails while writing (a file size limit makes
#    write() fail with EFBIG: "write error: File too large") and a run that
#    fails before writing (a missing model) leave FILE byte for byte as it
#    was and no FILE.tmp.* behind; so does a run stopped by SIGTERM.
# 2. -o onto a FIFO writes into the FIFO (it stays a FIFO; before the fix a
#    rename replaced it, and as root `-o /dev/null` replaced /dev/null);
#    -o onto a symbolic link replaces the file it names, not the link, and
#    keeps that file's mode.
# 3. train killed with SIGKILL one second into training on
#    training-data/train.tsv, into an existing bundle: the old bundle is
#    byte for byte intact, `classify --model` loads it, and no temporary
#    directory is left.  A temporary directory a killed save would leave
#    (TARGET.tmp.PID.XXXXXX of a process that is gone) is removed by the
#    next train into TARGET; one whose process is alive is not.
# 4. An unreadable file (chmod 000): "Permission denied", exit 1.  Root
#    reads such a file anyway, so as root the check runs as user nobody
#    through setpriv, or is skipped with a note where that cannot work
#    (tests/cli/bad-unreadable-not-a-directory covers an unreadable path
#    for everyone).
#
# Ends with "no-lost-data: N passed, M failed"; exits 1 when any failed.
set -u
cd "$(dirname "$0")/.." || exit 2
STANCE=${STANCE:-build/stance}
LC_ALL=C.UTF-8
export LC_ALL
unset STANCE_MODEL

w=$(dirname "$STANCE")/no-lost-data  # build/no-lost-data, build/asan/no-lost-data
rm -rf "$w"
mkdir -p "$w" || exit 2
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

# No FILE.tmp.* (or DIR.tmp.*) beside $1.
no_temp() {
    for t in "$1".tmp.*; do
        [ -e "$t" ] && return 1
    done
    return 0
}

"$STANCE" train tests/fixtures/model/tiny.tsv -o "$w/tiny" >/dev/null || { echo "no-lost-data: cannot train the tiny model"; exit 1; }

# ------------------------------------------------------------------ 1
# name | arguments before -o | arguments after -o FILE
while IFS='|' read -r name args inputs; do
    out=$w/$name.out
    printf 'old output of %s: must survive\n' "$name" >"$out"
    cp "$out" "$w/$name.expected"
    # 1 block of file size: every one of these outputs is longer.
    # shellcheck disable=SC2086
    (trap '' XFSZ; ulimit -f 1; exec "$STANCE" $args -o "$out" $inputs) >"$w/$name.stdout" 2>"$w/$name.stderr"
    status=$?
    want="stance: $out: write error: File too large"
    if [ $status -ne 1 ]; then
        bad "$name (write error): exit status $status, expected 1"
    elif [ "$(cat "$w/$name.stderr")" != "$want" ]; then
        bad "$name (write error): stderr '$(cat "$w/$name.stderr")', expected '$want'"
    elif ! cmp -s "$out" "$w/$name.expected"; then
        bad "$name (write error): the old $out was changed"
    elif ! no_temp "$out"; then
        bad "$name (write error): a temporary file was left: $(ls "$out".tmp.*)"
    else
        ok
    fi
    # The same with a model that is not there: fails before any output
    # (report reading records needs no model).
    case $name in
    classify|eval|report-articles)
        # shellcheck disable=SC2086
        "$STANCE" $args --model "$w/no-such-model" -o "$out" $inputs >/dev/null 2>"$w/$name.stderr2"
        status=$?
        if [ $status -ne 1 ] || ! cmp -s "$out" "$w/$name.expected" || ! no_temp "$out"; then
            bad "$name (no model): exit $status; the old output must stay and no temporary file"
        else
            ok
        fi
        ;;
    esac
done <<EOF
quotes|quotes|samples/summit.txt
classify|classify --model $w/tiny|samples/summit.txt
report|report|tests/fixtures/records/kessling.jsonl
report-articles|report --format json|samples/summit.txt
eval|eval --model $w/tiny --format json|tests/fixtures/model/holdout.tsv
features|features --lexicon training-data/lexicon|samples/summit.txt
EOF

# A run stopped by SIGTERM a second in: the old file stays, and the
# temporary file is removed on the way out (only SIGKILL can leave one).
if sh tests/fixtures/bad/make.sh build/fixtures/bad >/dev/null; then
    out=$w/term.out
    printf 'old output: must survive SIGTERM\n' >"$out"
    cp "$out" "$w/term.expected"
    "$STANCE" quotes -o "$out" build/fixtures/bad/tiny-docs-1m.jsonl 2>/dev/null &
    runner=$!
    sleep 1
    if kill -TERM $runner 2>/dev/null; then
        { wait $runner; } 2>/dev/null  # no "Terminated" from the shell
        status=$?
        if [ $status -ne 143 ] || ! cmp -s "$out" "$w/term.expected" || ! no_temp "$out"; then
            bad "quotes -o stopped by SIGTERM: exit $status (expected 143); the old output must stay and no temporary file"
        else
            ok
        fi
    else
        wait $runner
        bad "quotes -o on a million documents ended within a second; nothing was stopped"
    fi
else
    bad "tests/fixtures/bad/make.sh failed"
fi

# ------------------------------------------------------------------ 2
"$STANCE" quotes samples/summit.txt >"$w/summit.jsonl"
if command -v mkfifo >/dev/null 2>&1 && mkfifo "$w/fifo"; then
    cat "$w/fifo" >"$w/fifo.out" &
    reader=$!
    "$STANCE" quotes -o "$w/fifo" samples/summit.txt
    status=$?
    # A reader still waiting means nothing was written into the FIFO.
    n=0
    while kill -0 $reader 2>/dev/null && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    kill $reader 2>/dev/null
    wait $reader 2>/dev/null
    if [ $status -ne 0 ] || [ ! -p "$w/fifo" ] || ! cmp -s "$w/fifo.out" "$w/summit.jsonl"; then
        bad "-o FIFO: exit $status; the FIFO must stay a FIFO and carry the records"
    elif ! no_temp "$w/fifo"; then
        bad "-o FIFO: a temporary file was left"
    else
        ok
    fi
else
    echo "no-lost-data: mkfifo unavailable, -o FIFO not checked"
fi

printf 'old\n' >"$w/target.jsonl"
chmod 640 "$w/target.jsonl"
ln -s target.jsonl "$w/link.jsonl"
"$STANCE" quotes -o "$w/link.jsonl" samples/summit.txt
status=$?
mode=$(stat -c %a "$w/target.jsonl" 2>/dev/null || echo 640)
if [ $status -ne 0 ] || [ ! -L "$w/link.jsonl" ] || ! cmp -s "$w/target.jsonl" "$w/summit.jsonl"; then
    bad "-o LINK: exit $status; the link must stay and its target get the records"
elif [ "$mode" != 640 ]; then
    bad "-o LINK: the replaced file has mode $mode, expected the old 640"
else
    ok
fi

# ------------------------------------------------------------------ 3
bundle=$w/bundle
snapshot() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
if "$STANCE" train tests/fixtures/model/tiny.tsv -o "$bundle" >/dev/null; then
    snapshot "$bundle" >"$w/bundle.before"
    "$STANCE" train training-data/train.tsv -o "$bundle" >/dev/null 2>&1 &
    trainer=$!
    sleep 1
    if kill -0 $trainer 2>/dev/null; then
        kill -9 $trainer
        wait $trainer 2>/dev/null
        snapshot "$bundle" >"$w/bundle.after"
        if ! cmp -s "$w/bundle.before" "$w/bundle.after"; then
            bad "train killed: the old bundle changed"
        elif ! "$STANCE" classify --model "$bundle" samples/summit.txt >/dev/null; then
            bad "train killed: the old bundle no longer loads"
        elif ! no_temp "$bundle"; then
            bad "train killed: a temporary directory was left: $(ls -d "$bundle".tmp.*)"
        else
            ok
        fi
    else
        wait $trainer
        bad "train killed: training on training-data/train.tsv ended within a second; nothing was killed"
    fi

    # Leftovers of a save killed midway: a dead writer's and a live one's.
    sh -c 'exit 0' &
    dead=$!
    wait $dead
    mkdir -p "$bundle.tmp.$dead.AbCdEf/lexicon" "$bundle.tmp.$$.GhIjKl"
    : >"$bundle.tmp.$dead.AbCdEf/lexicon/threat.tsv"
    if ! "$STANCE" train tests/fixtures/model/tiny.tsv -o "$bundle" >/dev/null; then
        bad "train after a killed save: failed"
    elif [ -e "$bundle.tmp.$dead.AbCdEf" ]; then
        bad "train after a killed save: the dead writer's $bundle.tmp.$dead.AbCdEf is still there"
    elif [ ! -d "$bundle.tmp.$$.GhIjKl" ]; then
        bad "train after a killed save: a live writer's temporary directory was removed"
    else
        ok
    fi
    rm -rf "$bundle.tmp.$$.GhIjKl"
else
    bad "train: cannot make the old bundle"
fi

# ------------------------------------------------------------------ 4
# Root reads a chmod 000 file anyway: as root, the check runs as nobody
# through setpriv (util-linux) when it can, else it is skipped with a note.
as=
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null 2>&1 &&
        setpriv --reuid=65534 --regid=65534 --clear-groups "$STANCE" --version >/dev/null 2>&1; then
        as="setpriv --reuid=65534 --regid=65534 --clear-groups"
    else
        as=skip
    fi
fi
if [ "$as" = skip ]; then
    echo "no-lost-data: unreadable file (chmod 000) not checked: running as root, who reads it anyway, and setpriv cannot run $STANCE as nobody"
else
    cp samples/summit.txt "$w/unreadable.txt"
    chmod 000 "$w/unreadable.txt"
    $as "$STANCE" quotes "$w/unreadable.txt" >"$w/unreadable.stdout" 2>"$w/unreadable.stderr"
    status=$?
    want="stance: $w/unreadable.txt: Permission denied"
    if [ $status -ne 1 ] || [ "$(cat "$w/unreadable.stderr")" != "$want" ] || [ -s "$w/unreadable.stdout" ]; then
        bad "unreadable file: exit $status, stderr '$(cat "$w/unreadable.stderr")', expected 1 and '$want'"
    else
        ok
    fi
    chmod 600 "$w/unreadable.txt"
fi

echo "no-lost-data: $passed passed, $failed failed"
[ $failed -eq 0 ]
