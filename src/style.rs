//! How outputs look in a browser: `<?xml-stylesheet?>` instructions, the
//! stylesheets feedwright writes (`feedwright.xsl: true`), a user's own
//! `feed.xslt.xml` / `sitemap.xsl` (honoured as jekyll-feed and
//! jekyll-sitemap honour them), and indented XML (`feedwright.pretty: true`).
//!
//! Browsers are removing XSLT (Chromium: deprecated in M143, off by default
//! from about M155–M158, gone in M164; Gecko and WebKit agreed), so every
//! feedwright stylesheet instruction comes with a CSS one: where XSLT still
//! runs it wins and the CSS is not used; where it is gone, the CSS styles
//! the raw XML into a readable list instead of the browser's XML tree view.

use crate::config::SiteConfig;
use std::path::Path;

/// feedwright's Atom stylesheet, written at [`ATOM_XSL_PATH`].
pub const ATOM_XSL: &str = include_str!("style/atom.xsl");
/// feedwright's RSS stylesheet, written at [`RSS_XSL_PATH`].
pub const RSS_XSL: &str = include_str!("style/rss.xsl");
/// feedwright's sitemap stylesheet (sitemaps, sitemap indexes, news sitemaps).
pub const SITEMAP_XSL: &str = include_str!("style/sitemap.xsl");
/// The CSS that styles the raw XML where a browser no longer runs XSLT.
pub const FALLBACK_CSS: &str = include_str!("style/feedwright.css");

/// Where feedwright writes its stylesheets, relative to the destination.
pub const ATOM_XSL_PATH: &str = "atom.xsl";
/// See [`ATOM_XSL_PATH`].
pub const RSS_XSL_PATH: &str = "rss.xsl";
/// jekyll-sitemap's name, so a user's own `sitemap.xsl` takes its place.
pub const SITEMAP_XSL_PATH: &str = "sitemap.xsl";
/// See [`ATOM_XSL_PATH`].
pub const FALLBACK_CSS_PATH: &str = "feedwright.css";
/// jekyll-feed's stylesheet name: when the source has it, Atom feeds use it.
pub const USER_FEED_XSL: &str = "feed.xslt.xml";

/// Which kind of document an instruction is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Atom feeds (main, category, tag).
    Atom,
    /// RSS feeds.
    Rss,
    /// Sitemaps, sitemap indexes and news sitemaps.
    Sitemap,
}

/// The stylesheet instructions and files of one build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Styles {
    atom: Option<String>,
    rss: Option<String>,
    sitemap: Option<String>,
    /// The fallback CSS's root-relative href, when feedwright's styles are on.
    css: Option<String>,
    /// The stylesheet files to write.
    files: Vec<(&'static str, &'static str)>,
    pretty: bool,
}

impl Styles {
    /// The styles for a site: `feedwright.xsl`, `feedwright.pretty`, and the
    /// user's `feed.xslt.xml` / `sitemap.xsl` in `source`.
    pub fn for_site(config: &SiteConfig, source: &Path) -> Styles {
        // jekyll-feed and jekyll-sitemap link a user's stylesheet by its
        // absolute URL, whatever else is configured; their exact instructions.
        let user = |name: &str, mime: &str| {
            source
                .join(name)
                .is_file()
                .then(|| config.site_url(name).ok())
                .flatten()
                .map(|url| instruction(mime, url.as_str()))
        };
        let mut styles = Styles {
            atom: user(USER_FEED_XSL, "text/xml"),
            sitemap: user(SITEMAP_XSL_PATH, "text/xsl"),
            pretty: config.pretty,
            ..Styles::default()
        };
        if config.xsl {
            // Root-relative, so the pages also work on a preview host:
            // browsers refuse a stylesheet from another origin.
            // The site's path with its baseurl, such as `/blog/` (`base` ends in `/`).
            let root = url::Url::parse(config.base.as_str())
                .map(|u| u.path().to_string())
                .unwrap_or_else(|_| "/".into());
            let href = |path: &str| format!("{root}{path}");
            let ours = |slot: &mut Option<String>, files: &mut Vec<_>, path, text| {
                if slot.is_none() {
                    *slot = Some(instruction("text/xsl", &href(path)));
                    files.push((path, text));
                }
            };
            ours(&mut styles.atom, &mut styles.files, ATOM_XSL_PATH, ATOM_XSL);
            ours(&mut styles.rss, &mut styles.files, RSS_XSL_PATH, RSS_XSL);
            ours(
                &mut styles.sitemap,
                &mut styles.files,
                SITEMAP_XSL_PATH,
                SITEMAP_XSL,
            );
            styles.css = Some(instruction("text/css", &href(FALLBACK_CSS_PATH)));
            styles.files.push((FALLBACK_CSS_PATH, FALLBACK_CSS));
        }
        styles
    }

    /// The stylesheet files to publish, as (path relative to the
    /// destination, contents). A user's own stylesheet is not among them:
    /// like `robots.txt`, it is published with the rest of their site.
    pub fn files(&self) -> &[(&'static str, &'static str)] {
        &self.files
    }

    /// `xml` with its stylesheet instructions after the XML declaration,
    /// indented when `feedwright.pretty` is on.
    pub fn finish(&self, kind: Kind, xml: Vec<u8>) -> Vec<u8> {
        let xsl = match kind {
            Kind::Atom => &self.atom,
            Kind::Rss => &self.rss,
            Kind::Sitemap => &self.sitemap,
        };
        let mut pis = String::new();
        for pi in xsl.iter().chain(xsl.as_ref().and(self.css.as_ref())) {
            pis.push_str(pi);
            pis.push('\n');
        }
        let xml = if self.pretty { indent(&xml) } else { xml };
        if pis.is_empty() {
            return xml;
        }
        insert_after_declaration(xml, &pis)
    }

    /// A feed written by the format with this MIME type, finished as
    /// [`Styles::finish`] does; JSON Feed passes through untouched.
    pub fn finish_feed(&self, mime: &str, bytes: Vec<u8>) -> Vec<u8> {
        match mime {
            "application/atom+xml" => self.finish(Kind::Atom, bytes),
            "application/rss+xml" => self.finish(Kind::Rss, bytes),
            _ => bytes,
        }
    }

    /// A sitemap with its instructions (and indented, if asked), never
    /// larger than the protocol's limit: a part that indenting would push
    /// past it is written unindented. Parts are split with
    /// [`Styles::sitemap_limits`], which leaves room for the instructions.
    pub fn finish_sitemap(&self, xml: Vec<u8>) -> Vec<u8> {
        let styled = self.finish(Kind::Sitemap, xml.clone());
        if styled.len() <= crate::sitemap::MAX_BYTES {
            styled
        } else {
            Styles {
                pretty: false,
                ..self.clone()
            }
            .finish(Kind::Sitemap, xml)
        }
    }

    /// The protocol's limits less room for the stylesheet instructions.
    pub fn sitemap_limits(&self) -> crate::sitemap::Limits {
        let mut limits = crate::sitemap::Limits::default();
        if self.sitemap.is_some() {
            limits.max_bytes -= 4096;
        }
        limits
    }
}

/// An `<?xml-stylesheet?>` instruction. Its pseudo-attributes take the
/// predefined entities, so `&` and `"` are escaped as in an attribute.
fn instruction(mime: &str, href: &str) -> String {
    let href = href.replace('&', "&amp;").replace('"', "&quot;");
    format!("<?xml-stylesheet type=\"{mime}\" href=\"{href}\"?>")
}

/// Inserts `text` (whole lines) after the XML declaration, or at the start
/// when there is none.
fn insert_after_declaration(mut xml: Vec<u8>, text: &str) -> Vec<u8> {
    let at = if xml.starts_with(b"<?xml ") {
        match memchr::memmem::find(&xml, b"?>") {
            Some(end) => end + 2,
            None => return xml,
        }
    } else {
        0
    };
    let mut insert = Vec::with_capacity(text.len() + 1);
    if at > 0 {
        insert.push(b'\n');
        xml.drain(at..at + xml[at..].iter().take_while(|&&b| b == b'\n').count());
    }
    insert.extend_from_slice(text.as_bytes());
    xml.splice(at..at, insert);
    xml
}

/// Re-indents an XML document two spaces a level, changing only whitespace
/// that carries no meaning: between the children of an element whose
/// content is elements only. Text, CDATA, references and attributes are
/// copied byte for byte, and an element holding any text is left exactly as
/// it was. A document the reader cannot follow is returned unchanged (the
/// validator then reports it).
pub fn indent(xml: &[u8]) -> Vec<u8> {
    use quick_xml::events::Event;
    #[derive(Clone, Copy, PartialEq)]
    enum Item {
        Open,
        Close,
        Leaf,
        Blank,
        Text,
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut items: Vec<(Item, std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    loop {
        let item = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(_)) => Item::Open,
            Ok(Event::End(_)) => Item::Close,
            Ok(Event::Text(t)) if t.iter().all(u8::is_ascii_whitespace) => Item::Blank,
            Ok(Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => Item::Text,
            Ok(_) => Item::Leaf,
            Err(_) => return xml.to_vec(),
        };
        let end = reader.buffer_position() as usize;
        items.push((item, start..end));
        start = end;
    }
    // For each element, whether its content is elements only (so its
    // children may be indented), found with a stack of open elements.
    let mut element_only = vec![false; items.len()];
    let mut stack: Vec<(usize, bool, bool)> = Vec::new(); // (open index, has child element, has text)
    for (i, (item, _)) in items.iter().enumerate() {
        match item {
            Item::Open => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
                stack.push((i, false, false));
            }
            Item::Leaf => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
            }
            Item::Text => {
                if let Some(top) = stack.last_mut() {
                    top.2 = true;
                }
            }
            Item::Close => {
                if let Some((open, children, text)) = stack.pop() {
                    let only = children && !text;
                    element_only[open] = only;
                    element_only[i] = only;
                }
            }
            Item::Blank => {}
        }
    }
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 4);
    // The open elements: whether each may have its children indented.
    let mut open: Vec<bool> = Vec::new();
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if !out.is_empty() {
            out.push(b'\n');
        }
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    for (i, (item, range)) in items.iter().enumerate() {
        let bytes = &xml[range.clone()];
        let parent_indents = open.last().copied().unwrap_or(true);
        match item {
            Item::Blank if parent_indents => {}
            Item::Open => {
                if parent_indents {
                    newline(&mut out, open.len());
                }
                out.extend_from_slice(bytes);
                open.push(element_only[i]);
            }
            Item::Close => {
                let indents = open.pop().unwrap_or(false);
                if indents {
                    newline(&mut out, open.len());
                }
                out.extend_from_slice(bytes);
            }
            Item::Leaf if parent_indents => {
                newline(&mut out, open.len());
                out.extend_from_slice(bytes);
            }
            _ => out.extend_from_slice(bytes),
        }
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> SiteConfig {
        let map = crate::yaml::parse_mapping(yaml).unwrap();
        SiteConfig::from_mapping(&map, Path::new("_config.yml"), None).unwrap()
    }

    /// Text content of every element, attributes, and the order of elements:
    /// what indenting must not change.
    fn shape(xml: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(xml).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap();
        doc.descendants()
            .filter(|n| n.is_element())
            .map(|n| {
                let own: String = n
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                let has_elements = n.children().any(|c| c.is_element());
                let own = if has_elements && own.trim().is_empty() {
                    String::new()
                } else {
                    own
                };
                let attrs: Vec<String> = n
                    .attributes()
                    .map(|a| format!("{}={}", a.name(), a.value()))
                    .collect();
                format!("{:?} {attrs:?} {own:?}", n.tag_name())
            })
            .collect()
    }

    #[test]
    fn each_stylesheet_is_well_formed_xslt_1_with_a_template_for_its_documents() {
        for (xsl, roots) in [
            (ATOM_XSL, &["/atom:feed"][..]),
            (RSS_XSL, &["/rss/channel"][..]),
            (SITEMAP_XSL, &["/", "s:urlset", "s:sitemapindex"][..]),
        ] {
            let doc = roxmltree::Document::parse(xsl).unwrap();
            let root = doc.root_element();
            assert_eq!(
                root.tag_name().namespace(),
                Some("http://www.w3.org/1999/XSL/Transform")
            );
            assert_eq!(root.tag_name().name(), "stylesheet");
            assert_eq!(root.attribute("version"), Some("1.0"));
            let matches: Vec<&str> = root
                .children()
                .filter(|n| n.tag_name().name() == "template")
                .filter_map(|n| n.attribute("match"))
                .collect();
            assert_eq!(matches, roots);
            // Every element is XSLT's own or plain HTML output: an XSLT
            // element from a misspelt namespace would print as text.
            for n in doc.descendants().filter(|n| n.is_element()) {
                let ns = n.tag_name().namespace();
                assert!(
                    ns.is_none() || ns == Some("http://www.w3.org/1999/XSL/Transform"),
                    "{:?}",
                    n.tag_name()
                );
            }
        }
    }

    #[test]
    fn stylesheets_load_nothing_from_elsewhere() {
        for text in [ATOM_XSL, RSS_XSL, SITEMAP_XSL, FALLBACK_CSS] {
            for banned in ["<script", "@import", "url(", "<link", "src=", "@font-face"] {
                // `@namespace … url(…)` names a namespace; it loads nothing.
                let found = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("@namespace"))
                    .any(|l| l.contains(banned));
                assert!(!found, "{banned} in {}", &text[..80]);
            }
        }
    }

    #[test]
    fn xsl_on_adds_an_xsl_and_a_css_instruction_after_the_declaration() {
        let styles = Styles::for_site(
            &config("url: https://e.com\nbaseurl: /blog\nfeedwright:\n  xsl: true\n"),
            Path::new("/nonexistent"),
        );
        let out = styles.finish(
            Kind::Rss,
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"/>".to_vec(),
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <?xml-stylesheet type=\"text/xsl\" href=\"/blog/rss.xsl\"?>\n\
             <?xml-stylesheet type=\"text/css\" href=\"/blog/feedwright.css\"?>\n\
             <rss version=\"2.0\"/>"
        );
        let paths: Vec<&str> = styles.files().iter().map(|f| f.0).collect();
        assert_eq!(
            paths,
            ["atom.xsl", "rss.xsl", "sitemap.xsl", "feedwright.css"]
        );
    }

    #[test]
    fn by_default_outputs_are_untouched() {
        let styles = Styles::for_site(&config("url: https://e.com\n"), Path::new("/nonexistent"));
        assert_eq!(styles, Styles::default());
        let xml = b"<?xml version=\"1.0\"?>\n<feed/>".to_vec();
        assert_eq!(styles.finish(Kind::Atom, xml.clone()), xml);
        assert!(styles.files().is_empty());
    }

    #[test]
    fn a_users_stylesheets_are_linked_as_jekyll_feed_and_jekyll_sitemap_link_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("feed.xslt.xml"), "<x/>").unwrap();
        std::fs::write(dir.path().join("sitemap.xsl"), "<x/>").unwrap();
        let styles = Styles::for_site(&config("url: https://e.com\nbaseurl: /blog\n"), dir.path());
        let atom = styles.finish(Kind::Atom, b"<?xml version=\"1.0\"?>\n<feed/>".to_vec());
        assert_eq!(
            String::from_utf8(atom).unwrap(),
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xml\" href=\"https://e.com/blog/feed.xslt.xml\"?>\n<feed/>"
        );
        let map = styles.finish(
            Kind::Sitemap,
            b"<?xml version=\"1.0\"?>\n<urlset/>".to_vec(),
        );
        assert!(String::from_utf8(map)
            .unwrap()
            .contains("<?xml-stylesheet type=\"text/xsl\" href=\"https://e.com/blog/sitemap.xsl\"?>\n<urlset/>"));
        // RSS has no jekyll-feed stylesheet; nothing of feedwright's is written.
        let rss = b"<?xml version=\"1.0\"?><rss/>".to_vec();
        assert_eq!(styles.finish(Kind::Rss, rss.clone()), rss);
        assert!(styles.files().is_empty());

        // With feedwright's own on too, the user's still win where they exist.
        let styles = Styles::for_site(
            &config("url: https://e.com\nfeedwright:\n  xsl: true\n"),
            dir.path(),
        );
        let paths: Vec<&str> = styles.files().iter().map(|f| f.0).collect();
        assert_eq!(paths, ["rss.xsl", "feedwright.css"]);
        let atom = String::from_utf8(
            styles.finish(Kind::Atom, b"<?xml version=\"1.0\"?>\n<feed/>".to_vec()),
        )
        .unwrap();
        assert!(atom.contains("href=\"https://e.com/feed.xslt.xml\"?>\n<?xml-stylesheet type=\"text/css\" href=\"/feedwright.css\"?>"));
    }

    #[test]
    fn indenting_changes_only_whitespace_between_elements() {
        let xml = "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A &amp; B <i/></title>\
                   <entry><title> </title><content type=\"html\">&lt;p&gt;x&lt;/p&gt;</content><link href=\"a?b=1&amp;c=2\"/>\
                   <summary><![CDATA[ x ]]></summary></entry>\n<entry/></feed>";
        let out = indent(xml.as_bytes());
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(shape(&out), shape(xml.as_bytes()));
        assert_eq!(
            text,
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>A &amp; B <i/></title>\n  <entry>\n    <title> </title>\n    <content type=\"html\">&lt;p&gt;x&lt;/p&gt;</content>\n    <link href=\"a?b=1&amp;c=2\"/>\n    <summary><![CDATA[ x ]]></summary>\n  </entry>\n  <entry/>\n</feed>\n"
        );
        // Indenting twice changes nothing more.
        assert_eq!(indent(&out), out);
    }

    #[test]
    fn an_indented_sitemap_too_large_for_the_protocol_is_written_unindented() {
        let styles = Styles::for_site(
            &config("url: https://e.com\nfeedwright:\n  xsl: true\n  pretty: true\n"),
            Path::new("/nonexistent"),
        );
        let limits = styles.sitemap_limits();
        assert!(limits.max_bytes < crate::sitemap::MAX_BYTES);
        // A part that fills the (reduced) limit exactly, made of short
        // elements that indenting would grow by more than the room left.
        let head = "<?xml version=\"1.0\"?>\n<urlset>";
        let tail = "</urlset>";
        let url = "<url><loc>https://e.com/</loc></url>";
        let n = (limits.max_bytes - head.len() - tail.len()) / url.len();
        let xml = format!("{head}{}{tail}", url.repeat(n));
        let out = styles.finish_sitemap(xml.clone().into_bytes());
        assert!(out.len() <= crate::sitemap::MAX_BYTES, "{}", out.len());
        assert!(out.starts_with(b"<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\""));
        assert!(!out.windows(6).any(|w| w == b"\n  <ur"));
        // A small one is indented.
        let small = styles.finish_sitemap(format!("{head}{url}{tail}").into_bytes());
        assert!(String::from_utf8(small)
            .unwrap()
            .contains("<urlset>\n  <url>\n    <loc>"));
    }
}
