//! Which feeds a site gets and which posts go into each: the main feed, one
//! per configured category (jekyll-feed's `feed.categories`), one per tag
//! (`feed.tags`). Serialising is the format modules' job.

use crate::config::SiteConfig;
use crate::extract::PostMeta;
use std::collections::{BTreeMap, HashSet};

/// Where one feed is written in each enabled format (relative to the destination).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedPaths {
    /// Atom.
    pub atom: Option<String>,
    /// RSS 2.0.
    pub rss: Option<String>,
    /// JSON Feed 1.1.
    pub json: Option<String>,
}

/// What a feed is about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    /// Every post.
    All,
    /// The posts of one category.
    Category(String),
    /// The posts with one tag.
    Tag(String),
    /// The documents of a collection other than `posts`, or of one category
    /// within it (jekyll-feed's `feed.collections`).
    Collection {
        /// The collection's label.
        label: String,
        /// The category, for a category's feed.
        category: Option<String>,
    },
}

/// One feed: its scope, title, paths and posts (newest first, at most
/// `posts_limit`).
#[derive(Clone, Debug)]
pub struct FeedSet<'a> {
    /// What the feed is about.
    pub scope: Scope,
    /// The feed's title.
    pub title: String,
    /// Where it is written.
    pub paths: FeedPaths,
    /// Its posts, newest first.
    pub posts: Vec<&'a PostMeta>,
}

/// A file-name stem for a tag's feed: jekyll-feed's own name for tags of
/// `[A-Za-z0-9_]` (so those feeds keep their addresses), otherwise a readable
/// slug: letters and digits of any script kept, `+`, `#`, `&`, `@` spelled
/// out, anything else a hyphen.
pub fn tag_slug(tag: &str) -> String {
    if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return crate::text::truncate_chars(tag, MAX_SLUG_CHARS);
    }
    let mut out = String::new();
    let hyphen = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in tag.chars() {
        let word = match c {
            '+' => "plus",
            '#' => "sharp",
            '&' => "and",
            '@' => "at",
            c if c.is_alphanumeric() || c == '_' => {
                out.push(c);
                continue;
            }
            _ => {
                hyphen(&mut out);
                continue;
            }
        };
        hyphen(&mut out);
        out.push_str(word);
        out.push('-');
    }
    let slug = crate::text::truncate_chars(out.trim_matches('-'), MAX_SLUG_CHARS);
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "tag".into()
    } else {
        slug.to_string()
    }
}

/// Longest tag file-name stem, in characters (file names are limited to 255 bytes).
pub const MAX_SLUG_CHARS: usize = 60;

/// Gives every tag its own file-name stem. Tags whose slugs would collide
/// (also when they differ only in case, which case-insensitive file systems
/// merge) get `-2`, `-3`, … in the order of the tags' names; each such
/// renaming is reported.
pub fn tag_file_names<'a>(
    tags: impl Iterator<Item = &'a String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let sorted: std::collections::BTreeSet<&String> = tags.collect();
    let mut taken: BTreeMap<String, &str> = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut collisions = Vec::new();
    for tag in sorted {
        let slug = tag_slug(tag);
        let mut name = slug.clone();
        let mut n = 1;
        while taken.contains_key(&name.to_lowercase()) {
            n += 1;
            name = format!("{slug}-{n}");
        }
        if n > 1 {
            let first = taken[&slug.to_lowercase()];
            collisions.push(format!(
                "the tags `{first}` and `{tag}` would share the feed file name `{slug}`; `{tag}`'s feed is `{name}`"
            ));
        }
        taken.insert(name.to_lowercase(), tag);
        names.insert(tag.clone(), name);
    }
    (names, collisions)
}

/// Whether which feeds exist depends on the posts, not on the
/// configuration alone: a feed per tag of every post.
pub fn feeds_depend_on_posts(config: &SiteConfig) -> bool {
    config.tag_feeds.as_ref().is_some_and(|t| t.only.is_none())
}

/// The feeds of a site, main feed first, then categories in configuration
/// order, then tags by name, then each collection's (`docs`, in
/// `config.collection_feeds` order) followed by its categories'. `posts` and
/// `docs` are oldest first; `collisions` receives a message per renamed tag feed.
pub fn feed_sets<'a>(
    config: &SiteConfig,
    posts: &[&'a PostMeta],
    docs: &[Vec<&'a PostMeta>],
    collisions: &mut Vec<String>,
) -> Vec<FeedSet<'a>> {
    let newest_of = |of: &[&'a PostMeta], keep: &dyn Fn(&PostMeta) -> bool| -> Vec<&'a PostMeta> {
        of.iter()
            .rev()
            .filter(|p| keep(p))
            .take(config.posts_limit)
            .copied()
            .collect()
    };
    let newest = |keep: &dyn Fn(&PostMeta) -> bool| newest_of(posts, keep);
    let o = &config.outputs;
    let beside = |atom_path: &str| {
        let stem = atom_path.strip_suffix(".xml").unwrap_or(atom_path);
        FeedPaths {
            // The configured path itself (`notes.atom` too), as jekyll-feed writes it.
            atom: o.atom.as_ref().map(|_| atom_path.to_string()),
            rss: o.rss.as_ref().map(|_| format!("{stem}.rss")),
            json: o.json.as_ref().map(|_| format!("{stem}.json")),
        }
    };
    let mut sets = vec![FeedSet {
        scope: Scope::All,
        title: config.title.clone(),
        paths: FeedPaths {
            atom: o.atom.clone(),
            rss: o.rss.clone(),
            json: o.json.clone(),
        },
        posts: newest(&|_| true),
    }];
    for c in &config.category_feeds {
        sets.push(FeedSet {
            scope: Scope::Category(c.category.clone()),
            title: format!("{} | {}", config.title, capitalize(&c.category)),
            paths: beside(&c.path),
            posts: newest(&|p| p.categories.contains(&c.category)),
        });
    }
    if let Some(t) = &config.tag_feeds {
        let wanted: HashSet<&String> = match &t.only {
            Some(only) => only.iter().collect(),
            None => posts.iter().flat_map(|p| &p.tags).collect(),
        };
        let wanted: Vec<&String> = wanted
            .into_iter()
            .filter(|tag| !t.except.contains(tag) && !tag.trim().is_empty())
            .collect();
        let (names, renamed) = tag_file_names(wanted.into_iter());
        collisions.extend(renamed);
        for (tag, name) in names {
            let posts = newest(&|p| p.tags.contains(&tag));
            sets.push(FeedSet {
                title: format!("{} | {tag}", config.title),
                paths: beside(&format!("{}{name}.xml", t.dir)),
                scope: Scope::Tag(tag),
                posts,
            });
        }
    }
    for (feed, docs) in config.collection_feeds.iter().zip(docs) {
        // jekyll-feed's title: "<site> | <Collection>", then " | <Category>".
        let title = format!("{} | {}", config.title, capitalize(&feed.label));
        sets.push(FeedSet {
            scope: Scope::Collection {
                label: feed.label.clone(),
                category: None,
            },
            title: title.clone(),
            paths: beside(&feed.path),
            posts: newest_of(docs, &|_| true),
        });
        for c in &feed.categories {
            sets.push(FeedSet {
                scope: Scope::Collection {
                    label: feed.label.clone(),
                    category: Some(c.category.clone()),
                },
                title: format!("{title} | {}", capitalize(&c.category)),
                paths: beside(&c.path),
                posts: newest_of(docs, &|p| p.categories.contains(&c.category)),
            });
        }
    }
    sets
}

/// Ruby's `String#capitalize`, as jekyll-feed titles category feeds.
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_keep_jekyll_names_and_spell_out_symbols() {
        assert_eq!(tag_slug("Rust_lang"), "Rust_lang");
        assert_eq!(tag_slug("C++"), "C-plus-plus");
        assert_eq!(tag_slug("two words"), "two-words");
        assert_eq!(tag_slug("한국은행"), "한국은행");
        assert_eq!(tag_slug("../../etc"), "etc");
    }

    #[test]
    fn colliding_tag_slugs_are_numbered_in_name_order() {
        let (names, collisions) = tag_file_names(
            ["C++", "C--plus-plus", "c-plus-plus"]
                .map(String::from)
                .iter(),
        );
        assert_eq!(names["C++"], "C-plus-plus");
        assert_eq!(names["C--plus-plus"], "C-plus-plus-2");
        assert_eq!(names["c-plus-plus"], "c-plus-plus-3");
        assert_eq!(collisions.len(), 2);
    }
}
