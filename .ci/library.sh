#!/usr/bin/env bash
# CI for the library kit (issue 19): the core stays small, builds alone and is
# documented without warnings; the library example validates cleanly; the
# Python package builds as a wheel, installs into a fresh virtual environment,
# passes its pytest suite, and its type stubs match the module (mypy's stubtest).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== core kit: crates in \`cargo tree -e normal --no-default-features\` (unique, feedwright included)"
count=$(cargo tree -e normal --no-default-features --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
echo "core kit: $count crates (limit 60)"
if [ "$count" -gt 60 ]; then
  echo "the core kit pulls in $count crates; put the new dependency behind a feature (site, cli, ...)"
  exit 1
fi
cargo build -q --no-default-features
RUSTDOCFLAGS=-Dwarnings cargo doc -q --no-deps
cargo run -q --example library

echo "== Python package: wheel, fresh venv, pytest"
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/build"
"$work/build/bin/pip" install -q --disable-pip-version-check maturin
# The repository's target folder: the dependencies `cargo test` built are reused.
(cd python && CARGO_TARGET_DIR="$root/target" "$work/build/bin/maturin" build --quiet -o "$work/wheels")
python3 -m venv "$work/test"
"$work/test/bin/pip" install -q --disable-pip-version-check "$work"/wheels/feedwright-*.whl pytest mypy
# Run from outside python/ so `import feedwright` is the installed wheel.
(cd "$work" && "$work/test/bin/python" -m pytest -q "$root/python/tests")
# The type stubs describe what the module really has.
(cd "$work" && "$work/test/bin/python" -m mypy.stubtest feedwright._feedwright \
  --allowlist "$root/python/stubtest-allowlist.txt")
