#!/usr/bin/env bash
# feedwright's build benchmark: every target of the scale and incremental
# issues, as ratios measured side by side in one run on generated corpora
# (bench/gen_corpus.py, seed 1). Each row names its exact command below.
#
#   1. 10,000 posts: Hugo building the same posts into its RSS feed and sitemap
#      vs. a full feedwright build (no cache).                 target: >= 20x
#      Timed with the previous output kept, back to back (as
#      ../shared/bench/run_peers.sh times the peers) and each run after an
#      idle second (as a cron job starts); then with every tool building into
#      an empty folder (a fresh CI build, so feedwright's default command with
#      no cache yet; Hugo is slower that way on this disk).
#   2. 100,000 posts, full builds: `--no-cache` vs reading every post file
#      (cat) and vs the front-matter floor (examples/floor.rs: open every post,
#      read its first 2 KiB, on all cores)                     target: <= 3x floor
#      and the default first build (empty destination, no cache, so it writes
#      the cache) vs `--no-cache` into an empty destination.   target: <= 1.15x,
#      peak < 256 MiB
#   3. 100,000 posts, the cron case, each after a cached build (untimed):
#      an unchanged re-run; one post added (a new newest post), one edited (the
#      newest post, a sentence added), one deleted (the oldest post).
#                                   target: each <= 2x the re-run, peak < 64 MiB
#      and `meta`.                                             target: < 0.1 s
# Then checks the 100,000-post outputs: a valid sitemap index whose parts hold
# every URL.
#
# Usage: bench/compare.sh [RUNS]     (default 5 timed rounds after a warm-up)
# Environment: WORK (default /tmp/feedwright-bench; needs ~1.5 GB), SMALL=10000,
# LARGE=100000. Installs hugo with apt when it is missing. Takes ~15 minutes.
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

corpus() { # N [--hugo] -> $work/N/jekyll (and $work/N/hugo), generated once per N
  local n=$1 hugo=()
  [ "${2:-}" = --hugo ] && hugo=(--hugo "$work/$n/hugo")
  if [ ! -f "$work/$n/done" ]; then
    rm -rf "${work:?}/$n"
    python3 bench/gen_corpus.py "$work/$n/jekyll" "$n" --seed 1 "${hugo[@]}"
    touch "$work/$n/done"
  fi
}
cargo build --release -q --example floor
floor="$PWD/target/release/examples/floor"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); $(hugo version | awk '{print $1, $2}'); feedwright $("$fw" --version | awk '{print $2}')"

echo "== 1. $small posts: Hugo vs feedwright (full build, no cache), previous output kept, back to back"
corpus "$small" --hugo
s="$work/$small"
small_cmds=("hugo=hugo --quiet --source $s/hugo --destination $s/hugo-out"
  "feedwright=$fw build --quiet --no-cache $s/jekyll --dest $s/fw-out")
python3 bench/timing.py --json "$work/small.json" "$runs" "${small_cmds[@]}"
echo "   the same, each run after an idle second (as cron starts it)"
python3 bench/timing.py --json "$work/small-idle.json" --pause 1 "$runs" "${small_cmds[@]}"
echo "   every tool building into an empty folder (a fresh CI build: feedwright's default command, no cache yet)"
python3 bench/timing.py --json "$work/small-empty.json" \
  --before "hugo=rm -rf $s/hugo-out" --before "feedwright=rm -rf $s/fw-out $s/jekyll/.feedwright-cache" \
  "$runs" "hugo=hugo --quiet --source $s/hugo --destination $s/hugo-out" \
  "feedwright=$fw build --quiet $s/jekyll --dest $s/fw-out"

echo "== 2, 3. $large posts: full builds, floors, and the cron case"
corpus "$large"
l="$work/$large"
posts="$l/jekyll/_posts"
du -sh "$posts" | awk '{print "   corpus:", $1}'
# The posts the cron rows change, kept aside so each round starts alike.
mapfile -t names < <(ls "$posts" | sort)
newest=${names[-1]} oldest=${names[0]}
aside="$l/aside"
mkdir -p "$aside"
[ -f "$aside/$newest" ] || cp -p "$posts/$newest" "$aside/$newest"
[ -f "$aside/$oldest" ] || cp -p "$posts/$oldest" "$aside/$oldest"
added="$posts/2024-01-01-added-by-the-benchmark.md"
sed 's/^title: .*/title: "Added by the benchmark"/' "$aside/$newest" > "$aside/added.md"
build="$fw build --quiet $l/jekyll --dest $l/fw-out"
# Back to the corpus as generated, built with the cache warm.
restore="rm -f $added && cp -p $aside/$newest $aside/$oldest $posts/ && $build"
"$fw" build --quiet "$l/jekyll" --dest "$l/fw-out"   # fills the cache for the re-runs
python3 bench/timing.py --json "$work/large.json" \
  --before "first build, default=rm -rf $l/jekyll/.feedwright-cache $l/fw-first" \
  --before "first build, --no-cache=rm -rf $l/fw-first" \
  --before "unchanged re-run=$restore" \
  --before "one post added=$restore && cp $aside/added.md $added" \
  --before "one post edited=$restore && echo '<p>One more sentence.</p>' >> $posts/$newest" \
  --before "one post deleted=$restore && rm $posts/$oldest" \
  "$runs" \
  "read every post (cat)=cd $l/jekyll && find _posts -type f -print0 | xargs -0 cat > /dev/null" \
  "floor (2 KiB of each post)=$floor $posts" \
  "full build, --no-cache=$fw build --quiet --no-cache $l/jekyll --dest $l/fw-out" \
  "first build, default=$fw build --quiet $l/jekyll --dest $l/fw-first" \
  "first build, --no-cache=$fw build --quiet --no-cache $l/jekyll --dest $l/fw-first" \
  "unchanged re-run=$build" \
  "one post added=$build" \
  "one post edited=$build" \
  "one post deleted=$build" \
  "meta=$fw meta $l/jekyll"
sh -c "$restore"

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
      f"({len(set(locs))} distinct; {n} posts, and the home page when a post lands there)")
assert len(set(locs)) == len(locs) and len(locs) in (n, n + 1) and (n < 50_000 or shape != "one file")
PY

python3 - "$work/small.json" "$work/small-idle.json" "$work/small-empty.json" "$work/large.json" <<'PY'
import json, sys
s, idle, empty, l = (json.load(open(p)) for p in sys.argv[1:])
def w(d, k): return d[k]["wall"]
def m(d, k): return d[k]["peak_mib"]
rerun = w(l, "unchanged re-run")
print("== ratios (medians; every figure from this run)")
print(f"   1. feedwright vs Hugo, 10k posts, output kept:    {w(s, 'hugo') / w(s, 'feedwright'):5.1f}x faster   (back to back, as run_peers.sh times)")
print(f"      each run after an idle second:                 {w(idle, 'hugo') / w(idle, 'feedwright'):5.1f}x faster")
print(f"      every tool into an empty folder:               {w(empty, 'hugo') / w(empty, 'feedwright'):5.1f}x faster   (target >= 20x; {w(empty, 'hugo'):.3f} s vs {w(empty, 'feedwright'):.3f} s)")
full = w(l, "full build, --no-cache")
print(f"   2. --no-cache full build, 100k:                   {full:6.3f} s, peak {m(l, 'full build, --no-cache'):.0f} MiB")
print(f"      vs reading every file (cat):                   {full / w(l, 'read every post (cat)'):5.2f}x the time")
print(f"      vs the front-matter floor:                     {full / w(l, 'floor (2 KiB of each post)'):5.2f}x the time (target <= 3x)")
first, first_nc = w(l, "first build, default"), w(l, "first build, --no-cache")
print(f"      default first build vs --no-cache, both into an empty folder:"
      f" {first / first_nc:5.2f}x the time (target <= 1.15x), peak {m(l, 'first build, default'):.0f} MiB (target < 256)")
print(f"   3. unchanged re-run, 100k:                        {rerun:6.3f} s, peak {m(l, 'unchanged re-run'):.0f} MiB;"
      f" {full / rerun:5.1f}x faster than the full build")
for k in ("one post added", "one post edited", "one post deleted"):
    print(f"      {k + ':':<45}  {w(l, k) / rerun:5.2f}x the re-run (target <= 2x), {w(l, k):6.3f} s, peak {m(l, k):.0f} MiB (target < 64)")
print(f"      meta:                                          {w(l, 'meta'):6.3f} s (target < 0.1 s), peak {m(l, 'meta'):.0f} MiB")
PY
