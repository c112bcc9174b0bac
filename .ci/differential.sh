#!/usr/bin/env bash
# Cached equals fresh, long: tests/differential.rs drives the release binary
# through random change sequences (add, edit, delete, rename, touch, undated
# posts, configuration and _data/ edits, pages, build dates moving across
# future posts and the news window, kill -9 mid-build) on 400-post sites,
# 60 changes per seed, new seeds until the time budget is spent, comparing
# every output of each cached build with a --no-cache build. A failure prints
# the seed and the step list. Needs nothing beyond cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
echo "== differential: cached vs --no-cache builds, ${DIFF_SECONDS:-240} s of random changes"
FEEDWRIGHT_DIFF_BIN="$PWD/target/release/feedwright" \
FEEDWRIGHT_DIFF_POSTS=400 FEEDWRIGHT_DIFF_STEPS=60 \
FEEDWRIGHT_DIFF_SECONDS="${DIFF_SECONDS:-240}" \
  cargo test -q --test main differential::a_cached_build_equals_a_fresh_one_after_every_random_change -- --nocapture
