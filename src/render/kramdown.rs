//! kramdown's syntax beyond GFM (attribute lists, definition lists,
//! abbreviations, `markdown="1"`, extensions), as two passes around the
//! Markdown renderer in `render::markdown`: one over the source before it is
//! parsed, one over the HTML it writes.

use super::markdown::KramdownOptions;
use std::borrow::Cow;

/// What the source pass learns (definitions, attribute lists) and the HTML
/// pass needs.
#[derive(Debug, Default)]
pub(crate) struct Pass {}

/// Runs on the Markdown source before it is parsed.
pub(crate) fn before_parse<'a>(
    md: &'a str,
    _opts: &KramdownOptions,
    _pass: &mut Pass,
) -> Cow<'a, str> {
    Cow::Borrowed(md)
}

/// Runs on the HTML the renderer wrote, before auto ids and the table of
/// contents are added.
pub(crate) fn after_render(html: String, _opts: &KramdownOptions, _pass: &Pass) -> String {
    html
}
