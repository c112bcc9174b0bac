#!/usr/bin/env bash
# Times `feedwright validate` against `xmllint --noout --schema sitemap.xsd` on
# the same 50,000-URL sitemap, alternating runs, and prints medians and the ratio.
# Needs: a release build (cargo build --release), xmllint (libxml2-utils), python3,
# and the sitemaps.org XSD (default: ../shared/conformance/schemas/sitemap.xsd).
set -euo pipefail
cd "$(dirname "$0")/.."
xsd=${XSD:-../shared/conformance/schemas/sitemap.xsd}
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/sitemap.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    for i in range(50000):
        f.write(f"<url><loc>https://example.com/{2012 + i % 12}/{i % 12 + 1:02d}/{i % 28 + 1:02d}/post-{i}/</loc>"
                f"<lastmod>{2012 + i % 12}-{i % 12 + 1:02d}-{i % 28 + 1:02d}T10:00:00+09:00</lastmod>"
                f"<changefreq>weekly</changefreq><priority>0.5</priority></url>\n")
    f.write("</urlset>\n")
PY
ls -l "$work/sitemap.xml" | awk '{print "sitemap:", $5, "bytes, 50000 URLs"}'
target/release/feedwright validate "$work/sitemap.xml"
xmllint --noout --schema "$xsd" "$work/sitemap.xml" 2>/dev/null
python3 - "$runs" "$work/sitemap.xml" "$xsd" <<'PY'
import subprocess, sys, time, statistics
runs, path, xsd = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = {"feedwright validate": ["target/release/feedwright", "validate", path],
        "xmllint --schema": ["xmllint", "--noout", "--schema", xsd, path]}
times = {k: [] for k in cmds}
for _ in range(runs + 1):  # the first round warms the caches and is dropped
    for k, c in cmds.items():
        t = time.perf_counter(); subprocess.run(c, check=True, capture_output=True); times[k].append(time.perf_counter() - t)
for k in times:
    times[k] = times[k][1:]
    print(f"{k:22} median {statistics.median(times[k]):.3f}s  (min {min(times[k]):.3f}, max {max(times[k]):.3f})")
r = statistics.median(times["xmllint --schema"]) / statistics.median(times["feedwright validate"])
print(f"feedwright is {r:.1f}x faster than xmllint --schema")
PY
# Memory: a 47 MB sitemap (50,000 long URLs with three images each). Peak memory
# should stay near the file's own size, because the sitemap's tree is not held.
python3 - "$work/big.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n')
    for i in range(50000):
        f.write(f"<url><loc>https://example.com/posts/{i}/{'a' * 600}</loc><lastmod>2024-01-01</lastmod>")
        for j in range(3):
            f.write(f"<image:image><image:loc>https://example.com/img/{i}-{j}.jpg</image:loc></image:image>")
        f.write("</url>\n")
    f.write("</urlset>\n")
PY
python3 - "$work/big.xml" <<'PY'
import os, resource, subprocess, sys
subprocess.run(["target/release/feedwright", "validate", sys.argv[1]], check=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
size = os.path.getsize(sys.argv[1]) / 2**20
print(f"validating a {size:.1f} MiB sitemap: peak memory {peak:.1f} MiB ({peak / size:.2f}x the file)")
PY
