//! A post's body as Jekyll renders it: Liquid, then Markdown as kramdown
//! renders it (`markdown`, with kramdown's syntax beyond GFM in `markdown::kramdown`).

pub(crate) mod liquid;
pub(crate) mod markdown;
