#!/usr/bin/env bash
# Styled feeds in a real browser: builds the sample site with
# `feedwright.xsl: true`, serves it on 127.0.0.1 and opens feed.xml, rss.xml
# and sitemap.xml in headless Chromium. With XSLT on, the page must show the
# feed's title and every entry's title (the sitemap: every URL); with XSLT
# off, Chromium must style the raw XML with feedwright.css instead of
# showing its XML tree view. A feed without stylesheets is the control.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DEBIAN_FRONTEND=noninteractive

echo "== installing chromium"
if ! command -v chromium >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
chromium --version

cargo build --release -q
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp -r fixtures/jekyll-site "$work/site"
printf 'feedwright:\n  xsl: true\n' >> "$work/site/_config.yml"
# The fixture's baseurl is /blog: the destination is served there.
target/release/feedwright build "$work/site" --dest "$work/www/blog" --no-cache \
  --url "http://127.0.0.1:$port" --build-date 2026-11-24T00:00:00Z
cp -r fixtures/jekyll-site "$work/plain"
target/release/feedwright build "$work/plain" --dest "$work/www/plain" --no-cache \
  --url "http://127.0.0.1:$port" --build-date 2026-11-24T00:00:00Z -q

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" 2> "$work/server.log" >/dev/null &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/blog/feed.xml')" 2>/dev/null && break
  sleep 0.1
done

render() { # URL [extra chromium flags...] > DOM
  local url=$1; shift
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" "$@" --dump-dom "$url" 2>/dev/null
}

status=0
for doc in feed.xml rss.xml sitemap.xml; do
  url="http://127.0.0.1:$port/blog/$doc"
  render "$url" > "$work/$doc.xslt.html"
  : > "$work/server.log"
  render "$url" --disable-blink-features=XSLT > "$work/$doc.noxslt.html"
  cp "$work/server.log" "$work/$doc.noxslt.log"
  python3 - "$work/www/blog/$doc" "$work/$doc.xslt.html" "$work/$doc.noxslt.html" "$work/$doc.noxslt.log" <<'PY' || status=1
import sys, html.parser, xml.etree.ElementTree as ET
source, with_xslt, without_xslt, log = sys.argv[1:]
name = source.rsplit("/", 1)[1]
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
doc = ET.parse(source).getroot()
if doc.tag == A + "feed":
    title = doc.findtext(A + "title")
    wanted = [e.findtext(A + "title") for e in doc.findall(A + "entry")]
elif doc.tag == "rss":
    title = doc.findtext("channel/title")
    wanted = [i.findtext("title") for i in doc.findall("channel/item")]
else:
    title = "Sitemap"
    wanted = [u.findtext(S + "loc") for u in doc.findall(S + "url")]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.h1, self.items, self.hrefs = [], "", [], []
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
            if "h2" in self.stack or "td" in self.stack:
                self.items.append("")
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, data):
        if "h1" in self.stack:
            self.h1 += data
        if "a" in self.stack and ("h2" in self.stack or "td" in self.stack) and self.items:
            self.items[-1] += data

page = Page()
page.feed(open(with_xslt, encoding="utf-8").read())
problems = []
if page.h1.strip() != title:
    problems.append(f"the page's heading is {page.h1.strip()!r}, not the feed's title {title!r}")
if [i.strip() for i in page.items] != wanted:
    problems.append(f"the page lists {page.items!r}, not the entries {wanted!r}")
if doc.tag == S + "urlset" and [h for h in page.hrefs] != wanted:
    problems.append("the sitemap page does not link every URL")
if not wanted:
    problems.append("the document lists nothing, so the check proves nothing")

raw = open(without_xslt, encoding="utf-8").read()
requests = open(log, encoding="utf-8").read()
if "xml-viewer-style" in raw:
    problems.append("without XSLT Chromium shows its XML tree view, not the CSS-styled feed")
if not raw.lstrip().startswith("<" + ("feed" if doc.tag == A + "feed" else doc.tag.split("}")[-1])):
    problems.append(f"without XSLT the document is not the raw XML: {raw[:120]!r}")
if "GET /blog/feedwright.css" not in requests:
    problems.append("without XSLT Chromium did not load feedwright.css")

for p in problems:
    print(f"{name}: {p}")
if not problems:
    print(f"{name}: with XSLT a page titled {title!r} listing all {len(wanted)} entries; "
          "without XSLT the raw XML styled by feedwright.css")
sys.exit(1 if problems else 0)
PY
done

# The control: the same feed without stylesheets gets Chromium's tree view,
# so the check above can tell the two apart.
render "http://127.0.0.1:$port/plain/feed.xml" --disable-blink-features=XSLT > "$work/plain.html"
if ! grep -q "xml-viewer-style" "$work/plain.html"; then
  echo "control: a feed without stylesheets did not get the XML tree view; the check is blind"
  status=1
else
  echo "control: a feed without stylesheets gets Chromium's XML tree view"
fi
exit $status
