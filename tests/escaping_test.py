#!/usr/bin/env python3
"""Every writer, read back with a real parser (issue 7, "Escaping").

    python3 tests/escaping_test.py --bin build/stance      (part of make test)

Writes inputs full of nasty characters under build/escaping/ - quote marks
of every kind, straight quotes and apostrophes, backslashes (alone, doubled,
before n, t, u and quote marks), TABs inside quotes, commas, U+2028 and
U+2029, emoji with ZWJ sequences and flags, right-to-left text with RLM,
RLO and PDF marks, "</script>", "<!--", "&amp;", C0 control characters
and DEL, and a file name that is not UTF-8 - then runs

    stance quotes   --format jsonl|tsv|csv   (a text article, and JSON Lines
                                              with a nasty id and pass-through key)
    stance classify --format jsonl|tsv|csv   (the same, and a quote table)
    stance report   --format json|csv|html   (records with nasty speakers,
                                              quotes and document names)

and reads each output back with python3's json, csv and html.parser (TSV:
split on TAB, then \\t \\n \\r \\\\ undone), checking that every field comes
back identical to the input text: the quote equals the input bytes between
`start` and `end` (with C0 control characters as the spaces the reader
makes of them) and the expected quote listed below, and the TSV and CSV
rows equal the JSONL records field for field.  The HTML may not hold a
script element or a raw "</script>"; control characters become spaces
there (HTML cannot carry them).  Prints "escaping: N passed, M failed".
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

LABELS = ("threatening", "conciliatory", "neutral")

# The article: one paragraph per line.  The expected quotes are listed
# with the spaces the reader puts in place of C0 control characters.
PARAGRAPHS = [
    'Foreign Minister Ana Ortiz said: “He told us \\"no\\" and C:\\path\\to\\file, then left.” '
    'She added that the plan was “a\ttab-split, comma, \\u2028 idea.”',
    '“We will not accept </script><script>alert(1)</script> or <!-- tricks --> &amp; other things,” '
    'said Defence Minister Karl Weber.',
    'Ortiz said the talks were ‘going well 🙂 👩‍👩‍👧 🇫🇷’ and that «the door is open \u2028 still» for now.',
    'Weber said: „Wir sind bereit“ and added “שלום \u200f עליכם \u202e reversed\u202c text,” before leaving.',
    'Ortiz said there were “control\x01chars\x1b[31m red\x7f here.”',
    "Weber said: “Say 'hello', \"hi\" and \\\\ double backslash and \\t literal.”",
    'Ortiz said: “A paragraph\u2029separator and a line\u2028separator stay inside.”',
]
EXPECTED_QUOTES = [
    'He told us \\"no\\" and C:\\path\\to\\file, then left.',
    'a\ttab-split, comma, \\u2028 idea.',
    'We will not accept </script><script>alert(1)</script> or <!-- tricks --> &amp; other things,',
    'going well 🙂 👩‍👩‍👧 🇫🇷',
    'the door is open \u2028 still',
    'Wir sind bereit',
    'שלום \u200f עליכם \u202e reversed\u202c text,',
    'control chars [31m red\x7f here.',
    "Say 'hello', \"hi\" and \\\\ double backslash and \\t literal.",
    'A paragraph\u2029separator and a line\u2028separator stay inside.',
]
NASTY_ID = 'doc "one",\t\r\n</script> \\ \u2028 🙂 \u202e'
NASTY_EXTRA = {'source': '</script><!-- "x", \\y \u2028 \x01 \u202e 🇫🇷', 'n': [1, "a,b"]}
# Not UTF-8: FF, and E2 80 cut short (each one U+FFFD, as Python's
# "replace" gives).
BAD_NAME = b'name-\xff-\xe2\x80-.txt'

# Records for report: nasty speakers, each with one threatening and one
# conciliatory quote, in documents with nasty names.
SPEAKERS = [
    'Karl "The Hammer" O\'Neil',
    'Zoë <b>Bold</b> & Co, Ltd',
    'محمد الأحمد',
    'Ana \\ Backslash',
    'Jean-\u202eLuc\u202c 🙂',
]
DOCS = ['doc,with "commas".txt', '</script>.txt', 'tab\there\u2028.txt']
REPORT_QUOTES = [
    ('We will strike </script> at dawn, "hard",', 'threatening'),
    ('Let us talk \\ together, «friends» 🙂', 'conciliatory'),
]

failures = []
passes = 0


def check(cond, what):
    global passes
    if cond:
        passes += 1
    else:
        failures.append(what)
        print("FAIL " + what)


def run(binary, args, stdin=None):
    p = subprocess.run([binary] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def decode(data, where):
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        check(False, '%s: not UTF-8: %s' % (where, e))
        return data.decode('utf-8', 'replace')


def read_jsonl(data, where):
    out = []
    text = decode(data, where)
    lines = text.split('\n')  # never splitlines(): it breaks at U+2028
    check(lines[-1] == '', where + ': ends with a newline')
    for line in lines[:-1]:
        out.append(json.loads(line))
    return out


def unescape_tsv(field):
    out = []
    i = 0
    while i < len(field):
        c = field[i]
        if c == '\\' and i + 1 < len(field):
            n = field[i + 1]
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}.get(n, '\\' + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def read_tsv(data, where):
    text = decode(data, where)
    lines = text.split('\n')
    check(lines[-1] == '', where + ': ends with a newline')
    rows = [line.split('\t') for line in lines[:-1]]
    head = rows[0]
    for r in rows[1:]:
        check(len(r) == len(head), where + ': %d fields, header has %d' % (len(r), len(head)))
    return [dict(zip(head, [unescape_tsv(f) for f in r])) for r in rows[1:]]


def read_csv(data, where):
    text = decode(data, where)
    check(text.endswith('\r\n'), where + ': CRLF line ends')
    rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
    head = rows[0]
    for r in rows[1:]:
        check(len(r) == len(head), where + ': %d fields, header has %d' % (len(r), len(head)))
    return [dict(zip(head, r)) for r in rows[1:]]


def as_text(value):
    """A JSONL value as TSV/CSV write it."""
    if value is None:
        return ''
    return str(value)


def compare_rows(records, rows, keys, where):
    check(len(records) == len(rows), '%s: %d rows for %d JSONL records' % (where, len(rows), len(records)))
    for rec, row in zip(records, rows):
        for k in keys:
            if k not in rec and k not in row:
                continue
            got = row.get(k)
            want = as_text(rec.get(k))
            if k.startswith('p_'):
                want = '%.4f' % rec['probabilities'][k[2:]]
            check(got == want, '%s: field %s: %r, JSONL says %r' % (where, k, got, want))


def control_to_space(s):
    return re.sub('[\x00-\x08\x0b-\x1f]', ' ', s)


def check_quotes(records, source, where, doc):
    check([r['quote'] for r in records] == EXPECTED_QUOTES,
          '%s: quotes %r' % (where, [r['quote'] for r in records]))
    for r in records:
        check(r['doc'] == doc, '%s: doc %r, expected %r' % (where, r['doc'], doc))
        if r.get('start') is None:
            continue
        span = control_to_space(source[r['start']:r['end']].decode('utf-8'))
        check(span == r['quote'], '%s: quote %r is not the input between start and end (%r)'
              % (where, r['quote'], span))
        check(r['quote'] in r['sentence'], '%s: quote %r not inside its sentence' % (where, r['quote']))


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.texts.append(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', default='build/stance')
    ap.add_argument('--dir', default='build/escaping')
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    os.environ.pop('STANCE_MODEL', None)

    article = ('\n'.join(PARAGRAPHS) + '\n').encode('utf-8')
    text_path = os.path.join(args.dir, 'nasty.txt')
    with open(text_path, 'wb') as f:
        f.write(article)
    bad_path = os.path.join(args.dir, '').encode() + BAD_NAME
    with open(bad_path, 'wb') as f:
        f.write(article)
    jsonl_path = os.path.join(args.dir, 'nasty.jsonl')
    line = {'id': NASTY_ID, 'text': article.decode('utf-8'), **NASTY_EXTRA}
    with open(jsonl_path, 'w', encoding='utf-8') as f:
        f.write(json.dumps(line, ensure_ascii=False) + '\n')
    tsv_path = os.path.join(args.dir, 'nasty.tsv')
    with open(tsv_path, 'w', encoding='utf-8', newline='') as f:
        f.write('id\tquote\tsentence\tspeaker\n')
        for i, q in enumerate(EXPECTED_QUOTES):
            if '\t' in q:
                continue  # a TSV field cannot hold a TAB
            f.write('%s\t%s\t“%s” %s said.\t%s\n' % (
                'row,"%d" </script>' % i, q, q, SPEAKERS[i % len(SPEAKERS)], SPEAKERS[i % len(SPEAKERS)]))
    tsv_quotes = [q for q in EXPECTED_QUOTES if '\t' not in q]

    quote_keys = ['doc', 'id', 'index', 'speaker', 'mention', 'start', 'end', 'quote', 'sentence']
    label_keys = ['label', 'p_threatening', 'p_conciliatory', 'p_neutral']
    for command in ('quotes', 'classify'):
        keys = quote_keys + (label_keys if command == 'classify' else [])
        for path, doc, kind in ((text_path, text_path, 'text'),
                                (bad_path, bad_path.decode('utf-8', 'replace'), 'bad-name'),
                                (jsonl_path, NASTY_ID, 'jsonl')):
            where = '%s %s' % (command, kind)
            out = {}
            for fmt in ('jsonl', 'tsv', 'csv'):
                rc, data, err = run(args.bin, [command, '--format', fmt, path])
                check(rc == 0, '%s --format %s: exit %d (%s)' % (where, fmt, rc, err.decode('utf-8', 'replace')))
                out[fmt] = data
            try:
                records = read_jsonl(out['jsonl'], where + ' jsonl')
            except (UnicodeDecodeError, ValueError) as e:
                check(False, '%s jsonl: not JSON Lines: %s' % (where, e))
                continue
            check_quotes(records, article, where + ' jsonl', doc)
            if kind == 'jsonl':
                for r in records:
                    for k, v in NASTY_EXTRA.items():
                        check(r.get(k) == v, '%s jsonl: pass-through %s: %r' % (where, k, r.get(k)))
            compare_rows(records, read_tsv(out['tsv'], where + ' tsv'), keys, where + ' tsv')
            compare_rows(records, read_csv(out['csv'], where + ' csv'), keys, where + ' csv')

    # classify on a quote table: the row fields come back as written.
    where = 'classify table'
    out = {}
    for fmt in ('jsonl', 'tsv', 'csv'):
        rc, data, err = run(args.bin, ['classify', '--format', fmt, tsv_path])
        check(rc == 0, '%s --format %s: exit %d (%s)' % (where, fmt, rc, err.decode('utf-8', 'replace')))
        out[fmt] = data
    records = read_jsonl(out['jsonl'], where + ' jsonl')
    check([r['quote'] for r in records] == tsv_quotes, where + ': quotes %r' % [r['quote'] for r in records])
    for r in records:
        check(r['id'].startswith('row,"') and r['id'].endswith('" </script>'), where + ': id %r' % r['id'])
        check(r['speaker'] in SPEAKERS, where + ': speaker %r' % r['speaker'])
    keys = quote_keys + label_keys
    compare_rows(records, read_tsv(out['tsv'], where + ' tsv'), keys, where + ' tsv')
    compare_rows(records, read_csv(out['csv'], where + ' csv'), keys, where + ' csv')

    # report over records with nasty speakers, quotes and documents.
    rec_path = os.path.join(args.dir, 'records.jsonl')
    with open(rec_path, 'w', encoding='utf-8') as f:
        for s, speaker in enumerate(SPEAKERS):
            for i, (quote, label) in enumerate(REPORT_QUOTES):
                probs = {l: (0.9 if l == label else 0.05) for l in LABELS}
                rec = {'doc': DOCS[(s + i) % len(DOCS)], 'index': s * 2 + i, 'quote': quote + ' ' + speaker,
                       'speaker': speaker, 'label': label, 'probabilities': probs}
                f.write(json.dumps(rec, ensure_ascii=(s % 2 == 0)) + '\n')
    expected = {}
    for s, speaker in enumerate(SPEAKERS):
        expected[speaker] = {
            'most_threatening': (REPORT_QUOTES[0][0] + ' ' + speaker, DOCS[s % len(DOCS)]),
            'most_conciliatory': (REPORT_QUOTES[1][0] + ' ' + speaker, DOCS[(s + 1) % len(DOCS)]),
        }
    rc, data, err = run(args.bin, ['report', '--format', 'json', rec_path])
    check(rc == 0, 'report json: exit %d (%s)' % (rc, err.decode('utf-8', 'replace')))
    report = json.loads(data.decode('utf-8'))
    got = {sp['speaker']: sp for sp in report['speakers']}
    check(sorted(got) == sorted(SPEAKERS), 'report json: speakers %r' % sorted(got))
    for speaker, want in expected.items():
        sp = got.get(speaker)
        if not sp:
            continue
        for key, (quote, doc) in want.items():
            check(sp[key]['quote'] == quote, 'report json: %s %s quote %r' % (speaker, key, sp[key]['quote']))
            check(sp[key]['doc'] == doc, 'report json: %s %s doc %r' % (speaker, key, sp[key]['doc']))

    rc, data, err = run(args.bin, ['report', '--format', 'csv', rec_path])
    check(rc == 0, 'report csv: exit %d' % rc)
    rows = read_csv(data, 'report csv')
    check(sorted(r['speaker'] for r in rows) == sorted(SPEAKERS), 'report csv: speakers')
    for r in rows:
        want = expected.get(r['speaker'])
        if not want:
            continue
        for key, (quote, doc) in want.items():
            check(r[key + '_quote'] == quote, 'report csv: %s %s_quote %r' % (r['speaker'], key, r[key + '_quote']))
            check(r[key + '_doc'] == doc, 'report csv: %s %s_doc %r' % (r['speaker'], key, r[key + '_doc']))

    rc, data, err = run(args.bin, ['report', '--format', 'html', rec_path])
    check(rc == 0, 'report html: exit %d' % rc)
    html = data.decode('utf-8')
    check('</script' not in html.lower() and '<!-- tricks' not in html, 'report html: a raw </script> or comment')
    parser = TextCollector()
    parser.feed(html)
    parser.close()
    check('script' not in parser.tags, 'report html: a script element')
    texts = set(t.strip() for t in parser.texts)
    joined = '\x00'.join(parser.texts)
    for speaker, want in expected.items():
        name = control_to_space(speaker)
        check(name in texts or name in joined, 'report html: speaker %r not a text of the page' % name)
        for quote, doc in want.values():
            q = control_to_space(quote)
            check(q in joined, 'report html: quote %r not on the page' % q)

    print('escaping: %d passed, %d failed' % (passes, len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
