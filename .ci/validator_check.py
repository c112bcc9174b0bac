#!/usr/bin/env python3
"""feedwright's validator against the W3C Feed Validation Service's own code on
real published documents (../shared/real-feeds), and its speed.

1. Verdict agreement ("has errors or not") with the W3C verdict recorded for
   every RSS/Atom document (MANIFEST.tsv, reference = w3c): at least 97%.
2. A batch of 200 of those documents, validated by one `feedwright validate`
   and by one `w3c-validate` run: feedwright at least 30x faster. Both are
   timed in this run, as CPU time (user + system) of the process and its
   children, which a busy machine does not inflate; wall time is printed too.
3. Differential: each of those documents changed in one of a few ways a
   publisher breaks feeds (a blank line before the XML declaration, an
   Apple-era `itunes:explicit`, an unparseable date, a `tag:` permalink, a
   relative link, an undefined entity), then judged by both validators in
   this run: their verdicts agree on at least 95% of the changed documents.
4. A 50,000-item JSON Feed validates in under a second (CPU), and costs at
   most twice an RSS feed with the same items (a quadratic locator would
   cost a hundred times more).

Usage: validator_check.py --fw target/release/feedwright --shared ../shared
"""
import argparse, csv, json, os, re, resource, subprocess, sys, tempfile, time


def timed(cmd, **kw):
    """(CPU seconds of the child, wall seconds, completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done


def agreement(fw, corpus):
    rows = list(csv.DictReader(open(os.path.join(corpus, 'MANIFEST.tsv')), delimiter='\t'))
    rows = [r for r in rows if r['reference'] == 'w3c' and r['reference_verdict'] in ('ok', 'error')]
    agree, disagree = 0, []
    for r in rows:
        rc = subprocess.run([fw, 'validate', os.path.join(corpus, r['file'])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        ours = {0: 'ok', 1: 'error'}.get(rc, 'unreadable')
        if ours == r['reference_verdict']:
            agree += 1
        else:
            disagree.append((r['file'], ours, r['reference_verdict'], r['w3c_message_codes']))
    pct = 100.0 * agree / len(rows)
    print(f'RSS/Atom verdict agreement with the W3C: {agree}/{len(rows)} = {pct:.1f}% (floor 97%)')
    for f, ours, theirs, codes in disagree:
        print(f'  disagree: {f}: feedwright {ours}, W3C {theirs} ({codes})')
    return [os.path.join(corpus, r['file']) for r in rows], pct >= 97.0


def speed(fw, w3c, docs):
    batch = [docs[i % len(docs)] for i in range(200)]
    fw_cpu, fw_wall, _ = timed([fw, 'validate', '--format', 'json'] + batch)
    w3c_cpu, w3c_wall, done = timed([sys.executable, w3c, '--timeout', '120'] + batch)
    if done.returncode not in (0, 1):
        print('w3c-validate failed:', done.stderr.decode()[-2000:])
        return False
    ratio = w3c_cpu / max(fw_cpu, 1e-3)
    print(f'200-document batch: feedwright {fw_cpu:.3f} s CPU ({fw_wall:.2f} s wall), '
          f'W3C code {w3c_cpu:.2f} s CPU ({w3c_wall:.2f} s wall): {ratio:.0f}x faster (floor 30x; '
          f'wall {w3c_wall / max(fw_wall, 1e-3):.0f}x)')
    return ratio >= 30


MUTATIONS = [
    ('blank line before the declaration', lambda t: '\n' + t if t.startswith('<?xml') else None),
    ('itunes:explicit yes', lambda t: re.sub(r'<itunes:explicit>[^<]*</itunes:explicit>', '<itunes:explicit>yes</itunes:explicit>', t, count=1) if '<itunes:explicit>' in t else None),
    ('unparseable pubDate', lambda t: re.sub(r'<pubDate>[^<]*</pubDate>', '<pubDate>yesterday at noon</pubDate>', t, count=1) if '<pubDate>' in t else None),
    ('tag: permalink guid', lambda t: re.sub(r'<guid>[^<]*</guid>', '<guid>tag:example.com,2024:1</guid>', t, count=1) if '<guid>' in t else None),
    ('relative item link', lambda t: re.sub(r'(<item[^>]*>(?:(?!</item>).)*?<link>)[^<]*(</link>)', r'\1not a url\2', t, count=1, flags=re.S) if '<item' in t else None),
    ('undefined entity', lambda t: re.sub(r'(<title[^>]*>)', r'\1&nbsp;', t, count=1) if '<title' in t else None),
    ('atom:updated not a date', lambda t: re.sub(r'<updated>[^<]*</updated>', '<updated>2024-13-45</updated>', t, count=1) if '<updated>' in t else None),
]


def differential(fw, w3c, docs):
    with tempfile.TemporaryDirectory() as tmp:
        made = []
        for i, doc in enumerate(docs):
            raw = open(doc, 'rb').read()
            try:
                text = raw.decode('utf-8')
            except UnicodeDecodeError:
                continue
            for j, (label, change) in enumerate(MUTATIONS):
                changed = change(text)
                if changed is None or changed == text:
                    continue
                path = os.path.join(tmp, f'{i:03}-{j}.xml')
                open(path, 'w', encoding='utf-8').write(changed)
                made.append((path, doc, label))
        done = subprocess.run([sys.executable, w3c, '--timeout', '120'] + [m[0] for m in made],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        theirs = {}
        for line in done.stdout.decode().splitlines():
            rec = json.loads(line)
            theirs[rec['file']] = rec['verdict']
        agree, total, disagree = 0, 0, []
        for path, doc, label in made:
            verdict = theirs.get(path)
            if verdict not in ('ok', 'error'):
                continue
            rc = subprocess.run([fw, 'validate', path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            ours = {0: 'ok', 1: 'error'}.get(rc, 'unreadable')
            total += 1
            if ours == verdict:
                agree += 1
            else:
                disagree.append((os.path.relpath(doc), label, ours, verdict))
    pct = 100.0 * agree / max(total, 1)
    print(f'differential on {total} changed documents: verdicts agree on {agree} = {pct:.1f}% (floor 95%)')
    for doc, label, ours, verdict in disagree:
        print(f'  disagree: {doc} + {label}: feedwright {ours}, W3C {verdict}')
    return pct >= 95.0


def json_feed(fw):
    n = 50_000
    with tempfile.TemporaryDirectory() as tmp:
        feed = os.path.join(tmp, 'feed.json')
        rss = os.path.join(tmp, 'rss.xml')
        items = [{'id': f'https://e.com/{i}', 'url': f'https://e.com/{i}', 'title': f'Post {i}',
                  'content_html': f'<p>Body {i}</p>', 'date_published': '2024-03-16T10:00:00+09:00',
                  'tags': ['a', 'b']} for i in range(n)]
        json.dump({'version': 'https://jsonfeed.org/version/1.1', 'title': 'T',
                   'feed_url': 'https://e.com/feed.json', 'items': items}, open(feed, 'w'), indent=1)
        with open(rss, 'w') as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
                    '<channel><title>T</title><link>https://e.com/</link><description>d</description>'
                    '<atom:link rel="self" href="https://e.com/rss.xml"/>\n')
            for i in range(n):
                f.write(f'<item><title>Post {i}</title><link>https://e.com/{i}</link><guid>https://e.com/{i}</guid>'
                        f'<description>&lt;p&gt;Body {i}&lt;/p&gt;</description>'
                        '<pubDate>Sat, 16 Mar 2024 10:00:00 +0900</pubDate><category>a</category><category>b</category></item>\n')
            f.write('</channel></rss>\n')
        best = {}
        for name, path in (('json', feed), ('rss', rss)):
            runs = []
            for _ in range(3):
                cpu, wall, done = timed([fw, 'validate', path])
                if done.returncode != 0:
                    print(f'{name}: feedwright found errors in the generated feed:', done.stdout.decode()[:2000])
                    return False
                runs.append((cpu, wall))
            best[name] = min(runs)
    ratio = best['json'][0] / max(best['rss'][0], 1e-3)
    print(f'50,000-item JSON Feed: {best["json"][0]:.3f} s CPU ({best["json"][1]:.2f} s wall); '
          f'RSS feed of the same items: {best["rss"][0]:.3f} s CPU: ratio {ratio:.2f} (limits: < 1 s, <= 2x)')
    return best['json'][0] < 1.0 and ratio <= 2.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--fw', required=True)
    ap.add_argument('--shared', required=True)
    a = ap.parse_args()
    fw = os.path.abspath(a.fw)
    corpus = os.path.join(a.shared, 'real-feeds')
    w3c = os.path.join(a.shared, 'w3c-feedvalidator', 'w3c-validate')
    docs, ok_agree = agreement(fw, corpus)
    ok_speed = speed(fw, w3c, docs)
    ok_diff = differential(fw, w3c, docs)
    ok_json = json_feed(fw)
    if not (ok_agree and ok_speed and ok_diff and ok_json):
        print('validator check FAILED')
        sys.exit(1)
    print('validator check passed')


if __name__ == '__main__':
    main()
