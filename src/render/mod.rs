//! A post's body as Jekyll renders it: Liquid, then Markdown.

pub(crate) mod liquid;
