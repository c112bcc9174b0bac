//! Feeds: choosing entries (this module) and writing them (one module per format).
//!
//! Gathering is separate from serialising, as in Zola: [`crate::model::Feed`]
//! is plain data, and [`atom`], [`rss`] and [`json`] turn it into text. Library users
//! build a `Feed` from their own entries and call the writers directly.

pub mod atom;
pub mod gather;
pub mod json;
pub mod rss;

/// The name and version written in every feed's `generator`.
pub const GENERATOR: &str = "feedwright";
/// feedwright's home page, written in Atom's `generator uri`.
pub const GENERATOR_URI: &str = "https://crates.io/crates/feedwright";
