//! The `feedwright` Python package: the library kit (one feed in every
//! format, sitemaps, the validator) and the site builder, as Python sees them.
//! Dates arrive as `datetime`/`date` objects or ISO 8601 text; errors leave
//! as exceptions carrying the library's message.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use feedwright::model::{AbsUrl, Entry as CoreEntry, Feed as CoreFeed, Person};
use feedwright::sitemap::SitemapUrl;
use feedwright::validate::{validate_bytes, validate_str, Options};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

pyo3::create_exception!(
    feedwright,
    FeedError,
    PyValueError,
    "A feed could not be written: it would be invalid (an empty title, an id that is not a URI, ...)."
);
pyo3::create_exception!(
    feedwright,
    BuildError,
    pyo3::exceptions::PyRuntimeError,
    "A site build stopped before writing anything (no site URL, a bad configuration value, ...)."
);

/// An absolute http(s) URL, or a ValueError naming the argument.
fn url(what: &str, text: &str) -> PyResult<AbsUrl> {
    AbsUrl::parse(text).map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
}

fn opt_url(what: &str, text: Option<&str>) -> PyResult<Option<AbsUrl>> {
    text.map(|t| url(what, t)).transpose()
}

/// A date from a `datetime` (an aware one keeps its offset; a naive one is
/// read as UTC), a `date` (midnight UTC) or ISO 8601 / RFC 3339 text.
fn date(what: &str, value: &Bound<'_, PyAny>) -> PyResult<DateTime<FixedOffset>> {
    let text: String = if value.is_instance_of::<PyString>() {
        value.extract()?
    } else if value.hasattr("isoformat")? {
        value.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what}: expected a datetime, a date or ISO 8601 text"
        )));
    };
    let t = text.trim();
    let utc = |naive: NaiveDateTime| naive.and_utc().fixed_offset();
    DateTime::parse_from_rfc3339(t)
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok().map(utc))
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f").ok().map(utc))
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(utc)
        })
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "{what}: `{t}` is not a date; give a datetime or text such as 2024-03-16T10:00:00+09:00"
            ))
        })
}

fn opt_date(what: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DateTime<FixedOffset>>> {
    match value {
        Some(v) if !v.is_none() => date(what, v).map(Some),
        _ => Ok(None),
    }
}

fn feed_error(e: feedwright::FeedError) -> PyErr {
    FeedError::new_err(e.to_string())
}

/// One post.
#[pyclass(name = "Entry", module = "feedwright", frozen)]
#[derive(Clone)]
struct Entry {
    inner: CoreEntry,
}

#[pymethods]
impl Entry {
    #[new]
    #[pyo3(signature = (*, url, title, published, id=None, updated=None, summary=None,
                        content_html=None, tags=Vec::new(), categories=Vec::new(), image=None,
                        author=None, language=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        url: &str,
        title: String,
        published: &Bound<'_, PyAny>,
        id: Option<String>,
        updated: Option<&Bound<'_, PyAny>>,
        summary: Option<String>,
        content_html: Option<String>,
        tags: Vec<String>,
        categories: Vec<String>,
        image: Option<&str>,
        author: Option<String>,
        language: Option<String>,
    ) -> PyResult<Self> {
        let published = date("published", published)?;
        let mut e = CoreEntry::new(self::url("url", url)?, title, published)
            .tags(tags)
            .categories(categories);
        if let Some(id) = id {
            e = e.id(id);
        }
        if let Some(updated) = opt_date("updated", updated)? {
            e = e.updated(updated);
        }
        if let Some(summary) = summary {
            e = e.summary(summary);
        }
        if let Some(html) = content_html {
            e = e.content_html(html);
        }
        if let Some(image) = opt_url("image", image)? {
            e = e.image(image);
        }
        if let Some(name) = author {
            e = e.author(Person::named(name));
        }
        if let Some(language) = language {
            e = e.language(language);
        }
        Ok(Entry { inner: e })
    }

    /// The permanent id (the URL unless given).
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The post's URL.
    #[getter]
    fn url(&self) -> &str {
        self.inner.url.as_str()
    }

    /// The title.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    fn __repr__(&self) -> String {
        format!("Entry(url={:?}, title={:?})", self.inner.url.as_str(), self.inner.title)
    }
}

/// A feed, written in every format.
#[pyclass(name = "Feed", module = "feedwright", frozen)]
struct Feed {
    inner: CoreFeed,
}

#[pymethods]
impl Feed {
    #[new]
    #[pyo3(signature = (*, title, home_url, feed_url=None, rss_url=None, json_url=None,
                        description=None, language=None, author=None, entries=Vec::new(),
                        id=None, updated=None, absolutize_urls=true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        title: String,
        home_url: &str,
        feed_url: Option<&str>,
        rss_url: Option<&str>,
        json_url: Option<&str>,
        description: Option<String>,
        language: Option<String>,
        author: Option<String>,
        entries: Vec<Bound<'_, Entry>>,
        id: Option<String>,
        updated: Option<&Bound<'_, PyAny>>,
        absolutize_urls: bool,
    ) -> PyResult<Self> {
        let mut f = CoreFeed::new(title, url("home_url", home_url)?)
            .entries(entries.iter().map(|e| e.get().inner.clone()));
        if let Some(u) = opt_url("feed_url", feed_url)? {
            f = f.atom_url(u);
        }
        if let Some(u) = opt_url("rss_url", rss_url)? {
            f = f.rss_url(u);
        }
        if let Some(u) = opt_url("json_url", json_url)? {
            f = f.json_url(u);
        }
        if let Some(d) = description {
            f = f.description(d);
        }
        if let Some(l) = language {
            f = f.language(l);
        }
        if let Some(name) = author {
            f = f.author(Person::named(name));
        }
        if let Some(id) = id {
            f = f.id(id);
        }
        if let Some(when) = opt_date("updated", updated)? {
            f = f.empty_updated(when);
        }
        if absolutize_urls {
            f = f.absolutize_urls();
        }
        Ok(Feed { inner: f })
    }

    /// The feed as an Atom 1.0 document.
    fn atom(&self) -> PyResult<String> {
        self.inner.to_atom().map_err(feed_error)
    }

    /// The feed as an RSS 2.0 document.
    fn rss(&self) -> PyResult<String> {
        self.inner.to_rss().map_err(feed_error)
    }

    /// The feed as a JSON Feed 1.1 document.
    fn json(&self) -> PyResult<String> {
        self.inner.to_json().map_err(feed_error)
    }

    /// The entries, in the order written.
    #[getter]
    fn entries(&self) -> Vec<Entry> {
        self.inner.entries.iter().map(|e| Entry { inner: e.clone() }).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Feed(title={:?}, entries={})",
            self.inner.meta.title,
            self.inner.entries.len()
        )
    }
}

/// A sitemap.xml listing `urls`: each a URL, or a `(url, lastmod)` pair
/// whose `lastmod` is a datetime, a date, ISO 8601 text or None.
#[pyfunction]
fn sitemap(urls: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut list = Vec::new();
    for (i, item) in urls.try_iter()?.enumerate() {
        let item = item?;
        let what = format!("urls[{i}]");
        let (loc, lastmod) = if let Ok(pair) = item.cast::<PyTuple>() {
            if pair.len() != 2 {
                return Err(PyValueError::new_err(format!(
                    "{what}: expected (url, lastmod), got {} items",
                    pair.len()
                )));
            }
            let loc: String = pair.get_item(0)?.extract()?;
            (loc, opt_date(&what, Some(&pair.get_item(1)?))?)
        } else {
            (item.extract::<String>()?, None)
        };
        list.push(SitemapUrl::new(url(&what, &loc)?, lastmod));
    }
    Ok(feedwright::sitemap::to_string(&list))
}

/// Validates a feed or sitemap given as text or bytes; one dict per finding
/// (`line`, `column`, `severity`, `code`, `message`, `spec`), in document
/// order. An empty list means a clean document.
#[pyfunction]
fn validate<'py>(py: Python<'py>, document: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let opts = Options::default();
    let report = if let Ok(text) = document.cast::<PyString>() {
        validate_str(&text.to_cow()?, &opts)
    } else if let Ok(bytes) = document.cast::<PyBytes>() {
        validate_bytes(bytes.as_bytes(), &opts)
    } else {
        return Err(PyTypeError::new_err("validate: expected str or bytes"));
    };
    let list = PyList::empty(py);
    for d in &report.diagnostics {
        let dict = PyDict::new(py);
        dict.set_item("line", d.line)?;
        dict.set_item("column", d.column)?;
        dict.set_item("severity", d.severity.as_str())?;
        dict.set_item("code", &d.code)?;
        dict.set_item("message", &d.message)?;
        dict.set_item("spec", &d.spec)?;
        list.append(dict)?;
    }
    Ok(list)
}

/// What a site build did.
#[pyclass(name = "BuildReport", module = "feedwright", frozen, get_all)]
struct BuildReport {
    /// The destination folder.
    dest: String,
    /// Post files found.
    read: usize,
    /// Of those, answered by the build cache without reading the file.
    from_cache: usize,
    /// Posts published.
    published: usize,
    /// Posts left out on purpose (`published: false`, future dates).
    skipped: usize,
    /// Posts rejected with an error (see `notices`).
    rejected: usize,
    /// Files written by this build.
    written: Vec<String>,
    /// Files that were already up to date.
    unchanged: Vec<String>,
    /// Errors and warnings about posts: dicts with `path`, `line`,
    /// `severity`, `message`, sorted by file.
    notices: Py<PyList>,
}

#[pymethods]
impl BuildReport {
    fn __repr__(&self) -> String {
        format!(
            "BuildReport(dest={:?}, published={}, rejected={}, written={})",
            self.dest,
            self.published,
            self.rejected,
            self.written.len()
        )
    }
}

/// `SOURCE_DATE_EPOCH` (reproducible builds), as the command line reads it.
fn source_date_epoch() -> PyResult<Option<DateTime<FixedOffset>>> {
    let Ok(raw) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(|t| Some(t.fixed_offset()))
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "SOURCE_DATE_EPOCH `{raw}` is not a number of seconds since 1970"
            ))
        })
}

/// Builds a Jekyll site or folder of posts: feeds, sitemap and robots.txt
/// into `dest` (default `source/_site`). `url` overrides the site's URL;
/// `build_date` is "now" (a datetime, date or ISO 8601 text; default
/// `SOURCE_DATE_EPOCH`, else the clock). A post with a problem costs that post (see the report's
/// `notices`); BuildError is for what stops the whole build.
#[pyfunction]
#[pyo3(signature = (source, dest=None, url=None, build_date=None))]
fn build_site<'py>(
    py: Python<'py>,
    source: std::path::PathBuf,
    dest: Option<std::path::PathBuf>,
    url: Option<String>,
    build_date: Option<&Bound<'py, PyAny>>,
) -> PyResult<BuildReport> {
    let now = match opt_date("build_date", build_date)? {
        Some(now) => now,
        None => source_date_epoch()?.unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
    };
    let mut opts = feedwright::site::BuildOptions::new(source, now);
    opts.dest = dest;
    opts.url = url;
    let built = py.detach(|| feedwright::site::build(&opts));
    let report = built.map_err(|e| BuildError::new_err(e.to_string()))?;
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let (mut written, mut unchanged) = (Vec::new(), Vec::new());
    for (p, outcome) in &report.outputs {
        match outcome {
            feedwright::site::WriteOutcome::Written => written.push(path(p)),
            _ => unchanged.push(path(p)),
        }
    }
    let notices = PyList::empty(py);
    for n in &report.notices {
        let dict = PyDict::new(py);
        dict.set_item("path", path(&n.at.path))?;
        dict.set_item("line", n.at.line)?;
        dict.set_item("severity", n.severity.as_str())?;
        dict.set_item("message", &n.message)?;
        notices.append(dict)?;
    }
    let s = &report.stats;
    Ok(BuildReport {
        dest: path(&report.dest),
        read: s.read,
        from_cache: s.from_cache,
        published: s.published,
        skipped: s.skipped,
        rejected: s.rejected,
        written,
        unchanged,
        notices: notices.unbind(),
    })
}

#[pymodule]
fn _feedwright(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Entry>()?;
    m.add_class::<Feed>()?;
    m.add_class::<BuildReport>()?;
    m.add_function(wrap_pyfunction!(sitemap, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(build_site, m)?)?;
    m.add("FeedError", m.py().get_type::<FeedError>())?;
    m.add("BuildError", m.py().get_type::<BuildError>())?;
    Ok(())
}
