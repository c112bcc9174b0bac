#!/usr/bin/env bash
# feedwright's build benchmark: the three targets of the scale issue, as ratios
# measured side by side in one run on generated corpora (bench/gen_corpus.py,
# seed 1).
#
#   1. 10,000 posts: Hugo building the same posts into its RSS feed and sitemap
#      vs. a full feedwright build (no cache).                 target: >= 20x
#      Timed back to back, as ../shared/bench/run_peers.sh times the peers,
#      and again with each run after an idle second, as a cron job starts
#      (on the development VM a short run is 20-30% slower after idling).
#   2. 100,000 posts: a full feedwright build vs. reading every post file
#      (find _posts -type f -print0 | xargs -0 cat > /dev/null). target: <= 1.5x
#      and peak memory under 300 MiB.
#   3. 100,000 posts: an unchanged re-run (cache warm) vs. the full build.
#                                                               target: >= 10x
# Then checks the 100,000-post outputs: a valid sitemap index whose parts hold
# every URL.
#
# Usage: bench/compare.sh [RUNS]     (default 5 timed rounds after a warm-up)
# Environment: WORK (default /tmp/feedwright-bench; needs ~1.5 GB), SMALL=10000,
# LARGE=100000. Installs hugo with apt when it is missing. Takes ~12 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${WORK:-/tmp/feedwright-bench}
small=${SMALL:-10000}
large=${LARGE:-100000}
fw="$PWD/target/release/feedwright"

if ! command -v hugo > /dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq hugo > /dev/null
fi
cargo build --release -q
mkdir -p "$work"

corpus() { # N -> $work/N/{jekyll,hugo}, generated once per N
  local n=$1
  if [ ! -f "$work/$n/done" ]; then
    rm -rf "${work:?}/$n"
    python3 bench/gen_corpus.py "$work/$n/jekyll" "$n" --seed 1 --hugo "$work/$n/hugo"
    touch "$work/$n/done"
  fi
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); $(hugo version | awk '{print $1, $2}'); feedwright $("$fw" --version | awk '{print $2}')"

echo "== 1. $small posts: Hugo vs feedwright (full build, no cache), back to back"
corpus "$small"
s="$work/$small"
small_cmds=("hugo=hugo --quiet --source $s/hugo --destination $s/hugo-out"
  "feedwright=$fw build --quiet --no-cache $s/jekyll --dest $s/fw-out")
python3 bench/timing.py --json "$work/small.json" "$runs" "${small_cmds[@]}"
echo "   the same, each run after an idle second (as cron starts it)"
python3 bench/timing.py --json "$work/small-idle.json" --pause 1 "$runs" "${small_cmds[@]}"

echo "== 2, 3. $large posts: reading every file vs full build vs unchanged re-run"
corpus "$large"
l="$work/$large"
du -sh "$l/jekyll/_posts" | awk '{print "   corpus:", $1}'
"$fw" build --quiet "$l/jekyll" --dest "$l/fw-out"   # fills the cache for the re-runs
python3 bench/timing.py --json "$work/large.json" "$runs" \
  "read every post (cat)=cd $l/jekyll && find _posts -type f -print0 | xargs -0 cat > /dev/null" \
  "full build=$fw build --quiet --no-cache $l/jekyll --dest $l/fw-out" \
  "unchanged re-run=$fw build --quiet $l/jekyll --dest $l/fw-out"

echo "== 100,000-post outputs"
"$fw" validate "$l"/fw-out/*.xml
python3 - "$l/fw-out" "$large" <<'PY'
import re, sys, pathlib
out, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
index = (out / "sitemap.xml").read_text()
if "<sitemapindex" in index:
    parts = re.findall(r"<loc>https://example\.com/([^<]+)</loc>", index)
    locs = [l for p in parts for l in re.findall(r"<loc>([^<]+)</loc>", (out / p).read_text())]
    shape = f"an index of {len(parts)} parts"
else:  # LARGE below the protocol's 50,000-URL limit
    locs = re.findall(r"<loc>([^<]+)</loc>", index)
    shape = "one file"
print(f"   sitemap.xml is {shape} holding {len(locs)} URLs "
      f"({len(set(locs))} distinct; {n} posts + the home page)")
assert len(set(locs)) == n + 1 and (n < 50_000 or shape != "one file")
PY

python3 - "$work/small.json" "$work/large.json" "$work/small-idle.json" <<'PY'
import json, sys
s, l, idle = (json.load(open(p)) for p in sys.argv[1:])
r1 = s["hugo"]["wall"] / s["feedwright"]["wall"]
r1_idle = idle["hugo"]["wall"] / idle["feedwright"]["wall"]
r2 = l["full build"]["wall"] / l["read every post (cat)"]["wall"]
r3 = l["full build"]["wall"] / l["unchanged re-run"]["wall"]
peak = l["full build"]["peak_mib"]
print("== ratios (medians)")
print(f"   1. feedwright vs Hugo, 10k posts:          {r1:5.1f}x faster   (target >= 20x; back to back, as run_peers.sh times)")
print(f"      each run after an idle second:          {r1_idle:5.1f}x faster")
print(f"   2. full build vs reading the files, 100k:  {r2:5.2f}x the time (target <= 1.5x), peak {peak:.0f} MiB (target < 300)")
print(f"   3. unchanged re-run vs full build, 100k:   {r3:5.1f}x faster   (target >= 10x)")
PY
