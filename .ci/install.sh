#!/usr/bin/env bash
# The install path, as a new user meets it: `cargo package` and what the
# package holds, the README's `cargo install` line run in the unpacked
# package, the man pages through `man`, and the pre-commit hook through
# `pre-commit try-repo` on a valid and a broken feed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DEBIAN_FRONTEND=noninteractive
# Builds below reuse this repository's compiled dependencies.
export CARGO_TARGET_DIR=$root/target

echo "== installing man, git, pre-commit"
if ! command -v man >/dev/null || ! command -v git >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends man-db groff-base git >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check pre-commit

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== cargo package"
cargo package --locked --allow-dirty 2>&1 | grep -v '^warning: ignoring \(example\|test\)' || true
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
crate=target/package/feedwright-$version.crate
test -f "$crate"
# Only what builds and documents the crate: no fixtures, tests, benchmarks,
# fuzz targets or CI scripts.
tar tzf "$crate" | sed "s|^feedwright-$version/||" | sort > "$work/files"
if grep -vE '^(src/.*\.(rs|xsl|css)|Cargo\.toml(\.orig)?|Cargo\.lock|README\.md|ARCHITECTURE\.md|examples/ci/.*\.yml|examples/library\.rs|\.cargo_vcs_info\.json)$' "$work/files"; then
  echo "the package holds files it does not need (above)"; exit 1
fi
echo "the package holds $(wc -l < "$work/files") files, $(du -k "$crate" | cut -f1) KiB compressed"

echo "== the README's install line, in the unpacked package"
line=$(grep -m1 '^cargo install --locked --path \.' README.md | sed 's/ *#.*//')
echo "\$ $line"
tar xzf "$crate" -C "$work"
(cd "$work/feedwright-$version" && CARGO_INSTALL_ROOT="$work/installed" eval "$line")
installed=$work/installed/bin/feedwright
"$installed" --version
"$installed" build fixtures/jekyll-site --dest "$work/site" --build-date 2026-11-24T00:00:00Z --no-cache -q
"$installed" validate "$work/site/feed.xml" "$work/site/rss.xml" "$work/site/sitemap.xml"

echo "== man pages"
mkdir -p "$work/man/man1"
"$installed" man > "$work/man/man1/feedwright.1"
for c in build check validate ping meta; do "$installed" man $c > "$work/man/man1/feedwright-$c.1"; done
MANPATH=$work/man MANWIDTH=100 man feedwright-validate 2> "$work/man.err" | col -b > "$work/man.txt"
if [ -s "$work/man.err" ]; then cat "$work/man.err"; echo "man complained"; exit 1; fi
grep -q -- "--deny-warnings" "$work/man.txt"
grep -qE "feedwright +validate" "$work/man.txt"
MANPATH=$work/man man -w feedwright >/dev/null
echo "man feedwright and man feedwright-validate render"

echo "== pre-commit try-repo"
export PRE_COMMIT_HOME=$work/pre-commit-home
mkdir -p "$work/user"
cd "$work/user"
git init -q .
git config user.email ci@example.com
git config user.name ci
mkdir docs
cp "$work/site/feed.xml" "$work/site/sitemap.xml" docs/
printf '# notes\n' > README.md
git add -A
git commit -qm "a site that commits its feeds"
pre-commit try-repo "$root" feedwright-validate --all-files > "$work/ok.log" 2>&1 || { cat "$work/ok.log"; exit 1; }
grep -E "feedwright validate\.+Passed" "$work/ok.log"
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>\n' > docs/rss.xml
git add docs/rss.xml
if pre-commit try-repo "$root" feedwright-validate --files docs/rss.xml > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "the hook passed a broken feed"; exit 1
fi
grep -E "feedwright validate\.+Failed" "$work/bad.log"
grep -q "docs/rss.xml:1:" "$work/bad.log" || { cat "$work/bad.log"; exit 1; }
echo "the hook passes valid feeds and fails a broken one, naming it"
