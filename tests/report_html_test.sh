#!/bin/sh
# tests/report_html_test.sh - the HTML report in a real browser.
#
#   STANCE=build/stance tests/report_html_test.sh
#
# Renders `stance report --format html` of the record fixtures in headless
# Chromium (Debian package `chromium`), then checks that
#   - the DOM Chromium built has one <g class="bar"> per speaker of the
#     JSON report of the same records, with the same names in the same
#     order, and no <script> element;
#   - the screenshot (kept as build/report-html/report.png) is 1200x900 and
#     shows the threatening red and the conciliatory green of the bars, so
#     the inline CSS and SVG were applied.
# Chromium comes from `scripts/deps --optional chromium` (which installs it
# as root); where it cannot be had, the test says so and is skipped.
# Ends with "report-html: N passed, M failed" (", 1 skipped" when skipped).
set -u

cd "$(dirname "$0")/.." || exit 2
STANCE=${STANCE:-build/stance}
OUT=build/report-html
mkdir -p "$OUT" || exit 2
LC_ALL=C.UTF-8
export LC_ALL

find_chromium() {
    for c in chromium chromium-browser; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if ! browser=$(find_chromium); then
    if ! scripts/deps --optional chromium >"$OUT/deps.log" 2>&1 || ! browser=$(find_chromium); then
        echo "report-html: skipped: Chromium is not installed and could not be installed here"
        sed 's/^/  /' "$OUT/deps.log" | tail -n 3
        echo "report-html: 0 passed, 0 failed, 1 skipped"
        exit 0
    fi
fi

records="tests/fixtures/records/kessling.jsonl tests/fixtures/records/summit.jsonl tests/fixtures/records/names.jsonl"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL report-html: $*"; failed=$((failed + 1)); }

# shellcheck disable=SC2086
if ! $STANCE report --format html --title "stance report: fixtures" -o "$OUT/report.html" $records ||
   ! $STANCE report --format json -o "$OUT/report.json" $records; then
    fail "stance report failed"
    echo "report-html: $passed passed, $failed failed"
    exit 1
fi

profile=$(mktemp -d "${TMPDIR:-/tmp}/stance-chromium.XXXXXX") || exit 2
trap 'rm -rf "$profile"' 0
trap 'exit 130' INT TERM
url="file://$(pwd)/$OUT/report.html"
flags="--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-dev-shm-usage \
--disable-component-update --disable-sync --user-data-dir=$profile --window-size=1200,900"
limit=
if command -v timeout >/dev/null 2>&1; then limit="timeout 60"; fi

# 1. The DOM as Chromium built it.
# shellcheck disable=SC2086
if $limit "$browser" $flags --dump-dom "$url" >"$OUT/dom.html" 2>"$OUT/chromium-dom.log"; then
    if python3 - "$OUT/dom.html" "$OUT/report.json" <<'PY'
import json, sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bars, self.scripts, self.rects = [], 0, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g" and "bar" in (a.get("class") or "").split():
            self.bars.append(a.get("data-speaker"))
        if tag == "rect" and (a.get("class") or "") in ("threatening", "conciliatory", "neutral"):
            self.rects += 1
        if tag == "script":
            self.scripts += 1
    handle_startendtag = handle_starttag

dom = Dom()
dom.feed(open(sys.argv[1], encoding="utf-8").read())
report = json.load(open(sys.argv[2], encoding="utf-8"))
want = [s["speaker"] if s["speaker"] is not None else "(unattributed)" for s in report["speakers"]]
problems = []
if dom.bars != want:
    problems.append("bars %r, speakers %r" % (dom.bars, want))
if dom.scripts:
    problems.append("%d <script> elements" % dom.scripts)
segments = sum(1 for s in report["speakers"] for l in s["labels"].values() if l)
if dom.rects != segments:
    problems.append("%d label segments drawn, %d expected" % (dom.rects, segments))
if problems:
    print("; ".join(problems))
    sys.exit(1)
print("DOM: %d bars, one per speaker, %d label segments, no script" % (len(dom.bars), dom.rects))
PY
    then pass; else fail "DOM check ($OUT/dom.html)"; fi
else
    fail "chromium --dump-dom failed: $(tail -n 3 "$OUT/chromium-dom.log")"
fi

# 2. A screenshot, with the colours of the bars in it.
rm -f "$OUT/report.png"
# shellcheck disable=SC2086
if $limit "$browser" $flags --screenshot="$(pwd)/$OUT/report.png" "$url" >"$OUT/chromium-shot.log" 2>&1 &&
   [ -s "$OUT/report.png" ]; then
    if python3 - "$OUT/report.png" <<'PY'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    print("not a PNG"); sys.exit(1)
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
if (width, height) != (1200, 900) or depth != 8 or colour not in (2, 6) or interlace:
    print("unexpected PNG: %dx%d depth %d colour %d" % (width, height, depth, colour)); sys.exit(1)
bpp = 4 if colour == 6 else 3
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours = {}
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = line
red = colours.get(bytes((0xC6, 0x28, 0x28)), 0)
green = colours.get(bytes((0x2E, 0x7D, 0x32)), 0)
if red < 500 or green < 500:
    print("bars not drawn: %d red and %d green pixels" % (red, green)); sys.exit(1)
print("screenshot: 1200x900, %d threatening-red and %d conciliatory-green pixels, %d colours"
      % (red, green, len(colours)))
PY
    then pass; else fail "screenshot check ($OUT/report.png)"; fi
else
    fail "chromium --screenshot failed: $(tail -n 3 "$OUT/chromium-shot.log")"
fi

echo "report-html: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
