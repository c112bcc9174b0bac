//! Rendering a post's body as Jekyll does: Liquid, then Markdown as kramdown writes it.

pub(crate) mod kramdown;
