//! Extension vocabularies inside RSS 2.0, RSS 1.0 and Atom: iTunes (as Apple
//! Podcasts requires it today), the Podcasting 2.0 `podcast:` namespace,
//! Media RSS, Dublin Core elements and terms, `content`, `slash`, `wfw`, `sy`,
//! GeoRSS-Simple, W3C `geo` (and the older `icbm`/`geourl`), Atom threading,
//! OpenSearch, trackback and Creative Commons.
//!
//! One table: each known element with the places it may appear, the rule its
//! value follows and whether it may repeat. An element of a vocabulary listed
//! here but not in its table is an error (the vocabulary defines no such
//! element), except in the `podcast:` namespace, which grows every few months
//! and gets a warning. Namespaces not listed here are other people's
//! extensions and are left alone, as RSS 2.0 and RFC 4287 §6 allow.

use super::checks::{is_absolute_iri, is_email, is_mime_type, is_w3c_datetime, Out};
use super::shared::Severity;
use super::xml::Element;

pub const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
const PODCAST_OLD: &str =
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
pub const SLASH: &str = "http://purl.org/rss/1.0/modules/slash/";
pub const WFW: &str = "http://wellformedweb.org/CommentAPI/";
pub const SY: &str = "http://purl.org/rss/1.0/modules/syndication/";
pub const GEORSS: &str = "http://www.georss.org/georss";
pub const GML: &str = "http://www.opengis.net/gml";
pub const GEO: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
const ICBM: &str = "http://postneo.com/icbm";
const GEOURL: &str = "http://geourl.org/rss/module/";
pub const THR: &str = "http://purl.org/syndication/thread/1.0";
pub const OPENSEARCH: &str = "http://a9.com/-/spec/opensearch/1.1/";
const OPENSEARCH10: &str = "http://a9.com/-/spec/opensearchrss/1.0/";
pub const TRACKBACK: &str = "http://madskills.com/public/xml/rss/module/trackback/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const CREATIVE_COMMONS: &str = "http://backend.userland.com/creativeCommonsRssModule";

/// Where an element stands: directly in the channel (or Atom feed), or in an
/// item (or Atom entry).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Channel,
    Item,
}

/// A vocabulary: its namespace, the prefix its codes carry, and its spec.
struct Vocab {
    ns: &'static str,
    code: &'static str,
    spec: &'static str,
    /// What an element the vocabulary does not define costs.
    undefined: Severity,
}

const VOCABS: &[Vocab] = &[
    Vocab {
        ns: ITUNES,
        code: "itunes",
        spec: "Apple Podcasts RSS feed requirements (podcasters.apple.com/support/823)",
        undefined: Severity::Error,
    },
    Vocab {
        ns: PODCAST,
        code: "podcast",
        spec: "Podcast Namespace 1.0 (podcastindex.org/namespace/1.0)",
        undefined: Severity::Warning,
    },
    Vocab {
        ns: PODCAST_OLD,
        code: "podcast",
        spec: "Podcast Namespace 1.0 (podcastindex.org/namespace/1.0)",
        undefined: Severity::Warning,
    },
    Vocab {
        ns: MEDIA,
        code: "media",
        spec: "Media RSS 1.5.1",
        undefined: Severity::Error,
    },
    Vocab {
        ns: DC,
        code: "dc",
        spec: "DCMI Metadata Terms §3 (Dublin Core elements 1.1)",
        undefined: Severity::Error,
    },
    Vocab {
        ns: DCTERMS,
        code: "dcterms",
        spec: "DCMI Metadata Terms §2",
        undefined: Severity::Error,
    },
    Vocab {
        ns: CONTENT,
        code: "content",
        spec: "RSS 1.0 Content module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: SLASH,
        code: "slash",
        spec: "RSS 1.0 Slash module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: WFW,
        code: "wfw",
        spec: "Well-Formed Web Comment API",
        undefined: Severity::Error,
    },
    Vocab {
        ns: SY,
        code: "sy",
        spec: "RSS 1.0 Syndication module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: GEORSS,
        code: "georss",
        spec: "GeoRSS-Simple",
        undefined: Severity::Error,
    },
    Vocab {
        ns: GEO,
        code: "geo",
        spec: "W3C Basic Geo (WGS84 lat/long) Vocabulary",
        undefined: Severity::Error,
    },
    Vocab {
        ns: ICBM,
        code: "geo",
        spec: "ICBM RSS module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: GEOURL,
        code: "geo",
        spec: "GeoURL RSS module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: THR,
        code: "thr",
        spec: "RFC 4685 (Atom Threading Extensions)",
        undefined: Severity::Error,
    },
    Vocab {
        ns: OPENSEARCH,
        code: "opensearch",
        spec: "OpenSearch 1.1 §OpenSearch response elements",
        undefined: Severity::Error,
    },
    Vocab {
        ns: OPENSEARCH10,
        code: "opensearch",
        spec: "OpenSearch RSS 1.0",
        undefined: Severity::Error,
    },
    Vocab {
        ns: CREATIVE_COMMONS,
        code: "cc",
        spec: "Creative Commons RSS module",
        undefined: Severity::Error,
    },
    Vocab {
        ns: TRACKBACK,
        code: "trackback",
        spec: "RSS trackback module",
        undefined: Severity::Error,
    },
];

/// What an element's value must be.
#[derive(Clone, Copy)]
enum Rule {
    /// Any text (or children the vocabulary leaves open).
    Any,
    /// Text of at most this many characters.
    MaxLen(usize),
    NonNegativeInt,
    PositiveInt,
    Decimal,
    Latitude,
    Longitude,
    W3cDate,
    /// An absolute URI (in the text, or in `rdf:resource` in RSS 1.0).
    FullUrl,
    Language,
    TrueFalse,
    YesNo,
    YesNoClean,
    Enum(&'static [&'static str]),
    Duration,
    CommaIntegers,
    Email,
    /// GeoRSS / GML: one `lat long` pair.
    Point,
    /// GeoRSS / GML: at least this many `lat long` pairs.
    Points(usize),
    /// `itunes:keywords`: at most 255 characters, separated by commas.
    Keywords,
    /// Checked by [`special`] (children, attributes).
    Special,
}

const C: u8 = 1;
const I: u8 = 2;
const B: u8 = C | I;

/// (namespace, name, places, rule, may repeat)
type Def = (&'static str, &'static str, u8, Rule, bool);

const DEFS: &[Def] = &[
    // Apple Podcasts: podcasters.apple.com/support/823-podcast-requirements.
    (ITUNES, "author", B, Rule::MaxLen(255), false),
    (ITUNES, "block", B, Rule::YesNoClean, false),
    (ITUNES, "explicit", B, Rule::TrueFalse, false),
    (ITUNES, "keywords", B, Rule::Keywords, false),
    (ITUNES, "subtitle", B, Rule::MaxLen(255), false),
    (ITUNES, "summary", B, Rule::MaxLen(4000), false),
    (ITUNES, "image", B, Rule::Special, false),
    (ITUNES, "title", B, Rule::Any, false),
    (ITUNES, "owner", C, Rule::Special, false),
    (ITUNES, "category", C, Rule::Special, true),
    (ITUNES, "new-feed-url", C, Rule::FullUrl, false),
    (
        ITUNES,
        "type",
        C,
        Rule::Enum(&["episodic", "serial"]),
        false,
    ),
    (ITUNES, "complete", C, Rule::YesNo, false),
    (ITUNES, "pubDate", C, Rule::Any, false),
    (ITUNES, "duration", I, Rule::Duration, false),
    (ITUNES, "episode", I, Rule::PositiveInt, false),
    (ITUNES, "season", I, Rule::PositiveInt, false),
    (
        ITUNES,
        "episodeType",
        I,
        Rule::Enum(&["full", "trailer", "bonus"]),
        false,
    ),
    (ITUNES, "order", I, Rule::PositiveInt, false),
    // Podcasting 2.0.
    (PODCAST, "locked", C, Rule::Special, false),
    (PODCAST, "funding", C, Rule::Special, true),
    (PODCAST, "guid", C, Rule::Special, false),
    (
        PODCAST,
        "medium",
        C,
        Rule::Enum(&[
            "podcast",
            "music",
            "video",
            "film",
            "audiobook",
            "newsletter",
            "blog",
            "publisher",
            "course",
            "mixed",
            "podcastL",
            "musicL",
            "videoL",
            "filmL",
            "audiobookL",
            "newsletterL",
            "blogL",
            "publisherL",
            "courseL",
        ]),
        false,
    ),
    (PODCAST, "trailer", C, Rule::Special, true),
    (PODCAST, "transcript", I, Rule::Special, true),
    (PODCAST, "chapters", I, Rule::Special, false),
    (PODCAST, "soundbite", I, Rule::Special, true),
    (PODCAST, "season", I, Rule::Special, false),
    (PODCAST, "episode", I, Rule::Special, false),
    (PODCAST, "alternateEnclosure", I, Rule::Special, true),
    (PODCAST, "person", B, Rule::Any, true),
    (PODCAST, "location", B, Rule::Any, true),
    (PODCAST, "license", B, Rule::Any, false),
    (PODCAST, "images", B, Rule::Any, false),
    (PODCAST, "value", B, Rule::Any, true),
    (PODCAST, "socialInteract", I, Rule::Any, true),
    (PODCAST, "contentLink", I, Rule::Any, true),
    (PODCAST, "liveItem", C, Rule::Any, true),
    (PODCAST, "block", C, Rule::Any, true),
    (PODCAST, "txt", B, Rule::Any, true),
    (PODCAST, "remoteItem", B, Rule::Any, true),
    (PODCAST, "podroll", C, Rule::Any, false),
    (PODCAST, "updateFrequency", C, Rule::Any, false),
    (PODCAST, "podping", C, Rule::Any, false),
    (PODCAST, "chat", B, Rule::Any, false),
    (PODCAST, "publisher", C, Rule::Any, false),
    // Media RSS 1.5.1 (optional elements; media:content and media:group on their own).
    (MEDIA, "content", B, Rule::Special, true),
    (MEDIA, "group", B, Rule::Special, true),
    (MEDIA, "rating", B, Rule::Any, true),
    (MEDIA, "title", B, Rule::Any, false),
    (MEDIA, "description", B, Rule::Any, false),
    (MEDIA, "keywords", B, Rule::Any, false),
    (MEDIA, "thumbnail", B, Rule::Special, true),
    (MEDIA, "category", B, Rule::Any, true),
    (MEDIA, "hash", B, Rule::Any, true),
    (MEDIA, "player", B, Rule::Special, false),
    (MEDIA, "credit", B, Rule::Any, true),
    (MEDIA, "copyright", B, Rule::Any, false),
    (MEDIA, "text", B, Rule::Any, true),
    (MEDIA, "restriction", B, Rule::Special, true),
    (MEDIA, "community", B, Rule::Any, false),
    (MEDIA, "comments", B, Rule::Any, false),
    (MEDIA, "embed", B, Rule::Any, false),
    (MEDIA, "responses", B, Rule::Any, false),
    (MEDIA, "backLinks", B, Rule::Any, false),
    (MEDIA, "status", B, Rule::Any, false),
    (MEDIA, "price", B, Rule::Any, true),
    (MEDIA, "license", B, Rule::Any, true),
    (MEDIA, "subTitle", B, Rule::Any, true),
    (MEDIA, "peerLink", B, Rule::Any, true),
    (MEDIA, "location", B, Rule::Any, true),
    (MEDIA, "rights", B, Rule::Any, false),
    (MEDIA, "scenes", B, Rule::Any, false),
    (MEDIA, "adult", B, Rule::TrueFalse, false),
    // Dublin Core elements 1.1: the fifteen, anywhere.
    (DC, "title", B, Rule::Any, false),
    (DC, "creator", B, Rule::Any, true),
    (DC, "subject", B, Rule::Any, true),
    (DC, "description", B, Rule::Any, false),
    (DC, "publisher", B, Rule::Any, true),
    (DC, "contributor", B, Rule::Any, true),
    (DC, "date", B, Rule::W3cDate, false),
    (DC, "type", B, Rule::Any, false),
    (DC, "format", B, Rule::Any, false),
    (DC, "identifier", B, Rule::Any, true),
    (DC, "source", B, Rule::Any, false),
    (DC, "language", B, Rule::Language, false),
    (DC, "relation", B, Rule::Any, true),
    (DC, "coverage", B, Rule::Any, true),
    (DC, "rights", B, Rule::Any, false),
    // Content, Slash, wfw, trackback: items.
    (CONTENT, "encoded", I, Rule::Any, false),
    (CONTENT, "items", B, Rule::Any, false),
    (SLASH, "comments", I, Rule::NonNegativeInt, false),
    (SLASH, "section", I, Rule::Any, true),
    (SLASH, "department", I, Rule::Any, true),
    (SLASH, "hit_parade", I, Rule::CommaIntegers, false),
    (WFW, "comment", I, Rule::FullUrl, false),
    (WFW, "commentRss", I, Rule::FullUrl, false),
    (WFW, "commentRSS", I, Rule::FullUrl, false),
    // Creative Commons: the URL of the licence, channel or item.
    (CREATIVE_COMMONS, "license", B, Rule::FullUrl, true),
    (TRACKBACK, "ping", I, Rule::FullUrl, false),
    (TRACKBACK, "about", I, Rule::FullUrl, true),
    // Syndication: the channel's update schedule.
    (
        SY,
        "updatePeriod",
        C,
        Rule::Enum(&["hourly", "daily", "weekly", "monthly", "yearly"]),
        false,
    ),
    (SY, "updateFrequency", C, Rule::PositiveInt, false),
    (SY, "updateBase", C, Rule::W3cDate, false),
    // GeoRSS-Simple (both the spec's lower-case and the common camel-case spellings).
    (GEORSS, "point", B, Rule::Point, true),
    (GEORSS, "line", B, Rule::Points(2), true),
    (GEORSS, "polygon", B, Rule::Points(4), true),
    (GEORSS, "box", B, Rule::Points(2), true),
    (GEORSS, "where", B, Rule::Special, true),
    (GEORSS, "elev", B, Rule::Decimal, false),
    (GEORSS, "floor", B, Rule::Decimal, false),
    (GEORSS, "radius", B, Rule::Decimal, false),
    (GEORSS, "featuretypetag", B, Rule::Any, false),
    (GEORSS, "relationshiptag", B, Rule::Any, false),
    (GEORSS, "featurename", B, Rule::Any, false),
    (GEORSS, "featureTypeTag", B, Rule::Any, false),
    (GEORSS, "relationshipTag", B, Rule::Any, false),
    (GEORSS, "featureName", B, Rule::Any, false),
    // W3C geo and its predecessors.
    (GEO, "lat", B, Rule::Latitude, false),
    (GEO, "long", B, Rule::Longitude, false),
    (GEO, "alt", B, Rule::Decimal, false),
    (GEO, "Point", B, Rule::Special, true),
    (ICBM, "latitude", B, Rule::Latitude, false),
    (ICBM, "longitude", B, Rule::Longitude, false),
    (GEOURL, "latitude", B, Rule::Latitude, false),
    (GEOURL, "longitude", B, Rule::Longitude, false),
    // Atom threading (RFC 4685 §3, §5).
    (THR, "in-reply-to", B, Rule::Special, true),
    (THR, "total", I, Rule::NonNegativeInt, false),
    // OpenSearch 1.1 response elements.
    (OPENSEARCH, "totalResults", C, Rule::NonNegativeInt, false),
    (OPENSEARCH, "startIndex", C, Rule::Decimal, false),
    (OPENSEARCH, "itemsPerPage", C, Rule::NonNegativeInt, false),
    (OPENSEARCH, "Query", C, Rule::Special, true),
    (OPENSEARCH10, "totalResults", C, Rule::NonNegativeInt, false),
    (OPENSEARCH10, "startIndex", C, Rule::Decimal, false),
    (OPENSEARCH10, "itemsPerPage", C, Rule::NonNegativeInt, false),
];

/// DCMI Metadata Terms §2: every term of the `dcterms:` namespace.
const DCTERMS_NAMES: &[&str] = &[
    "abstract",
    "accessRights",
    "accrualMethod",
    "accrualPeriodicity",
    "accrualPolicy",
    "alternative",
    "audience",
    "available",
    "bibliographicCitation",
    "conformsTo",
    "contributor",
    "coverage",
    "created",
    "creator",
    "date",
    "dateAccepted",
    "dateCopyrighted",
    "dateSubmitted",
    "description",
    "educationLevel",
    "extent",
    "format",
    "hasFormat",
    "hasPart",
    "hasVersion",
    "identifier",
    "instructionalMethod",
    "isFormatOf",
    "isPartOf",
    "isReferencedBy",
    "isReplacedBy",
    "isRequiredBy",
    "issued",
    "isVersionOf",
    "language",
    "license",
    "mediator",
    "medium",
    "modified",
    "provenance",
    "publisher",
    "references",
    "relation",
    "replaces",
    "requires",
    "rights",
    "rightsHolder",
    "source",
    "spatial",
    "subject",
    "tableOfContents",
    "temporal",
    "title",
    "type",
    "valid",
];

fn vocab(ns: &str) -> Option<&'static Vocab> {
    VOCABS.iter().find(|v| v.ns == ns)
}

fn lookup(ns: &str, name: &str) -> Option<(u8, Rule, bool)> {
    if ns == DCTERMS {
        return DCTERMS_NAMES.contains(&name).then(|| {
            let rule = match name {
                // The others (available, valid, dateAccepted...) may hold DCMI periods.
                "created" | "issued" | "modified" | "date" => Rule::W3cDate,
                "language" => Rule::Language,
                _ => Rule::Any,
            };
            (
                B,
                rule,
                !matches!(
                    name,
                    "created" | "issued" | "modified" | "title" | "abstract"
                ),
            )
        });
    }
    let ns = if ns == PODCAST_OLD { PODCAST } else { ns };
    DEFS.iter()
        .find(|d| d.0 == ns && d.1 == name)
        .map(|d| (d.2, d.3, d.4))
}

/// Checks the extension elements among `parent`'s children, which stands at `place`.
pub fn check(parent: &Element, place: Place, rdf: bool, out: &mut Out) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for c in &parent.children {
        let Some(v) = vocab(&c.ns) else { continue };
        let Some((places, rule, repeats)) = lookup(&c.ns, &c.name) else {
            let message = format!("<{}> is not an element of {} ({})", c.qname, v.spec, v.ns);
            out.push(
                c,
                v.undefined,
                &format!("{}-undefined-element", v.code),
                &message,
                v.spec,
            );
            continue;
        };
        let here = match place {
            Place::Channel => C,
            Place::Item => I,
        };
        if places & here == 0 {
            let (is, isnt) = match place {
                Place::Channel => ("an item", "the channel (or feed)"),
                Place::Item => ("the channel (or feed)", "an item (or entry)"),
            };
            out.error(
                c,
                &format!("{}-misplaced-element", v.code),
                &format!("<{}> belongs in {is}, not in {isnt}", c.qname),
                v.spec,
            );
            continue;
        }
        if !repeats {
            let key = (&*c.ns, c.name.as_str());
            if seen.contains(&key) {
                out.error(
                    c,
                    &format!("{}-duplicate-element", v.code),
                    &format!("<{}> may appear only once here", c.qname),
                    v.spec,
                );
            } else {
                seen.push(key);
            }
        }
        value(c, rule, v, rdf, out);
    }
    if place == Place::Channel {
        itunes_channel(parent, out);
    }
}

/// Apple Podcasts' required channel tags, once a feed uses the iTunes namespace.
fn itunes_channel(channel: &Element, out: &mut Out) {
    let uses = |el: &Element| el.children.iter().any(|c| &*c.ns == ITUNES);
    let items_use = channel.children.iter().any(|c| c.name == "item" && uses(c));
    if !uses(channel) && !items_use {
        return;
    }
    let spec = VOCABS[0].spec;
    if channel.child("", "language").is_none() && channel.xml_attr("lang").is_none() {
        out.warn(
            channel,
            "itunes-missing-element",
            "a podcast's channel should name its <language>",
            spec,
        );
    }
    for (name, what) in [
        ("category", "<itunes:category>"),
        ("explicit", "<itunes:explicit>"),
    ] {
        if channel.child(ITUNES, name).is_none() {
            out.warn(
                channel,
                "itunes-missing-element",
                &format!("a podcast's channel should have {what}"),
                spec,
            );
        }
    }
    if channel.child(ITUNES, "owner").is_none() {
        out.warn(channel, "itunes-missing-owner", "a podcast's channel should have an <itunes:owner> with the <itunes:email> Apple contacts", spec);
    }
}

fn text_of(el: &Element) -> &str {
    el.text.trim()
}

/// Numbers as the XML Schema decimal type writes them: optional sign, digits, optional fraction.
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn in_range(s: &str, limit: f64) -> bool {
    is_decimal(s)
        && s.parse::<f64>()
            .is_ok_and(|v| (-limit..=limit).contains(&v))
}

fn is_integer(s: &str) -> bool {
    let d = s.strip_prefix(['-', '+']).unwrap_or(s);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

fn positive(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u64>().is_ok_and(|v| v > 0)
}

/// A GeoRSS/GML coordinate list: numbers separated by white space, in pairs.
fn pairs(s: &str) -> Option<usize> {
    let nums: Vec<&str> = s.split_whitespace().collect();
    (nums.len().is_multiple_of(2) && nums.iter().all(|n| is_decimal(n))).then_some(nums.len() / 2)
}

/// `itunes:duration`: seconds, or `[H:]MM:SS` (Apple: "HH:MM:SS, H:MM:SS, MM:SS or M:SS").
fn is_duration(s: &str) -> bool {
    let mut parts = s.split(':');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.len() <= 2
        && rest
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) && p < &"60")
}

fn value(el: &Element, rule: Rule, v: &Vocab, rdf: bool, out: &mut Out) {
    let t = text_of(el);
    let code = |what: &str| format!("{}-{what}", v.code);
    let mut bad = |what: &str, message: String| out.error(el, &code(what), &message, v.spec);
    match rule {
        Rule::Any => {}
        Rule::MaxLen(n) => {
            let len = t.chars().count();
            if len > n {
                bad(
                    "too-long",
                    format!(
                        "<{}> is {len} characters long; at most {n} are allowed",
                        el.qname
                    ),
                );
            }
        }
        Rule::Keywords => {
            let len = t.chars().count();
            if len > 255 {
                bad(
                    "too-long",
                    format!(
                        "<{}> is {len} characters long; at most 255 are allowed",
                        el.qname
                    ),
                );
            } else if t.contains(' ') && !t.contains(',') {
                out.warn(
                    el,
                    &code("keywords-separator"),
                    &format!("<{}> should separate its keywords with commas", el.qname),
                    v.spec,
                );
            }
        }
        Rule::NonNegativeInt => {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                bad(
                    "invalid-integer",
                    format!("<{}> `{t}` must be a whole number, 0 or more", el.qname),
                );
            }
        }
        Rule::PositiveInt => {
            if !positive(t) {
                bad(
                    "invalid-integer",
                    format!("<{}> `{t}` must be a whole number, 1 or more", el.qname),
                );
            }
        }
        Rule::Decimal => {
            if !is_decimal(t) {
                bad(
                    "invalid-number",
                    format!("<{}> `{t}` must be a number", el.qname),
                );
            }
        }
        Rule::Latitude => {
            if !in_range(t, 90.0) {
                bad(
                    "invalid-latitude",
                    format!(
                        "<{}> `{t}` must be a latitude in decimal degrees, -90 to 90",
                        el.qname
                    ),
                );
            }
        }
        Rule::Longitude => {
            if !in_range(t, 180.0) {
                bad(
                    "invalid-longitude",
                    format!(
                        "<{}> `{t}` must be a longitude in decimal degrees, -180 to 180",
                        el.qname
                    ),
                );
            }
        }
        Rule::W3cDate => {
            if !is_w3c_datetime(t) {
                bad(
                    "invalid-date",
                    format!(
                        "<{}> `{t}` must be a W3C date-time such as 2002-10-02T10:00:00-05:00",
                        el.qname
                    ),
                );
            }
        }
        Rule::FullUrl => {
            let resource = el
                .attrs
                .iter()
                .find(|a| &*a.ns == RDF && a.name == "resource")
                .map(|a| a.value.trim());
            // The trackback module's RSS 1.0 form is RDF: the URL is the object
            // of `rdf:resource`; its RSS 2.0 form, like every other module's, is the text.
            let u = match (rdf && v.ns == TRACKBACK, resource) {
                (true, Some(u)) => u,
                (true, None) => {
                    return bad(
                        "missing-attribute",
                        format!(
                            "<{}> in RSS 1.0 must give its URL in rdf:resource",
                            el.qname
                        ),
                    )
                }
                (false, Some(_)) if t.is_empty() && v.ns == TRACKBACK => {
                    return bad(
                        "invalid-url",
                        format!(
                            "<{}> in RSS 2.0 holds its URL as text, not in rdf:resource",
                            el.qname
                        ),
                    )
                }
                (false, Some(u)) if t.is_empty() => u,
                _ => t,
            };
            if !is_absolute_iri(u) {
                bad(
                    "invalid-url",
                    format!("<{}> `{u}` must be a full URL", el.qname),
                );
            }
        }
        Rule::Language => {
            // The one language rule: an ISO 639 code of two or three letters first (or i-/x-).
            if !crate::lang::is_rss_language(t) {
                bad(
                    "invalid-language",
                    format!(
                        "<{}> `{t}` is not a language tag such as en or ko-KR",
                        el.qname
                    ),
                );
            }
        }
        Rule::TrueFalse => {
            if !matches!(t.to_ascii_lowercase().as_str(), "true" | "false") {
                let hint = if matches!(
                    t.to_ascii_lowercase().as_str(),
                    "yes" | "no" | "clean" | "explicit"
                ) {
                    " (Apple no longer accepts yes, no or clean)"
                } else {
                    ""
                };
                bad(
                    "invalid-boolean",
                    format!("<{}> `{t}` must be true or false{hint}", el.qname),
                );
            }
        }
        Rule::YesNo => {
            if !matches!(t.to_ascii_lowercase().as_str(), "yes" | "no") {
                bad(
                    "invalid-value",
                    format!("<{}> `{t}` must be Yes or No", el.qname),
                );
            }
        }
        Rule::YesNoClean => {
            if !matches!(t.to_ascii_lowercase().as_str(), "yes" | "no" | "clean") {
                bad(
                    "invalid-value",
                    format!("<{}> `{t}` must be Yes or No", el.qname),
                );
            }
        }
        Rule::Enum(values) => {
            if !values.contains(&t) {
                bad(
                    "invalid-value",
                    format!("<{}> `{t}` must be one of: {}", el.qname, values.join(", ")),
                );
            }
        }
        Rule::Duration => {
            if !is_duration(t) {
                bad(
                    "invalid-duration",
                    format!("<{}> `{t}` must be seconds or H:MM:SS", el.qname),
                );
            }
        }
        Rule::CommaIntegers => {
            if !t.split(',').all(|n| {
                let n = n.trim_start();
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
            }) {
                bad(
                    "invalid-integers",
                    format!(
                        "<{}> `{t}` must be whole numbers separated by commas",
                        el.qname
                    ),
                );
            }
        }
        Rule::Email => {
            if !is_email(t) {
                bad(
                    "invalid-email",
                    format!("<{}> `{t}` must be an e-mail address", el.qname),
                );
            }
        }
        Rule::Point => {
            if pairs(t) != Some(1) {
                bad(
                    "invalid-coordinates",
                    format!(
                        "<{}> `{t}` must be one `latitude longitude` pair separated by a space",
                        el.qname
                    ),
                );
            }
        }
        Rule::Points(min) => {
            if pairs(t).is_none_or(|n| n < min) {
                bad("invalid-coordinates", format!("<{}> `{t}` must be at least {min} `latitude longitude` pairs separated by spaces", el.qname));
            }
        }
        Rule::Special => special(el, v, out),
    }
}

fn need_attrs(el: &Element, names: &[&str], v: &Vocab, out: &mut Out) {
    for a in names {
        if el.attr(a).is_none() {
            out.error(
                el,
                &format!("{}-missing-attribute", v.code),
                &format!("<{}> must have a {a} attribute", el.qname),
                v.spec,
            );
        }
    }
}

fn url_attr(el: &Element, name: &str, v: &Vocab, out: &mut Out) {
    if let Some(u) = el.attr(name) {
        if !is_absolute_iri(u.trim()) {
            out.error(
                el,
                &format!("{}-invalid-url", v.code),
                &format!("<{}> {name} `{u}` must be a full URL", el.qname),
                v.spec,
            );
        }
    }
}

fn enum_attr(el: &Element, name: &str, values: &[&str], v: &Vocab, out: &mut Out) {
    if let Some(x) = el.attr(name) {
        if !values.contains(&x) {
            out.error(
                el,
                &format!("{}-invalid-value", v.code),
                &format!(
                    "<{}> {name} `{x}` must be one of: {}",
                    el.qname,
                    values.join(", ")
                ),
                v.spec,
            );
        }
    }
}

fn int_attr(el: &Element, name: &str, v: &Vocab, out: &mut Out) {
    if let Some(x) = el.attr(name) {
        if !is_integer(x.trim()) {
            out.error(
                el,
                &format!("{}-invalid-integer", v.code),
                &format!("<{}> {name} `{x}` must be a whole number", el.qname),
                v.spec,
            );
        }
    }
}

fn number_attr(el: &Element, name: &str, v: &Vocab, out: &mut Out) {
    if let Some(x) = el.attr(name) {
        if !is_decimal(x.trim()) {
            out.error(
                el,
                &format!("{}-invalid-number", v.code),
                &format!("<{}> {name} `{x}` must be a number", el.qname),
                v.spec,
            );
        }
    }
}

fn mime_attr(el: &Element, name: &str, v: &Vocab, out: &mut Out) {
    if let Some(x) = el.attr(name) {
        if !is_mime_type(x.trim()) {
            out.error(
                el,
                &format!("{}-invalid-mime-type", v.code),
                &format!("<{}> {name} `{x}` is not a MIME type", el.qname),
                v.spec,
            );
        }
    }
}

fn special(el: &Element, v: &Vocab, out: &mut Out) {
    let ns = if &*el.ns == PODCAST_OLD {
        PODCAST
    } else {
        &*el.ns
    };
    match (ns, el.name.as_str()) {
        (ITUNES, "image") => {
            need_attrs(el, &["href"], v, out);
            if let Some(h) = el.attr("href") {
                let h = h.trim();
                if !((h.starts_with("http://") || h.starts_with("https://")) && is_absolute_iri(h))
                {
                    out.error(
                        el,
                        "itunes-invalid-url",
                        &format!("<itunes:image> href `{h}` must be an http(s) URL"),
                        v.spec,
                    );
                }
            }
        }
        (ITUNES, "owner") => {
            let mut names = 0;
            let mut emails = 0;
            for c in el.children.iter().filter(|c| &*c.ns == ITUNES) {
                match c.name.as_str() {
                    "email" => {
                        emails += 1;
                        value(c, Rule::Email, v, false, out);
                    }
                    "name" => {
                        names += 1;
                        value(c, Rule::MaxLen(255), v, false, out);
                    }
                    _ => out.error(
                        c,
                        "itunes-undefined-element",
                        &format!("<{}> does not belong in <itunes:owner>", c.qname),
                        v.spec,
                    ),
                }
            }
            if emails == 0 {
                out.error(
                    el,
                    "itunes-missing-element",
                    "<itunes:owner> must contain an <itunes:email>",
                    v.spec,
                );
            }
            if emails > 1 || names > 1 {
                out.error(
                    el,
                    "itunes-duplicate-element",
                    "<itunes:owner> holds one <itunes:name> and one <itunes:email>",
                    v.spec,
                );
            }
        }
        (ITUNES, "category") => itunes_category(el, None, v, out),
        (PODCAST, "locked") if !matches!(text_of(el), "yes" | "no") => {
            out.error(
                el,
                "podcast-invalid-value",
                &format!("<{}> `{}` must be yes or no", el.qname, text_of(el)),
                v.spec,
            );
        }
        (PODCAST, "funding") => {
            need_attrs(el, &["url"], v, out);
            url_attr(el, "url", v, out);
        }
        (PODCAST, "guid") => {
            let g = text_of(el);
            let uuid = g.len() == 36
                && g.char_indices().all(|(i, c)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            if !uuid {
                out.error(
                    el,
                    "podcast-invalid-guid",
                    &format!(
                        "<{}> `{g}` must be a UUID (version 5, from the feed URL)",
                        el.qname
                    ),
                    v.spec,
                );
            }
        }
        (PODCAST, "trailer") => {
            need_attrs(el, &["url", "pubdate"], v, out);
            url_attr(el, "url", v, out);
            int_attr(el, "length", v, out);
            mime_attr(el, "type", v, out);
        }
        (PODCAST, "transcript") | (PODCAST, "chapters") => {
            need_attrs(el, &["url", "type"], v, out);
            url_attr(el, "url", v, out);
            mime_attr(el, "type", v, out);
        }
        (PODCAST, "soundbite") => {
            need_attrs(el, &["startTime", "duration"], v, out);
            number_attr(el, "startTime", v, out);
            number_attr(el, "duration", v, out);
        }
        (PODCAST, "season") | (PODCAST, "episode") => {
            let ok = if el.name == "season" {
                positive(text_of(el))
            } else {
                is_decimal(text_of(el))
            };
            if !ok {
                out.error(
                    el,
                    "podcast-invalid-number",
                    &format!("<{}> `{}` must be a number", el.qname, text_of(el)),
                    v.spec,
                );
            }
        }
        (PODCAST, "alternateEnclosure") => {
            need_attrs(el, &["type"], v, out);
            mime_attr(el, "type", v, out);
            int_attr(el, "length", v, out);
        }
        (MEDIA, "group") => {
            for c in el.children.iter().filter(|c| &*c.ns == MEDIA) {
                match lookup(MEDIA, &c.name) {
                    Some((_, rule, _)) if c.name != "group" => value(c, rule, v, false, out),
                    _ => out.error(
                        c,
                        "media-undefined-element",
                        &format!("<{}> does not belong in <media:group>", c.qname),
                        v.spec,
                    ),
                }
            }
        }
        (MEDIA, "content") => {
            if el.attr("url").is_none() && el.child(MEDIA, "player").is_none() {
                out.error(
                    el,
                    "media-missing-attribute",
                    "<media:content> must have a url attribute or a <media:player>",
                    v.spec,
                );
            }
            url_attr(el, "url", v, out);
            for a in ["fileSize", "duration", "height", "width", "channels"] {
                int_attr(el, a, v, out);
            }
            for a in ["bitrate", "framerate", "samplingrate"] {
                number_attr(el, a, v, out);
            }
            mime_attr(el, "type", v, out);
            enum_attr(
                el,
                "medium",
                &["image", "audio", "video", "document", "executable"],
                v,
                out,
            );
            enum_attr(el, "isDefault", &["true", "false"], v, out);
            enum_attr(el, "expression", &["sample", "full", "nonstop"], v, out);
            for c in el.children.iter().filter(|c| &*c.ns == MEDIA) {
                match lookup(MEDIA, &c.name) {
                    Some((_, rule, _)) if !matches!(c.name.as_str(), "group" | "content") => {
                        value(c, rule, v, false, out)
                    }
                    _ => out.error(
                        c,
                        "media-undefined-element",
                        &format!("<{}> does not belong in <media:content>", c.qname),
                        v.spec,
                    ),
                }
            }
        }
        (MEDIA, "thumbnail") | (MEDIA, "player") => {
            need_attrs(el, &["url"], v, out);
            url_attr(el, "url", v, out);
            int_attr(el, "height", v, out);
            int_attr(el, "width", v, out);
        }
        (MEDIA, "restriction") => {
            need_attrs(el, &["relationship"], v, out);
            enum_attr(el, "relationship", &["allow", "deny"], v, out);
            enum_attr(el, "type", &["country", "uri", "sharing"], v, out);
        }
        (GEORSS, "where") => {
            // GML inside: Point/pos, LineString/posList, Polygon/exterior/LinearRing/posList, Envelope.
            fn walk(el: &Element, v: &Vocab, out: &mut Out) {
                for c in &el.children {
                    if &*c.ns != GML {
                        continue;
                    }
                    match c.name.as_str() {
                        "pos" | "lowerCorner" | "upperCorner" => {
                            value(c, Rule::Point, v, false, out)
                        }
                        "posList" => value(c, Rule::Points(2), v, false, out),
                        _ => walk(c, v, out),
                    }
                }
            }
            walk(el, v, out);
        }
        (GEO, "Point") => {
            for name in ["lat", "long"] {
                if el.child(GEO, name).is_none() {
                    out.error(
                        el,
                        "geo-missing-element",
                        &format!("<{}> must contain a <geo:{name}>", el.qname),
                        v.spec,
                    );
                }
            }
            for c in el.children.iter().filter(|c| &*c.ns == GEO) {
                match c.name.as_str() {
                    "lat" => value(c, Rule::Latitude, v, false, out),
                    "long" => value(c, Rule::Longitude, v, false, out),
                    "alt" => value(c, Rule::Decimal, v, false, out),
                    _ => {}
                }
            }
        }
        (THR, "in-reply-to") => {
            need_attrs(el, &["ref"], v, out);
            if let Some(r) = el.attr("ref") {
                if !is_absolute_iri(r.trim()) {
                    out.error(el, "thr-invalid-ref", &format!("<thr:in-reply-to> ref `{r}` must be an IRI, like the atom:id it names (RFC 4685 §3)"), v.spec);
                }
            }
            mime_attr(el, "type", v, out);
        }
        (OPENSEARCH, "Query") => {
            need_attrs(el, &["role"], v, out);
            enum_attr(
                el,
                "role",
                &[
                    "request",
                    "example",
                    "related",
                    "correction",
                    "subset",
                    "superset",
                ],
                v,
                out,
            );
            for a in ["count", "startIndex", "startPage", "totalResults"] {
                int_attr(el, a, v, out);
            }
        }
        _ => {}
    }
}

/// Apple's category list (podcasters.apple.com/support/1691-apple-podcasts-categories).
const ITUNES_CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// The categories Apple used before its 2019 list; still read, but to be replaced.
const OLD_ITUNES_CATEGORIES: &[&str] = &[
    "Arts & Entertainment",
    "Audio Blogs",
    "Family",
    "Food",
    "Games & Hobbies",
    "Government & Organizations",
    "Health",
    "International",
    "Movies & Television",
    "News & Politics",
    "Politics",
    "Public Radio",
    "Science & Medicine",
    "Sports & Recreation",
    "Talk Radio",
    "Transportation",
    "Travel",
    "Literature",
    "Architecture",
    "Entertainment",
    "Games",
    "Photography",
    "Poetry",
    "Finance",
    "Management & Marketing",
    "Shopping",
    "Education Technology",
    "Higher Education",
    "K-12",
    "Language Courses",
    "Training",
    "Other Games",
    "Local",
    "National",
    "Regional",
    "Diet & Nutrition",
    "Fitness & Nutrition",
    "Self-Help",
    "New Age",
    "Other",
    "Amateur",
    "College & High School",
    "Outdoor",
    "Professional",
    "Computers",
    "Developers",
    "Gadgets",
    "Information Technology",
    "Operating Systems",
    "Podcasting",
    "Smart Phones",
    "Software How-To",
    "Text/Speech",
    "Bicycles",
    "Commuting",
    "Medicine",
    "Natural Sciences",
    "Social Sciences",
    "History",
    "Careers",
    "Investing",
    "News",
    "Tech News",
    "Buddhism",
    "Christianity",
    "Islam",
    "Judaism",
    "Spirituality",
    "Philosophy",
    "Relationships",
    "Automotive",
    "Aviation",
    "Hobbies",
    "Video Games",
    "Alternative Health",
    "Fitness",
    "Sexuality",
    "Design",
    "Performing Arts",
    "Science Fiction",
    "Non-Profit",
];

fn itunes_category(el: &Element, parent: Option<&str>, v: &Vocab, out: &mut Out) {
    let Some(text) = el.attr("text") else {
        out.error(
            el,
            "itunes-missing-attribute",
            "<itunes:category> must have a text attribute naming the category",
            v.spec,
        );
        return;
    };
    let valid = match parent {
        None => ITUNES_CATEGORIES.iter().any(|(c, _)| *c == text),
        Some(p) => ITUNES_CATEGORIES
            .iter()
            .find(|(c, _)| *c == p)
            .is_some_and(|(_, subs)| subs.contains(&text)),
    };
    if !valid {
        if OLD_ITUNES_CATEGORIES.contains(&text) {
            out.warn(el, "itunes-obsolete-category", &format!("the category `{text}` is from Apple's old list; choose one of the current categories"), v.spec);
        } else {
            out.error(
                el,
                "itunes-invalid-category",
                &format!(
                    "`{text}` is not an Apple Podcasts category{}",
                    parent.map_or(String::new(), |p| format!(" under `{p}`"))
                ),
                v.spec,
            );
        }
    }
    for c in el.children.iter().filter(|c| &*c.ns == ITUNES) {
        if c.name == "category" && parent.is_none() {
            itunes_category(c, Some(text), v, out);
        } else {
            out.error(
                c,
                "itunes-undefined-element",
                &format!("<{}> does not belong in <itunes:category>", c.qname),
                v.spec,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_apples_forms() {
        for ok in ["0", "3600", "1:02", "01:02:03", "123:59:59", "59:59"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "1:2", "1:60", "1:02:03:04", "1h", "-5", "1.5"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn coordinates_come_in_pairs_of_decimal_numbers() {
        assert_eq!(pairs("45.256 -71.92"), Some(1));
        assert_eq!(pairs("45.256 -71.92 46 -72"), Some(2));
        assert_eq!(pairs("45.256,-71.92"), None);
        assert_eq!(pairs("45.256"), None);
        assert!(in_range("-90", 90.0) && !in_range("90.5", 90.0) && !in_range("1e2", 180.0));
    }
}
