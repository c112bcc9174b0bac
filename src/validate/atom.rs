//! Atom 1.0 (RFC 4287): every MUST as an error, the SHOULDs as warnings.

use super::checks::{
    is_absolute_iri, is_email, is_iri_chars, is_language, is_mime_type, is_non_negative_integer,
    is_rfc3339, Out,
};
use super::shared::{Options, Severity};
use super::xml::Element;
use std::collections::HashMap;

/// The Atom namespace.
pub const NS: &str = "http://www.w3.org/2005/Atom";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

const FEED_CHILDREN: &[&str] = &[
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
];
const ENTRY_CHILDREN: &[&str] = &[
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
];
const SOURCE_CHILDREN: &[&str] = &[
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
];

/// Validates an Atom feed document.
pub fn validate_feed(feed: &Element, opts: &Options, out: &mut Out) {
    check_container(
        feed,
        FEED_CHILDREN,
        &["id", "title", "updated"],
        &["generator", "icon", "logo", "rights", "subtitle"],
        "4.1.1",
        out,
    );
    let entries: Vec<&Element> = feed.children_named(NS, "entry").collect();
    let feed_has_author = feed.child(NS, "author").is_some();
    if !feed_has_author && entries.iter().any(|e| !entry_has_author(e)) {
        out.error(feed, "atom-missing-author", "the feed has no <author>, and some entries have none either; add an <author> to the feed or to every entry", "RFC 4287 §4.1.1");
    }
    check_self_link(feed, opts, out);
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for e in &entries {
        validate_entry(e, out);
        if let (Some(id), Some(updated)) = (e.child(NS, "id"), e.child(NS, "updated")) {
            let n = seen
                .entry((id.text.trim().to_string(), updated.text.trim().to_string()))
                .or_insert(0);
            *n += 1;
            if *n == 2 {
                out.warn(
                    e,
                    "atom-duplicate-entry",
                    &format!(
                        "two entries have the id {} and the same <updated>",
                        id.text.trim()
                    ),
                    "RFC 4287 §4.1.1",
                );
            }
        }
    }
}

/// Validates an Atom entry document (an `<entry>` as the root).
pub fn validate_entry_document(entry: &Element, _opts: &Options, out: &mut Out) {
    if !entry_has_author(entry) {
        out.error(
            entry,
            "atom-missing-author",
            "an entry document must have an <author>",
            "RFC 4287 §4.1.2",
        );
    }
    validate_entry(entry, out);
}

fn entry_has_author(e: &Element) -> bool {
    e.child(NS, "author").is_some()
        || e.child(NS, "source")
            .is_some_and(|s| s.child(NS, "author").is_some())
}

fn validate_entry(e: &Element, out: &mut Out) {
    check_container(
        e,
        ENTRY_CHILDREN,
        &["id", "title", "updated"],
        &["content", "published", "rights", "source", "summary"],
        "4.1.2",
        out,
    );
    let content = e.child(NS, "content");
    let alternate = e.children_named(NS, "link").any(|l| {
        l.attr("rel").is_none_or(|r| {
            r == "alternate" || r == "http://www.iana.org/assignments/relation/alternate"
        })
    });
    if content.is_none() && !alternate {
        out.error(
            e,
            "atom-missing-content-or-alternate",
            "an entry without <content> must have a <link rel=\"alternate\">",
            "RFC 4287 §4.1.1",
        );
    }
    if let Some(c) = content {
        let needs_summary = c.attr("src").is_some()
            || c.attr("type").is_some_and(|t| {
                is_mime_type(t)
                    && !t.starts_with("text/")
                    && !t.ends_with("xml")
                    && !t.ends_with("+xml")
            });
        if needs_summary && e.child(NS, "summary").is_none() {
            out.error(
                e,
                "atom-missing-summary",
                "this entry's content is not inline text, so it must have a <summary>",
                "RFC 4287 §4.1.1.1",
            );
        }
    }
    if let Some(source) = e.child(NS, "source") {
        check_container(
            source,
            SOURCE_CHILDREN,
            &[],
            &[
                "generator",
                "icon",
                "id",
                "logo",
                "rights",
                "subtitle",
                "title",
                "updated",
            ],
            "4.2.11",
            out,
        );
    }
}

/// Children, cardinality and each child's content.
fn check_container(
    parent: &Element,
    allowed: &[&str],
    required: &[&str],
    at_most_one: &[&str],
    section: &str,
    out: &mut Out,
) {
    let spec = format!("RFC 4287 §{section}");
    for name in required {
        if parent.child(NS, name).is_none() {
            out.error(
                parent,
                &format!("atom-missing-{name}"),
                &format!("<{}> must contain an <{name}>", parent.name),
                &spec,
            );
        }
    }
    for name in required.iter().chain(at_most_one) {
        if let Some(second) = parent.children_named(NS, name).nth(1) {
            out.error(
                second,
                &format!("atom-duplicate-{name}"),
                &format!("<{}> may contain only one <{name}>", parent.name),
                &spec,
            );
        }
    }
    check_unknown_attributes(parent, out);
    check_links(parent, out);
    for c in &parent.children {
        if &*c.ns != NS {
            continue;
        }
        if !allowed.contains(&c.name.as_str()) {
            out.error(
                c,
                "atom-undefined-element",
                &format!(
                    "<{}> is not an Atom element that <{}> can contain",
                    c.name, parent.name
                ),
                &spec,
            );
            continue;
        }
        match c.name.as_str() {
            "id" => check_id(c, out),
            "updated" | "published" => check_date(c, out),
            "title" | "subtitle" | "rights" | "summary" => check_text_construct(c, out),
            "content" => check_content(c, out),
            "author" | "contributor" => check_person(c, out),
            "category" => {
                check_unknown_attributes(c, out);
                if c.attr("term").is_none() {
                    out.error(
                        c,
                        "atom-missing-term",
                        "<category> must have a term attribute",
                        "RFC 4287 §4.2.2.1",
                    );
                }
                if let Some(s) = c.attr("scheme") {
                    if !is_absolute_iri(s) {
                        out.error(
                            c,
                            "atom-invalid-iri",
                            &format!("category scheme `{s}` is not an IRI"),
                            "RFC 4287 §4.2.2.2",
                        );
                    }
                }
            }
            "generator" => {
                check_unknown_attributes(c, out);
                if let Some(u) = c.attr("uri") {
                    if !is_iri_chars(u) {
                        out.error(
                            c,
                            "atom-invalid-iri",
                            &format!("generator uri `{u}` is not an IRI"),
                            "RFC 4287 §4.2.4",
                        );
                    }
                }
                check_no_children(c, out);
            }
            "icon" | "logo" => {
                check_unknown_attributes(c, out);
                if !is_iri_chars(c.text.trim()) || c.text.trim() != c.text {
                    out.error(
                        c,
                        "atom-invalid-iri",
                        &format!("<{}> must hold an IRI reference", c.name),
                        "RFC 4287 §4.2.5",
                    );
                }
                check_no_children(c, out);
            }
            "link" => {}
            _ => {}
        }
    }
}

fn check_no_children(el: &Element, out: &mut Out) {
    if let Some(c) = el.children.first() {
        out.error(
            c,
            "atom-unexpected-element",
            &format!("<{}> must contain text only", el.name),
            "RFC 4287",
        );
    }
}

/// Atom elements allow `xml:base`, `xml:lang` and extension (namespaced)
/// attributes; an unknown attribute in no namespace is an error.
fn check_unknown_attributes(el: &Element, out: &mut Out) {
    let allowed: &[&str] = match el.name.as_str() {
        "link" => &["href", "rel", "type", "hreflang", "title", "length"],
        "category" => &["term", "scheme", "label"],
        "generator" => &["uri", "version"],
        "content" => &["type", "src"],
        "title" | "subtitle" | "rights" | "summary" => &["type"],
        _ => &[],
    };
    for a in &el.attrs {
        if a.ns.is_empty() && !allowed.contains(&a.name.as_str()) {
            out.error(
                el,
                "atom-unexpected-attribute",
                &format!("<{}> has no attribute `{}`", el.name, a.name),
                "RFC 4287 §2",
            );
        }
        if &*a.ns == super::xml::XML_NS
            && a.name == "lang"
            && !a.value.is_empty()
            && !is_language(&a.value)
        {
            out.error(
                el,
                "atom-invalid-language",
                &format!("xml:lang `{}` is not a language tag", a.value),
                "XML 1.0 §2.12",
            );
        }
    }
}

fn check_id(el: &Element, out: &mut Out) {
    check_unknown_attributes(el, out);
    let id = el.text.as_str();
    if id.trim() != id {
        out.error(
            el,
            "atom-id-whitespace",
            "<id> must not have white space around the IRI",
            "RFC 4287 §4.2.6",
        );
    } else if !is_absolute_iri(id) {
        out.error(
            el,
            "atom-invalid-id",
            &format!("<id> `{id}` is not an absolute IRI"),
            "RFC 4287 §4.2.6",
        );
    } else if let Some(rest) = id.strip_prefix("tag:") {
        // RFC 4151: tag:authority,date:specific
        let ok = rest
            .split_once(':')
            .and_then(|(head, _)| head.rsplit_once(','))
            .is_some_and(|(auth, date)| {
                let auth_ok = (auth.contains('.') || is_email(auth))
                    && auth
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-.@_".contains(c));
                let date_ok = match date.len() {
                    4 => date.bytes().all(|b| b.is_ascii_digit()),
                    7 | 10 => super::checks::is_w3c_datetime(date),
                    _ => false,
                };
                auth_ok && date_ok
            });
        if !ok {
            out.error(
                el,
                "atom-invalid-tag-uri",
                &format!("`{id}` is not a valid tag: URI (RFC 4151: tag:example.com,2024:name)"),
                "RFC 4151",
            );
        }
    } else if let Some(rest) = id.strip_prefix("urn:") {
        let ok = rest.split_once(':').is_some_and(|(nid, nss)| {
            !nid.is_empty()
                && nid.len() <= 32
                && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !nid.starts_with('-')
                && !nss.is_empty()
        });
        let uuid_ok = !rest.to_ascii_lowercase().starts_with("uuid:") || {
            let u = &rest[5..];
            u.len() == 36
                && u.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        };
        if !ok || !uuid_ok {
            out.error(
                el,
                "atom-invalid-urn",
                &format!("`{id}` is not a valid URN"),
                "RFC 2141",
            );
        }
    }
    check_no_children(el, out);
}

fn check_date(el: &Element, out: &mut Out) {
    check_unknown_attributes(el, out);
    if !is_rfc3339(&el.text) {
        out.error(
            el,
            "atom-invalid-date",
            &format!(
                "<{}> `{}` is not an RFC 3339 date-time such as 2024-03-15T10:00:00Z",
                el.name, el.text
            ),
            "RFC 4287 §3.3",
        );
    }
    check_no_children(el, out);
}

fn check_text_construct(el: &Element, out: &mut Out) {
    check_unknown_attributes(el, out);
    match el.attr("type").unwrap_or("text") {
        "text" | "html" => check_no_children(el, out),
        "xhtml" => check_xhtml_div(el, out),
        other => out.error(
            el,
            "atom-invalid-text-type",
            &format!(
                "<{}> type must be text, html or xhtml, not `{other}`",
                el.name
            ),
            "RFC 4287 §3.1.1",
        ),
    }
}

fn check_xhtml_div(el: &Element, out: &mut Out) {
    let divs: Vec<&Element> = el.children.iter().collect();
    let only_div = divs.len() == 1 && &*divs[0].ns == XHTML_NS && divs[0].name == "div";
    if !only_div || !el_text_outside_children_is_blank(el) {
        out.error(
            el,
            "atom-missing-xhtml-div",
            &format!("xhtml <{}> must contain exactly one XHTML <div>", el.name),
            "RFC 4287 §3.1.1.3",
        );
        return;
    }
    let mut stack: Vec<&Element> = divs[0].children.iter().collect();
    while let Some(e) = stack.pop() {
        if e.ns.is_empty() {
            out.error(e, "atom-xhtml-namespace", &format!("<{}> inside XHTML content is in no namespace; XHTML elements must be in the XHTML namespace", e.name), "RFC 4287 §3.1.1.3");
            return;
        }
        stack.extend(e.children.iter());
    }
}

fn el_text_outside_children_is_blank(el: &Element) -> bool {
    // Text is joined across children; any non-space text outside the div breaks the rule.
    el.children.len() != 1 || el.text.trim().is_empty()
}

fn check_content(el: &Element, out: &mut Out) {
    check_unknown_attributes(el, out);
    let ty = el.attr("type").unwrap_or("text");
    if let Some(src) = el.attr("src") {
        if !is_iri_chars(src) {
            out.error(
                el,
                "atom-invalid-iri",
                &format!("content src `{src}` is not an IRI"),
                "RFC 4287 §4.1.3.2",
            );
        }
        if !el.text.trim().is_empty() || !el.children.is_empty() {
            out.error(
                el,
                "atom-content-src-not-empty",
                "<content> with src must be empty",
                "RFC 4287 §4.1.3.2",
            );
        }
        if el.attr("type").is_some() && !is_mime_type(ty) {
            out.error(
                el,
                "atom-invalid-mime-type",
                &format!("content with src must give a MIME type, not `{ty}`"),
                "RFC 4287 §4.1.3.1",
            );
        }
        return;
    }
    match ty {
        "text" | "html" => check_no_children(el, out),
        "xhtml" => check_xhtml_div(el, out),
        t if is_mime_type(t) => {
            let xml_like = t.ends_with("+xml") || t.ends_with("/xml");
            if !xml_like {
                check_no_children(el, out);
            }
            if !xml_like && !t.starts_with("text/") {
                let b64 = el
                    .text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>();
                let ok = b64.len() % 4 == 0
                    && b64
                        .trim_end_matches('=')
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
                if !ok {
                    out.error(
                        el,
                        "atom-not-base64",
                        &format!("content of type {t} must be Base64"),
                        "RFC 4287 §4.1.3.3",
                    );
                }
            }
        }
        t => out.error(
            el,
            "atom-invalid-mime-type",
            &format!("content type `{t}` is neither text, html, xhtml nor a MIME type"),
            "RFC 4287 §4.1.3.1",
        ),
    }
}

fn check_person(el: &Element, out: &mut Out) {
    check_unknown_attributes(el, out);
    match el.children_named(NS, "name").count() {
        0 => out.error(
            el,
            "atom-missing-name",
            &format!("<{}> must contain a <name>", el.name),
            "RFC 4287 §3.2.1",
        ),
        1 => {}
        _ => out.error(
            el,
            "atom-duplicate-name",
            &format!("<{}> may contain only one <name>", el.name),
            "RFC 4287 §3.2",
        ),
    }
    for c in &el.children {
        if &*c.ns != NS {
            continue;
        }
        match c.name.as_str() {
            "name" => check_no_children(c, out),
            "uri" => {
                if !is_iri_chars(&c.text) {
                    out.error(
                        c,
                        "atom-invalid-iri",
                        &format!("<uri> `{}` is not an IRI", c.text),
                        "RFC 4287 §3.2.2",
                    );
                }
            }
            "email" => {
                if !is_email(c.text.trim()) {
                    out.error(
                        c,
                        "atom-invalid-email",
                        &format!("<email> `{}` is not an e-mail address", c.text),
                        "RFC 4287 §3.2.3",
                    );
                }
            }
            other => out.error(
                c,
                "atom-undefined-element",
                &format!("<{other}> is not part of a person construct"),
                "RFC 4287 §3.2",
            ),
        }
    }
    for name in ["uri", "email"] {
        if let Some(second) = el.children_named(NS, name).nth(1) {
            out.error(
                second,
                &format!("atom-duplicate-{name}"),
                &format!("<{}> may contain only one <{name}>", el.name),
                "RFC 4287 §3.2",
            );
        }
    }
}

fn check_links(parent: &Element, out: &mut Out) {
    let mut alternates: HashMap<(String, String), usize> = HashMap::new();
    for l in parent.children_named(NS, "link") {
        check_unknown_attributes(l, out);
        match l.attr("href") {
            None => out.error(
                l,
                "atom-missing-href",
                "<link> must have an href",
                "RFC 4287 §4.2.7.1",
            ),
            Some(h) if !h.is_empty() && !is_iri_chars(h) => out.error(
                l,
                "atom-invalid-iri",
                &format!("link href `{h}` is not an IRI"),
                "RFC 4287 §4.2.7.1",
            ),
            _ => {}
        }
        let rel = l.attr("rel").unwrap_or("alternate").trim();
        if rel.is_empty()
            || (!rel.contains(':')
                && !rel
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)))
        {
            out.error(
                l,
                "atom-invalid-rel",
                &format!("link rel `{rel}` is neither a registered name nor an IRI"),
                "RFC 4287 §4.2.7.2",
            );
        }
        out.check_attr(
            l,
            "type",
            is_mime_type,
            "atom-invalid-mime-type",
            |t| format!("link type `{t}` is not a MIME type"),
            "RFC 4287 §4.2.7.3",
        );
        out.check_attr(
            l,
            "hreflang",
            is_language,
            "atom-invalid-language",
            |h| format!("hreflang `{h}` is not a language tag"),
            "RFC 4287 §4.2.7.4",
        );
        out.check_attr(
            l,
            "length",
            is_non_negative_integer,
            "atom-invalid-length",
            |n| format!("link length `{n}` is not a whole number of bytes"),
            "RFC 4287 §4.2.7.6",
        );
        if rel == "alternate" {
            let key = (
                l.attr("type").unwrap_or("").to_ascii_lowercase(),
                l.attr("hreflang").unwrap_or("").to_ascii_lowercase(),
            );
            let n = alternates.entry(key).or_insert(0);
            *n += 1;
            if *n == 2 {
                out.error(
                    l,
                    "atom-duplicate-alternate",
                    "two alternate links have the same type and hreflang",
                    "RFC 4287 §4.1.1",
                );
            }
        }
    }
}

fn check_self_link(feed: &Element, opts: &Options, out: &mut Out) {
    let self_link = feed
        .children_named(NS, "link")
        .find(|l| l.attr("rel") == Some("self"));
    match (self_link, &opts.base) {
        (None, _) => out.push(
            feed,
            Severity::Warning,
            "atom-missing-self",
            "the feed should have a <link rel=\"self\"> with its own URL",
            "RFC 4287 §4.2.7.2",
        ),
        (Some(l), Some(base)) => {
            if let Some(href) = l.attr("href") {
                if !super::checks::self_link_matches(base, href) {
                    out.warn(
                        l,
                        "atom-self-mismatch",
                        &format!("the self link {href} is not where the feed is served ({base})"),
                        "RFC 4287 §4.2.7.2",
                    );
                }
            }
        }
        _ => {}
    }
}
