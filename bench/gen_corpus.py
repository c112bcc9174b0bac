#!/usr/bin/env python3
"""Deterministic Jekyll-style news-blog corpus for feedwright's benchmarks.

Usage: python3 bench/gen_corpus.py OUTDIR N [--seed S] [--hugo HUGODIR]

Writes OUTDIR/_config.yml and N posts OUTDIR/_posts/YYYY-MM-DD-slug.md shaped
like the first user's Korean news blog: front matter with a quoted title,
categories, sometimes tags / an author / a dated time / last_modified_at,
folded `excerpt` and `feature_text`, usually an `image`; then 2-6 KB of mostly
Korean HTML (Tistory-style `<p data-ke-size>` paragraphs, headings, figures),
one post in ten in Markdown. Output depends only on (N, seed).

With --hugo, also writes the same posts as a minimal Hugo site (RSS + sitemap,
same URLs /:year/:month/:day/:slug/, `summary` from `excerpt`, `lastmod` from
`last_modified_at`), so both tools build the same posts side by side.
Standard library only.
"""
import argparse
import datetime as dt
import os
import random

CATEGORIES = ["경제", "정치", "사회", "국제", "IT/과학", "문화", "스포츠", "부동산", "증권",
              "반도체", "자동차", "건강", "오피니언", "tech", "startup", "AI", "data & analysis"]
TAGS = ["삼성전자", "반도체", "금리", "환율", "코스피", "한국은행", "부동산", "AI", "GPU", "엔비디아",
        "전기차", "배터리", "수출", "물가", "연준", "R&D", "스타트업", "IPO", "ESG", "기후", "K-POP",
        "OTT", "Rust", "클라우드"]
SUBJECTS = ["삼성전자", "SK하이닉스", "현대차", "네이버", "카카오", "한국은행", "정부", "서울시",
            "엔비디아", "애플", "테슬라", "미 연준", "코스피", "원·달러 환율", "소비자물가"]
EVENTS = ["3분기 영업이익 시장 예상 상회", "신제품 공개", "역대 최대 실적 기록", "기준금리 동결",
          "대규모 투자 발표", "하락세 전환", "사상 최고치 경신", "규제 완화 추진", "수출 회복 신호"]
QUOTES = ["반도체 회복", "바닥 찍었다", "시장 과열", "게임 체인저", "골든타임", "연착륙 가능"]
NOUNS = ["정부", "기업", "시장", "투자자", "소비자", "전문가", "업계", "반도체", "수출", "금리",
         "물가", "환율", "주가", "실적", "매출", "경기", "정책", "규제", "국회", "교육", "청년",
         "일자리", "성장률", "전망", "보고서", "데이터", "기술", "인공지능", "플랫폼", "공급망"]
ENDINGS = ["밝혔다", "전했다", "설명했다", "강조했다", "분석했다", "전망했다", "발표했다",
           "증가한 것으로 나타났다", "확대할 계획이다", "검토하기로 했다", "집계됐다"]
ENGLISH = ["market", "growth", "demand", "supply", "chip", "cloud", "model", "policy", "data"]
AUTHORS = ["김민수 기자", "이서연 기자", "박지훈 기자", "'Jane Doe'", "\"Sam O'Neil\""]
PARTICLES = ["은", "는", "이", "가", "을", "를", "의", "에", "에서", "도", "보다", "와", "과"]

CONFIG = """\
title: "Example 뉴스 & 테크 블로그"
url: https://example.com
baseurl: ""
description: >
  한국 경제·IT 뉴스와 분석을 전하는 예제 블로그입니다.
  Feed & sitemap benchmark corpus.
author: 홍길동
timezone: Asia/Seoul
permalink: /:year/:month/:day/:title/
"""

HUGO_CONFIG = """\
baseURL = "https://example.com/"
title = "Example 뉴스 & 테크 블로그"
languageCode = "ko"
timeZone = "Asia/Seoul"
disableKinds = ["taxonomy", "term"]
rssLimit = 10
disablePathToLower = true
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  page = ["HTML"]
[permalinks]
  posts = "/:year/:month/:day/:slug/"
[markup.goldmark.renderer]
  unsafe = true
[params]
  description = "한국 경제·IT 뉴스와 분석을 전하는 예제 블로그입니다."
  author = "홍길동"
"""


def sentence(rng):
    words = [rng.choice(NOUNS + ENGLISH) + rng.choice(PARTICLES) for _ in range(rng.randint(3, 8))]
    s = " ".join(words) + " " + rng.choice(ENDINGS) + "."
    return ("\u201c%s\u201d " % rng.choice(QUOTES) + s) if rng.random() < 0.08 else s


def paragraph(rng, lo=2, hi=5):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def folded(key, text, width=60):
    lines, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    return key + ": >\n" + "".join("  %s\n" % l for l in lines + ([cur] if cur else []))


def image(rng, day):
    url = "https://cdn.example.com/images/%04d/%02d/%016x.%s" % (
        day.year, day.month, rng.getrandbits(64), rng.choice(["jpg", "png", "webp"]))
    return url + ("?w=800&h=450" if rng.random() < 0.25 else "")


def html_body(rng, target, day):
    parts, size = [], 0
    while size < target:
        r = rng.random()
        if r < 0.18:
            piece = '<h2 data-ke-size="size26">%s</h2>' % esc(sentence(rng).rstrip("."))
        elif r < 0.24:
            piece = ('<figure class="imageblock alignCenter"><img src="%s" alt="%s" /><figcaption>%s'
                     '</figcaption></figure>') % (esc(image(rng, day)), esc(rng.choice(NOUNS)), esc(sentence(rng)))
        else:
            piece = '<p data-ke-size="size16">%s</p>' % esc(paragraph(rng))
        parts.append(piece)
        size += len(piece.encode()) + 1
    return "\n".join(parts) + "\n"


def markdown_body(rng, target, day):
    parts, size = [], 0
    while size < target:
        r = rng.random()
        if r < 0.18:
            piece = "## " + sentence(rng).rstrip(".")
        elif r < 0.26:
            piece = "\n".join("- " + sentence(rng) for _ in range(rng.randint(2, 4)))
        elif r < 0.30:
            piece = "![%s](%s)" % (rng.choice(NOUNS), image(rng, day))
        else:
            piece = paragraph(rng)
        parts.append(piece)
        size += len(piece.encode()) + 2
    return "\n\n".join(parts) + "\n"


def stamp(rng, day):
    return "%sT%02d:%02d:%02d+09:00" % (day.isoformat(), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hugo")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.outdir, "_posts"), exist_ok=True)
    with open(os.path.join(args.outdir, "_config.yml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    if args.hugo:
        os.makedirs(os.path.join(args.hugo, "content", "posts"), exist_ok=True)
        os.makedirs(os.path.join(args.hugo, "layouts", "_default"), exist_ok=True)
        for name, text in [("hugo.toml", HUGO_CONFIG), ("layouts/_default/single.html", "{{ .Content }}\n"),
                           ("layouts/_default/list.html", "<!doctype html><title>{{ .Title }}</title>\n")]:
            with open(os.path.join(args.hugo, name), "w", encoding="utf-8") as f:
                f.write(text)
    start, span = dt.date(2012, 1, 1), 12 * 365
    total = 0
    for i in range(args.n):
        day = start + dt.timedelta(days=(i * span) // max(args.n, 1))
        if rng.random() < 0.2:
            slug = "%s-%s-%d" % (rng.choice(SUBJECTS).replace(" ", "-").replace("·", ""), rng.choice(NOUNS), i)
        else:
            slug = "-".join(rng.sample(ENGLISH, rng.randint(2, 4))) + "-%d" % i
        title = "%s, %s" % (rng.choice(SUBJECTS), rng.choice(EVENTS))
        if rng.random() < 0.3:
            title = "[단독] %s \"%s\" & %s" % (title, rng.choice(QUOTES), rng.choice(ENGLISH))
        when = stamp(rng, day) if rng.random() < 0.4 else None
        cats = rng.sample(CATEGORIES, rng.randint(1, 3))
        tags = rng.sample(TAGS, rng.randint(1, 5)) if rng.random() < 0.5 else []
        author = rng.choice(AUTHORS) if rng.random() < 0.3 else None
        excerpt, feature = paragraph(rng, 1, 2), paragraph(rng, 1, 3)
        img = image(rng, day) if rng.random() < 0.8 else None
        modified = stamp(rng, day + dt.timedelta(days=rng.randint(1, 30))) if rng.random() < 0.2 else None
        target = rng.randint(2048, 6144)
        body = markdown_body(rng, target, day) if rng.random() < 0.1 else html_body(rng, target, day)

        def front(hugo):
            fm = ["---"]
            if hugo:
                fm += ["slug: " + quote(slug), "date: " + (when or day.isoformat())]
            fm.append("title: " + quote(title))
            if when and not hugo:
                fm.append("date: " + when)
            fm += ["categories:"] + ["  - " + quote(c) for c in cats]
            if tags:
                fm.append("tags: [" + ", ".join(quote(t) for t in tags) + "]")
            if author:
                fm.append("author: " + author)
            fm.append(folded("summary" if hugo else "excerpt", excerpt).rstrip("\n"))
            fm.append(folded("feature_text", feature).rstrip("\n"))
            if img:
                fm.append("image: " + img)
            if modified:
                fm.append(("lastmod: " if hugo else "last_modified_at: ") + modified)
            return "\n".join(fm + ["---"]) + "\n" + body

        name = "%s-%s.md" % (day.isoformat(), slug)
        text = front(False)
        with open(os.path.join(args.outdir, "_posts", name), "w", encoding="utf-8") as f:
            f.write(text)
        if args.hugo:
            with open(os.path.join(args.hugo, "content", "posts", name), "w", encoding="utf-8") as f:
                f.write(front(True))
        total += len(text.encode())
    print("wrote %d posts (%.1f MB) to %s" % (args.n, total / 1e6, args.outdir))


if __name__ == "__main__":
    main()
