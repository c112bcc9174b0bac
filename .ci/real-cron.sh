#!/bin/bash
# Cached equals fresh on real sites (../shared/real-jekyll): each site is built
# with the cache, then its newest post edited, a post added, its oldest post
# deleted and one touched; after each change the cached build is compared with
# a fresh --no-cache build (every output and every message). Usage:
#   .ci/real-cron.sh SHARED   (builds the release binary first)
set -uo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
cargo build --release -q
FW=$PWD/target/release/feedwright
BD=2026-11-30T00:00:00Z
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== cached vs fresh builds on the real Jekyll sites, after an edit, an addition, a deletion and a touch"
bad=0
checked=0
for s in "$shared"/real-jekyll/sites/*/; do
  s=${s%/}
  name=$(basename $s); w=$tmp/$name; rm -rf $w; mkdir -p $w; cp -r $s $w/src
  posts=$(find $w/src/_posts -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.html' \) | sort)
  [ -z "$posts" ] && continue
  checked=$((checked + 1))
  newest=$(echo "$posts" | tail -1); oldest=$(echo "$posts" | head -1)
  $FW build $w/src --dest $w/out --build-date $BD --quiet >/dev/null 2>&1
  step() { # label
    $FW build $w/src --dest $w/out --build-date $BD --quiet --format json > $w/c.json 2>/dev/null
    rm -rf $w/fresh; $FW build $w/src --dest $w/fresh --build-date $BD --quiet --no-cache --format json > $w/f.json 2>/dev/null
    if diff -r -x .feedwright-cache $w/out $w/fresh >/dev/null && diff $w/c.json $w/f.json >/dev/null; then echo "$name $1: equal"; else echo "$name $1: DIFFERENT"; bad=1; fi
  }
  echo "" >> $newest; echo "One more paragraph added by the test." >> $newest; step "edit newest"
  d=$(dirname $newest); b=$(basename $newest); cp $newest "$d/2026-11-29-added-by-test.${b##*.}"; step "add"
  rm $oldest; step "delete oldest"
  touch $(echo "$posts" | sed -n 3p); step "touch"
done
[ "$checked" -gt 0 ] || { echo "no site found under $shared/real-jekyll/sites"; exit 1; }
exit $bad
