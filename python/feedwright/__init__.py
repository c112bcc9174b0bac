"""Atom, RSS, JSON Feed and sitemap.xml for static sites, validated.

    import feedwright
    feed = feedwright.Feed(title="My blog", home_url="https://example.com/",
                           feed_url="https://example.com/feed.xml", entries=[...])
    feed.atom(); feed.rss(); feed.json()
    feedwright.sitemap([("https://example.com/", None)])
    feedwright.validate(feed.atom())   # [] when the document is clean

See the type stubs (``_feedwright.pyi``) for every argument.
"""

from ._feedwright import (
    BuildError,
    BuildReport,
    Entry,
    Feed,
    FeedError,
    build_site,
    sitemap,
    validate,
)

__all__ = [
    "BuildError",
    "BuildReport",
    "Entry",
    "Feed",
    "FeedError",
    "build_site",
    "sitemap",
    "validate",
]
