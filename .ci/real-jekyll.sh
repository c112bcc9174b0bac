#!/usr/bin/env bash
# Builds every real Jekyll site of ../shared/real-jekyll with the release
# binary and compares with Jekyll's own outputs (run-all.sh prints the
# per-site property table). Fails when a site does not build (exit > 1):
# one bad value must cost that value or that post, never the site; and
# when a count of raw Liquid, kramdown markers, `$$`, `**` or headings
# without an id in feedwright's content rises above its ratchet.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-$PWD/../shared}
corpus=$shared/real-jekyll
if [ ! -x "$corpus/run-all.sh" ]; then
  echo "no $corpus/run-all.sh: the real-Jekyll corpus is missing" >&2
  exit 1
fi
cargo build --release -q
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$corpus/run-all.sh" target/release/feedwright "$out" | tee "$out/table.txt" | grep -E '^(feedwright build|TOTAL)'
failed=$(grep -E '^feedwright build .*: exit ([2-9]|[1-9][0-9]+) ' "$out/table.txt" || true)
if [ -n "$failed" ]; then
  echo "sites that did not build:" >&2
  echo "$failed" >&2
  exit 1
fi
echo "every real Jekyll site built"
echo "== markup Jekyll renders, left in feedwright's content (ratchet: .ci/content-markers-ratchet.tsv)"
python3 .ci/content-markers.py "$corpus" "$out" .ci/content-markers-ratchet.tsv
