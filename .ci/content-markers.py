#!/usr/bin/env python3
"""Counts, per site of a real-Jekyll corpus, the feed entries whose content still
carries markup Jekyll would have rendered, in feedwright's feed and in Jekyll's,
and fails when one of feedwright's counts is higher than the ratchet allows.

    content-markers.py CORPUS OUT RATCHET [--update]

CORPUS is a folder laid out as ../shared/real-jekyll (expected/<site>/ with
Jekyll's feed, compare.py); OUT holds feedwright's outputs, OUT/<site>/, as
run-all.sh writes them. RATCHET is a TSV of `site<TAB>marker<TAB>most entries
allowed`; --update rewrites it with today's counts. Exit 1 when a count is over
its ratchet (or has none), 0 otherwise. Python 3 standard library only.

The markers (issue 15's "done when" list), each counted once per entry, in the
content as a reader gets it (the HTML's entities decoded):
  raw-liquid          `{%` or `{{`
  unresolved-link     a `{% link … %}` or `{% post_url … %}` tag
  kramdown-ial        `{:` (an attribute list or `{:toc}` kramdown did not apply)
  dollar-math         `$$`
  literal-stars       `**`
  heading-without-id  an <h1>…<h6> start tag with no id attribute
Some are legitimately in both feeds (inside code blocks): Jekyll's count is the
floor to compare with.
"""
import argparse
import html
import os
import re
import sys

MARKERS = [
    ('raw-liquid', lambda text, raw: '{%' in text or '{{' in text),
    ('unresolved-link', lambda text, raw: re.search(r'\{%-?\s*(?:link|post_url)\b', text) is not None),
    ('kramdown-ial', lambda text, raw: '{:' in text),
    ('dollar-math', lambda text, raw: '$$' in text),
    ('literal-stars', lambda text, raw: '**' in text),
    ('heading-without-id', lambda text, raw: any(
        not re.search(r'(?:^|\s)id\s*=', attrs, re.I)
        for attrs in re.findall(r'<h[1-6](\s[^>]*)?>', raw, re.I))),
]


def entry_contents(corpus, feed_path):
    """The HTML content of every entry of an Atom feed, read as compare.py reads it
    (leniently: Jekyll's feeds are not always well-formed)."""
    sys.path.insert(0, corpus)
    import compare  # the corpus's own reader, so both tools see the same entries
    if not os.path.exists(feed_path):
        return None
    entries = compare.atom_entries(compare.lenient_parse(feed_path))
    return [e.get('content') or '' for e in entries]


def count(contents):
    counts = {name: 0 for name, _ in MARKERS}
    for raw in contents:
        text = html.unescape(raw)
        for name, has in MARKERS:
            if has(text, raw):
                counts[name] += 1
    return counts


def feed_name(corpus, site):
    sys.path.insert(0, corpus)
    import compare
    return compare.find_feed(os.path.join(corpus, 'expected', site))


def read_ratchet(path):
    limits = {}
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            if line.strip() and not line.startswith('#'):
                site, marker, n = line.rstrip('\n').split('\t')
                limits[(site, marker)] = int(n)
    return limits


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('corpus')
    ap.add_argument('out')
    ap.add_argument('ratchet')
    ap.add_argument('--update', action='store_true', help='write the counts as the new ratchet')
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    sites = sorted(d for d in os.listdir(os.path.join(corpus, 'expected'))
                   if os.path.isdir(os.path.join(corpus, 'expected', d)))
    limits = read_ratchet(a.ratchet)
    rows, worse, better = [], [], []
    totals = {'entries': [0, 0]}
    print('%-24s %-20s %8s %8s %8s' % ('site', 'marker', 'ours', 'jekyll', 'ratchet'))
    for site in sites:
        name = feed_name(corpus, site)
        jekyll = entry_contents(corpus, os.path.join(corpus, 'expected', site, name))
        ours = entry_contents(corpus, os.path.join(a.out, site, name))
        if ours is None:
            print('%s: feedwright wrote no %s' % (site, name))
            worse.append('%s: no feed' % site)
            continue
        co, cj = count(ours), count(jekyll or [])
        totals['entries'][0] += len(ours)
        totals['entries'][1] += len(jekyll or [])
        print('%-24s %-20s %8d %8d' % (site, 'entries', len(ours), len(jekyll or [])))
        for marker, _ in MARKERS:
            limit = limits.get((site, marker))
            t = totals.setdefault(marker, [0, 0])
            t[0] += co[marker]
            t[1] += cj[marker]
            rows.append((site, marker, co[marker]))
            print('%-24s %-20s %8d %8d %8s' % (site, marker, co[marker], cj[marker],
                                               '-' if limit is None else limit))
            if limit is None:
                worse.append('%s %s: no ratchet yet (write one with --update)' % (site, marker))
            elif co[marker] > limit:
                worse.append('%s %s: %d entries, ratchet %d' % (site, marker, co[marker], limit))
            elif co[marker] < limit:
                better.append('%s %s: %d < %d' % (site, marker, co[marker], limit))
    n_ours, n_jekyll = totals.pop('entries')
    for marker, (o, j) in totals.items():
        print('TOTAL %-20s ours %5d/%d (%.1f%%)   jekyll %5d/%d (%.1f%%)' % (
            marker, o, n_ours, 100.0 * o / max(n_ours, 1), j, n_jekyll, 100.0 * j / max(n_jekyll, 1)))
    if a.update:
        with open(a.ratchet, 'w', encoding='utf-8') as fh:
            fh.write('# site\tmarker\tmost entries allowed (written by .ci/content-markers.py --update)\n')
            for site, marker, n in rows:
                fh.write('%s\t%s\t%d\n' % (site, marker, n))
        print('ratchet written: %s' % a.ratchet)
        return 0
    if better:
        print('better than the ratchet (lower it with --update): ' + '; '.join(better))
    if worse:
        print('WORSE than the ratchet: ' + '; '.join(worse), file=sys.stderr)
        return 1
    print('no count is over its ratchet')
    return 0


if __name__ == '__main__':
    sys.exit(main())
