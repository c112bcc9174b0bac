"""Type stubs for feedwright's native module (re-exported by ``feedwright``)."""

import datetime
import os
from typing import Iterable, List, Optional, Tuple, TypedDict, Union, final

_Date = Union[datetime.datetime, datetime.date, str]

class FeedError(ValueError):
    """A feed could not be written: it would be invalid (an empty title, an id
    that is not a URI, two entries with one id, a language that is not a tag)."""

class BuildError(RuntimeError):
    """A site build stopped before writing anything (no site URL, a bad
    configuration value, an unwritable destination)."""

# Typing only (not present at runtime): the dicts `validate` and `build_site` return.
class Diagnostic(TypedDict):
    line: int
    column: int
    severity: str  # "error", "warning" or "info"
    code: str
    message: str
    spec: str

class Notice(TypedDict):
    path: str
    line: Optional[int]
    severity: str  # "error" or "warning"
    message: str

@final
class Entry:
    """One post. ``published`` and ``updated`` are datetimes (naive ones are
    read as UTC), dates or ISO 8601 text. ``id`` defaults to ``url``."""

    def __new__(
        cls,
        *,
        url: str,
        title: str,
        published: _Date,
        id: Optional[str] = None,
        updated: Optional[_Date] = None,
        summary: Optional[str] = None,
        content_html: Optional[str] = None,
        tags: List[str] = ...,
        categories: List[str] = ...,
        image: Optional[str] = None,
        author: Optional[str] = None,
        language: Optional[str] = None,
    ) -> "Entry": ...
    @property
    def id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...

@final
class Feed:
    """A feed, written in every format. ``feed_url`` is where the Atom feed is
    published (and its id unless ``id`` is given); ``rss_url`` and ``json_url``
    the other formats' addresses. ``updated`` dates a feed without entries.
    With ``absolutize_urls`` (the default) relative links in entry content are
    resolved against each entry's URL."""

    def __new__(
        cls,
        *,
        title: str,
        home_url: str,
        feed_url: Optional[str] = None,
        rss_url: Optional[str] = None,
        json_url: Optional[str] = None,
        description: Optional[str] = None,
        language: Optional[str] = None,
        author: Optional[str] = None,
        entries: List[Entry] = ...,
        id: Optional[str] = None,
        updated: Optional[_Date] = None,
        absolutize_urls: bool = True,
    ) -> "Feed": ...
    def atom(self) -> str:
        """The feed as Atom 1.0. Raises FeedError if it would be invalid."""
    def rss(self) -> str:
        """The feed as RSS 2.0. Raises FeedError if it would be invalid."""
    def json(self) -> str:
        """The feed as JSON Feed 1.1. Raises FeedError if it would be invalid."""
    @property
    def entries(self) -> List[Entry]: ...

@final
class BuildReport:
    """What ``build_site`` did."""

    @property
    def dest(self) -> str: ...
    @property
    def read(self) -> int: ...
    @property
    def from_cache(self) -> int: ...
    @property
    def published(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def written(self) -> List[str]: ...
    @property
    def unchanged(self) -> List[str]: ...
    @property
    def notices(self) -> List[Notice]: ...

def sitemap(urls: Iterable[Union[str, Tuple[str, Optional[_Date]]]]) -> str:
    """A sitemap.xml listing each URL, with its ``lastmod`` when given."""

def validate(document: Union[str, bytes]) -> List[Diagnostic]:
    """Validates an RSS, Atom, JSON Feed or sitemap document: one dict per
    finding, in document order; an empty list for a clean document."""

def build_site(
    source: Union[str, "os.PathLike[str]"],
    dest: Optional[Union[str, "os.PathLike[str]"]] = None,
    url: Optional[str] = None,
    build_date: Optional[_Date] = None,
) -> BuildReport:
    """Builds a Jekyll site or folder of posts into ``dest`` (default
    ``source/_site``): feeds, sitemap and robots.txt. ``build_date`` is "now"
    (default ``SOURCE_DATE_EPOCH``, else the clock). Raises BuildError when
    nothing could be written; problems with single posts are in ``notices``."""
