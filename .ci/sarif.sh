#!/usr/bin/env bash
# `--format sarif` checked by Microsoft's SARIF validator (the npm package of
# its Sarif.Multitool: the SARIF 2.1.0 JSON schema plus the spec's rules) on
# the logs of validate (the W3C cases: many codes, lines and columns; a
# missing file) and of build and check (a rejected post, a bad configuration).
set -euo pipefail
echo "== --format sarif against Microsoft's SARIF validator"
cd "$(dirname "$0")/.."
shared=${1:-../shared}
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

if ! command -v npm >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work/tools" --no-audit --no-fund --silent @microsoft/sarif-multitool-linux@5.7.0
multitool=$work/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
chmod u+x "$multitool"

cargo build --release -q
bin=$PWD/target/release/feedwright
logs=$work/logs
mkdir -p "$logs"

# validate: 200 of the W3C's cases (errors and warnings of every kind) and a missing file.
find "$shared/conformance/feedvalidator/atom" "$shared/conformance/feedvalidator/rss20" -type f -name '*.xml' \
  | sort | awk 'NR <= 200' > "$work/cases"
xargs -a "$work/cases" -d '\n' "$bin" validate --format sarif "$work/missing.xml" > "$logs/validate.sarif" || true

# build and check: a site with a rejected post and a warning; a bad configuration.
site=$work/site
mkdir -p "$site/_posts"
printf 'title: T\nurl: https://e.com\n' > "$site/_config.yml"
printf -- '---\ntitle: Good\nimage: "javascript:x"\n---\nok\n' > "$site/_posts/2024-01-01-good,1.md"
printf -- '---\ntitle: Bad\ntags: [a, b\n---\nx\n' > "$site/_posts/2024-01-02-bad.md"
"$bin" build "$site" --dest "$work/out" --format sarif -q > "$logs/build.sarif" || true
printf -- '---\ntitle: New\n---\nx\n' > "$site/_posts/2024-01-03-new.md"
"$bin" check "$site" --dest "$work/out" --format sarif -q > "$logs/check.sarif" || true
printf 'url: https://e.com\ntimezone: Mars/Olympus\n' > "$site/_config.yml"
"$bin" build "$site" --dest "$work/out" --format sarif -q > "$logs/fatal.sarif" || true

python3 - "$multitool" "$logs" <<'PY'
import json, pathlib, subprocess, sys
multitool, logs = sys.argv[1], pathlib.Path(sys.argv[2])
bad = 0
for log in sorted(logs.glob("*.sarif")):
    results = json.loads(log.read_text())["runs"][0]["results"]
    out = log.with_suffix(".check")
    subprocess.run([multitool, "validate", str(log), "-o", str(out)], check=True, capture_output=True)
    found = json.loads(out.read_text())["runs"][0]["results"]
    errors = [f"{r['ruleId']}: {r['message'].get('text') or r['message'].get('arguments')}" for r in found if r.get("level") == "error"]
    print(f"{log.name}: {len(results)} results; SARIF validator: {len(errors)} errors")
    for e in errors[:10]:
        print("  ", e)
    if errors or not results:
        bad = 1
sys.exit(bad)
PY
echo "every SARIF log: valid"
