//! RSS 2.0 (and 0.9x) with the RSS Advisory Board's best-practice profile, and
//! the core of RSS 1.0 (RDF).

use super::checks::{
    is_absolute_iri, is_email, is_mime_type, is_non_negative_integer, rfc822, Out, Rfc822,
};
use super::shared::Options;
use super::xml::Element;

/// The RDF namespace (RSS 1.0 roots).
pub const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RSS1_NS: &str = "http://purl.org/rss/1.0/";
const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SPEC: &str = "RSS 2.0 specification";
const PROFILE: &str = "RSS Advisory Board best practices";

const CHANNEL_CHILDREN: &[&str] = &[
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
    "item",
];
const CHANNEL_SINGLE: &[&str] = &[
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
];
const ITEM_CHILDREN: &[&str] = &[
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
];
const ITEM_SINGLE: &[&str] = &[
    "title",
    "link",
    "description",
    "author",
    "comments",
    "guid",
    "pubDate",
    "source",
];

/// Validates an `<rss>` document.
pub fn validate(rss: &Element, opts: &Options, out: &mut Out) {
    match rss.attr("version") {
        None => out.error(
            rss,
            "rss-missing-version",
            "<rss> must have a version attribute (2.0)",
            SPEC,
        ),
        Some("2.0" | "0.91" | "0.92" | "0.93" | "0.94" | "2.0.1" | "2.0.10" | "2.0.11") => {}
        Some(v) => out.error(
            rss,
            "rss-invalid-version",
            &format!("RSS version `{v}` is not one this validator knows; use 2.0"),
            SPEC,
        ),
    }
    for c in rss
        .children
        .iter()
        .filter(|c| c.ns.is_empty() && c.name != "channel")
    {
        out.error(
            c,
            "rss-undefined-element",
            &format!("<{}> does not belong directly under <rss>", c.name),
            SPEC,
        );
    }
    let channels: Vec<&Element> = rss.children_named("", "channel").collect();
    let Some(channel) = channels.first() else {
        out.error(
            rss,
            "rss-missing-channel",
            "<rss> must contain a <channel>",
            SPEC,
        );
        return;
    };
    if let Some(second) = channels.get(1) {
        out.error(
            second,
            "rss-duplicate-channel",
            "<rss> may contain only one <channel>",
            SPEC,
        );
    }
    check_children(channel, CHANNEL_CHILDREN, CHANNEL_SINGLE, out);
    for name in ["title", "link", "description"] {
        if channel.child("", name).is_none() {
            out.error(
                channel,
                &format!("rss-missing-{name}"),
                &format!("<channel> must contain a <{name}>"),
                SPEC,
            );
        }
    }
    let self_link = channel
        .children_named(ATOM_NS, "link")
        .find(|l| l.attr("rel") == Some("self"));
    match (self_link, &opts.base) {
        (None, _) => out.warn(
            channel,
            "rss-missing-atom-self",
            "the channel should have an <atom:link rel=\"self\"> with the feed's own URL",
            PROFILE,
        ),
        (Some(l), Some(base)) => {
            if let Some(href) = l.attr("href") {
                if !super::checks::self_link_matches(base, href) {
                    out.warn(
                        l,
                        "rss-self-mismatch",
                        &format!("the self link {href} is not where the feed is served ({base})"),
                        PROFILE,
                    );
                }
            }
        }
        _ => {}
    }
    for c in channel.children.iter().filter(|c| c.ns.is_empty()) {
        check_channel_child(c, out);
    }
    let mut guids = std::collections::HashSet::new();
    for item in channel.children_named("", "item") {
        check_children(item, ITEM_CHILDREN, ITEM_SINGLE, out);
        if item.child("", "title").is_none() && item.child("", "description").is_none() {
            out.error(
                item,
                "rss-item-title-or-description",
                "an <item> must contain a <title> or a <description>",
                SPEC,
            );
        }
        if item.child("", "guid").is_none() {
            out.warn(
                item,
                "rss-missing-guid",
                "an <item> should have a <guid> so readers can tell items apart",
                PROFILE,
            );
        }
        for c in item.children.iter().filter(|c| c.ns.is_empty()) {
            check_item_child(c, out);
            if c.name == "guid"
                && !c.text.trim().is_empty()
                && !guids.insert(c.text.trim().to_string())
            {
                out.error(
                    c,
                    "rss-duplicate-guid",
                    &format!(
                        "two items have the guid {}; each guid must be unique",
                        c.text.trim()
                    ),
                    SPEC,
                );
            }
        }
    }
}

fn check_children(parent: &Element, allowed: &[&str], single: &[&str], out: &mut Out) {
    for c in &parent.children {
        if c.ns.is_empty() && !allowed.contains(&c.name.as_str()) {
            out.error(
                c,
                "rss-undefined-element",
                &format!("<{}> is not an RSS element of <{}>", c.name, parent.name),
                SPEC,
            );
        }
    }
    for name in single {
        if let Some(second) = parent.children_named("", name).nth(1) {
            out.error(
                second,
                "rss-duplicate-element",
                &format!("<{}> may contain only one <{name}>", parent.name),
                SPEC,
            );
        }
    }
}

fn text_only(el: &Element, out: &mut Out) {
    if let Some(c) = el.children.iter().find(|c| c.ns.is_empty()) {
        out.error(
            c,
            "rss-undefined-element",
            &format!("<{}> does not belong inside <{}>", c.name, el.name),
            SPEC,
        );
    }
}

fn full_url(el: &Element, value: &str, out: &mut Out) {
    let v = value.trim();
    if v.is_empty() {
        out.error(
            el,
            "rss-empty",
            &format!("<{}> must not be empty", el.name),
            SPEC,
        );
    } else if !is_absolute_iri(v) {
        out.error(
            el,
            "rss-invalid-url",
            &format!("<{}> `{v}` is not a full URL", el.name),
            SPEC,
        );
    }
}

fn date(el: &Element, out: &mut Out) {
    // RFC 822 allows comments in parentheses anywhere.
    let mut text = String::new();
    let mut depth = 0usize;
    let mut escaped = false;
    for c in el.text.chars() {
        match c {
            // A quoted-pair (`\)`) inside a comment is part of the comment.
            _ if escaped => escaped = false,
            '\\' if depth > 0 => escaped = true,
            '(' => depth += 1,
            // A comment separates tokens as white space does (RFC 822 §3.4.3).
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    text.push(' ');
                }
            }
            c if depth == 0 => text.push(c),
            _ => {}
        }
    }
    match rfc822(&text) {
        Rfc822::Valid => {}
        Rfc822::Invalid => out.error(
            el,
            "rss-invalid-date",
            &format!(
                "<{}> `{}` is not an RFC 822 date such as Sat, 07 Sep 2002 00:00:01 GMT",
                el.name,
                el.text.trim()
            ),
            "RSS 2.0 / RFC 822 §5",
        ),
        Rfc822::WrongWeekday => out.error(
            el,
            "rss-wrong-weekday",
            &format!(
                "<{}> `{}` names the wrong day of the week",
                el.name,
                el.text.trim()
            ),
            "RFC 822 §5",
        ),
    }
}

fn email(el: &Element, out: &mut Out) {
    // RSS wants `address (Name)`. Other spellings that still carry an address
    // (`Name <address>`, mailto: links) are warnings, as in the W3C validator.
    let v = el.text.trim();
    let addr = v.split_once(' ').map_or(v, |(a, _)| a);
    // `Name (address)` has the two the wrong way round: RSS 2.0 writes `address (Name)`.
    if !is_email(addr) && v.contains('@') && v.ends_with(')') {
        out.error(
            el,
            "rss-invalid-email",
            &format!(
                "<{}> `{v}` must start with the e-mail address, followed by the name in parentheses: `address (Name)`",
                el.name
            ),
            SPEC,
        );
        return;
    }
    if is_email(addr) {
        if !v.contains('(') {
            out.warn(
                el,
                "rss-missing-real-name",
                &format!(
                    "<{}> should include the person's name: `{addr} (Name)`",
                    el.name
                ),
                PROFILE,
            );
        }
    } else if v.contains('@') || v.contains("%40") {
        out.warn(
            el,
            "rss-email-form",
            &format!("<{}> `{v}` should be written as `address (Name)`", el.name),
            PROFILE,
        );
    } else {
        out.error(
            el,
            "rss-invalid-email",
            &format!(
                "<{}> `{v}` must be an e-mail address, optionally followed by (Name)",
                el.name
            ),
            SPEC,
        );
    }
}

/// RSS uses ISO 639 language codes, optionally with a country: `en`, `ko-KR`.
fn is_rss_language(s: &str) -> bool {
    crate::lang::is_rss_language(s)
}

/// Attributes each RSS element may carry (namespaced ones are extensions and allowed).
fn check_attributes(el: &Element, out: &mut Out) {
    let allowed: &[&str] = match el.name.as_str() {
        "rss" => &["version"],
        "guid" => &["isPermaLink"],
        "category" => &["domain"],
        "enclosure" => &["url", "length", "type"],
        "source" => &["url"],
        "cloud" => &["domain", "port", "path", "registerProcedure", "protocol"],
        _ => &[],
    };
    for a in el.attrs.iter().filter(|a| a.ns.is_empty()) {
        if !allowed.contains(&a.name.as_str()) {
            out.error(
                el,
                "rss-unexpected-attribute",
                &format!("<{}> has no attribute `{}`", el.name, a.name),
                SPEC,
            );
        }
    }
}

/// RSS links are URIs: ASCII only, non-ASCII percent-encoded.
fn ascii_uri(el: &Element, v: &str, out: &mut Out) {
    if !v.is_ascii() {
        out.error(
            el,
            "rss-uri-not-iri",
            &format!(
                "<{}> `{v}` must be a URI: percent-encode its non-ASCII characters",
                el.name
            ),
            SPEC,
        );
    }
}

fn check_channel_child(c: &Element, out: &mut Out) {
    check_attributes(c, out);
    match c.name.as_str() {
        "title" | "description" | "copyright" | "generator" | "rating" => text_only(c, out),
        "link" | "docs" => {
            text_only(c, out);
            full_url(c, &c.text, out);
            ascii_uri(c, c.text.trim(), out)
        }
        "language" => {
            if !is_rss_language(c.text.trim()) {
                out.error(
                    c,
                    "rss-invalid-language",
                    &format!("<language> `{}` is not a language code", c.text.trim()),
                    SPEC,
                );
            }
        }
        "managingEditor" | "webMaster" => email(c, out),
        "pubDate" | "lastBuildDate" => date(c, out),
        "ttl" => {
            if !is_non_negative_integer(c.text.trim()) || c.text.trim().bytes().all(|b| b == b'0') {
                out.error(
                    c,
                    "rss-invalid-integer",
                    &format!(
                        "<ttl> `{}` must be a positive whole number of minutes",
                        c.text.trim()
                    ),
                    SPEC,
                );
            }
        }
        "category" => category(c, out),
        "cloud" => {
            for a in ["domain", "port", "path", "registerProcedure", "protocol"] {
                if c.attr(a).is_none() {
                    out.error(
                        c,
                        "rss-missing-attribute",
                        &format!("<cloud> must have a {a} attribute"),
                        SPEC,
                    );
                }
            }
            if let Some(p) = c.attr("port") {
                if !p.parse::<u16>().is_ok_and(|p| p > 0) {
                    out.error(
                        c,
                        "rss-invalid-integer",
                        &format!("cloud port `{p}` is not a number"),
                        SPEC,
                    );
                }
            }
            if let Some(p) = c.attr("protocol") {
                if !matches!(p, "xml-rpc" | "soap" | "http-post") {
                    out.error(
                        c,
                        "rss-invalid-value",
                        &format!("cloud protocol `{p}` must be xml-rpc, soap or http-post"),
                        SPEC,
                    );
                }
            }
        }
        "image" => {
            check_children(
                c,
                &["url", "title", "link", "width", "height", "description"],
                &["url", "title", "link", "width", "height", "description"],
                out,
            );
            for name in ["url", "title", "link"] {
                if c.child("", name).is_none() {
                    out.error(
                        c,
                        &format!("rss-missing-{name}"),
                        &format!("<image> must contain a <{name}>"),
                        SPEC,
                    );
                }
            }
            for (name, max) in [("width", 144u64), ("height", 400)] {
                if let Some(el) = c.child("", name) {
                    match el.text.trim().parse::<u64>() {
                        Ok(v) if v > 0 && v <= max => {}
                        _ => out.error(
                            el,
                            &format!("rss-invalid-{name}"),
                            &format!("image {name} must be a whole number from 1 to {max}"),
                            SPEC,
                        ),
                    }
                }
            }
            for name in ["url", "link"] {
                if let Some(el) = c.child("", name) {
                    full_url(el, &el.text, out);
                }
            }
        }
        "textInput" => {
            check_children(
                c,
                &["title", "description", "name", "link"],
                &["title", "description", "name", "link"],
                out,
            );
            for name in ["title", "description", "name", "link"] {
                if c.child("", name).is_none() {
                    out.error(
                        c,
                        &format!("rss-missing-{name}"),
                        &format!("<textInput> must contain a <{name}>"),
                        SPEC,
                    );
                }
            }
            if let Some(el) = c.child("", "link") {
                full_url(el, &el.text, out);
            }
            if let Some(el) = c.child("", "name") {
                let n = el.text.trim();
                let ok = n.chars().next().is_some_and(|f| f.is_ascii_alphabetic())
                    && n.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || "-_.:".contains(ch));
                if !ok {
                    out.error(el, "rss-invalid-form-name", &format!("textInput name `{n}` must start with a letter and hold letters, digits, - _ . : only"), SPEC);
                }
            }
        }
        "skipHours" => {
            check_children(c, &["hour"], &[], out);
            if c.child("", "hour").is_none() {
                out.error(
                    c,
                    "rss-missing-hour",
                    "<skipHours> must contain at least one <hour>",
                    SPEC,
                );
            }
            let mut seen = std::collections::HashSet::new();
            for h in c.children_named("", "hour") {
                match h.text.trim().parse::<u32>() {
                    // 24 is midnight too (warned about below), so it repeats a 0.
                    Ok(v) if v <= 24 && !seen.insert(v % 24) => {
                        out.error(
                            h,
                            "rss-duplicate-value",
                            &format!("hour {v} is listed twice (0 and 24 are both midnight)"),
                            SPEC,
                        );
                    }
                    Ok(v) if v <= 23 => {}
                    Ok(24) => out.warn(
                        h,
                        "rss-use-zero-for-midnight",
                        "write midnight as hour 0, not 24",
                        PROFILE,
                    ),
                    _ => out.error(
                        h,
                        "rss-invalid-hour",
                        &format!("<hour> `{}` must be 0 to 23", h.text.trim()),
                        SPEC,
                    ),
                }
            }
            if seen.len() > 24 {
                out.error(c, "rss-invalid-value", "more than 24 hours", SPEC);
            }
        }
        "skipDays" => {
            check_children(c, &["day"], &[], out);
            if c.child("", "day").is_none() {
                out.error(
                    c,
                    "rss-missing-day",
                    "<skipDays> must contain at least one <day>",
                    SPEC,
                );
            }
            let mut seen = std::collections::HashSet::new();
            for d in c.children_named("", "day") {
                let v = d.text.trim();
                if !matches!(
                    v,
                    "Monday"
                        | "Tuesday"
                        | "Wednesday"
                        | "Thursday"
                        | "Friday"
                        | "Saturday"
                        | "Sunday"
                ) {
                    out.error(
                        d,
                        "rss-invalid-day",
                        &format!("<day> `{v}` must be Monday … Sunday"),
                        SPEC,
                    );
                } else if !seen.insert(v.to_string()) {
                    out.error(
                        d,
                        "rss-duplicate-value",
                        &format!("{v} is listed twice"),
                        SPEC,
                    );
                }
            }
        }
        _ => {}
    }
}

fn category(c: &Element, out: &mut Out) {
    text_only(c, out);
    if c.text.trim().is_empty() {
        out.warn(c, "rss-empty", "<category> should not be empty", PROFILE);
    }
}

fn check_item_child(c: &Element, out: &mut Out) {
    check_attributes(c, out);
    match c.name.as_str() {
        "title" | "description" => text_only(c, out),
        "link" | "comments" => {
            text_only(c, out);
            full_url(c, &c.text, out)
        }
        "author" => email(c, out),
        "pubDate" => date(c, out),
        "category" => category(c, out),
        "guid" => {
            let permalink = match c.attr("isPermaLink") {
                None | Some("true") => true,
                Some("false") => false,
                Some(v) => {
                    out.error(
                        c,
                        "rss-invalid-boolean",
                        &format!("isPermaLink `{v}` must be true or false"),
                        SPEC,
                    );
                    false
                }
            };
            permalink_guid(c, permalink, out);
        }
        "enclosure" => {
            for a in ["url", "length", "type"] {
                if c.attr(a).is_none() {
                    out.error(
                        c,
                        "rss-missing-attribute",
                        &format!("<enclosure> must have a {a} attribute"),
                        SPEC,
                    );
                }
            }
            let http = |u: &str| {
                is_absolute_iri(u) && (u.starts_with("http://") || u.starts_with("https://"))
            };
            out.check_attr(
                c,
                "url",
                http,
                "rss-invalid-url",
                |u| format!("enclosure url `{u}` must be an http URL"),
                SPEC,
            );
            out.check_attr(
                c,
                "length",
                is_non_negative_integer,
                "rss-invalid-integer",
                |l| format!("enclosure length `{l}` must be a whole number of bytes"),
                SPEC,
            );
            out.check_attr(
                c,
                "type",
                is_mime_type,
                "rss-invalid-mime-type",
                |t| format!("enclosure type `{t}` is not a MIME type"),
                SPEC,
            );
        }
        "source" => match c.attr("url") {
            None => out.error(
                c,
                "rss-missing-attribute",
                "<source> must have a url attribute",
                SPEC,
            ),
            Some(u) if !is_absolute_iri(u) => out.error(
                c,
                "rss-invalid-url",
                &format!("source url `{u}` is not a full URL"),
                SPEC,
            ),
            _ => {}
        },
        _ => {}
    }
}

/// A guid is a permalink unless it says otherwise. RSS 2.0 calls a permalink
/// "a url that can be opened in a Web browser": text no URI can hold, and the
/// two schemes made for identifiers that locate nothing (`tag:`, `urn:uuid:`),
/// cannot be one; any other URI can, so an unusual scheme is a warning, as the W3C validator judges it.
fn permalink_guid(c: &Element, permalink: bool, out: &mut Out) {
    let v = c.text.trim();
    if v.is_empty() {
        if permalink {
            out.error(c, "rss-empty", "<guid> must not be empty", SPEC);
        }
        return;
    }
    if !permalink {
        return;
    }
    let lower = v.to_ascii_lowercase();
    let hint = "add isPermaLink=\"false\" if it is an identifier, not a link";
    if lower.starts_with("tag:") || lower.starts_with("urn:uuid:") {
        out.error(c, "rss-guid-not-permalink", &format!("<guid> `{v}` is an identifier that locates nothing, but isPermaLink (true unless it says false) makes it a link; {hint}"), SPEC);
    } else if !super::checks::is_iri_chars(v) || !v.is_ascii() {
        out.error(c, "rss-invalid-permalink", &format!("<guid> `{v}` is a permalink (isPermaLink defaults to true) but not a URI: it holds characters a URI cannot; {hint}"), SPEC);
    } else if !is_absolute_iri(v) {
        out.error(c, "rss-invalid-permalink", &format!("<guid> `{v}` is a permalink (isPermaLink defaults to true) but not a full URL a browser can open; {hint}"), SPEC);
    } else if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        out.warn(c, "rss-permalink-not-web", &format!("<guid> `{v}` is a permalink but not an http(s) URL, so most readers cannot open it; {hint}"), SPEC);
    }
}

/// Validates an RSS 1.0 (RDF) document's core: channel and items with title and link.
pub fn validate_rdf(rdf: &Element, out: &mut Out) {
    // RSS 0.90 is RDF too, with its own namespace and no rdf:about or <items>.
    let ns = if rdf.child(RSS090_NS, "channel").is_some() {
        RSS090_NS
    } else {
        RSS1_NS
    };
    let rss10 = ns == RSS1_NS;
    let Some(channel) = rdf.child(ns, "channel") else {
        out.error(
            rdf,
            "rss1-missing-channel",
            "an RSS 1.0 document must contain a <channel> in the RSS 1.0 namespace",
            "RSS 1.0 §5.3",
        );
        return;
    };
    let required: [(&str, &[&str], &str); 4] = [
        (
            "channel",
            &["title", "link", "description", "items"],
            "RSS 1.0 §5.3",
        ),
        ("item", &["title", "link"], "RSS 1.0 §5.5"),
        ("image", &["title", "url", "link"], "RSS 1.0 §5.4"),
        (
            "textinput",
            &["title", "description", "name", "link"],
            "RSS 1.0 §5.6",
        ),
    ];
    let parts = std::iter::once(channel).chain(
        rdf.children
            .iter()
            .filter(|c| &*c.ns == ns && matches!(c.name.as_str(), "item" | "image" | "textinput")),
    );
    for part in parts {
        let Some((_, names, spec)) = required.iter().find(|(n, _, _)| *n == part.name) else {
            continue;
        };
        for name in names.iter().filter(|n| rss10 || **n != "items") {
            if part.child(ns, name).is_none() {
                out.error(
                    part,
                    &format!("rss1-missing-{name}"),
                    &format!("<{}> must contain a <{name}>", part.name),
                    spec,
                );
            }
        }
        if rss10
            && !part
                .attrs
                .iter()
                .any(|a| &*a.ns == RDF_NS && a.name == "about")
        {
            out.error(
                part,
                "rss1-missing-about",
                &format!("<{}> must have an rdf:about naming its URI", part.name),
                spec,
            );
        }
        // Every `link` (and an image's `url`) is a full URL.
        for link in part
            .children
            .iter()
            .filter(|c| &*c.ns == ns && matches!(c.name.as_str(), "link" | "url"))
        {
            let v = link.text.trim();
            if !is_absolute_iri(v) {
                out.error(
                    link,
                    "rss1-invalid-url",
                    &format!("<{}> `{v}` must be a full URL", link.name),
                    spec,
                );
            }
        }
    }
}
