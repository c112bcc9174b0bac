//! A plain folder of posts: the user's real post, with no date anywhere.

use crate::util::*;

#[test]
fn users_post_publishes_from_a_plain_folder_with_title_category_and_image() {
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(&fixture("user-post"), dest.path());
    opts.url = Some("https://newsdao.kr".into());
    let report = feedwright::build(&opts).unwrap();
    assert_eq!(report.stats.published, 1);
    let atom = read(&dest.path().join("feed.xml"));
    let doc = strict_parse(&atom);
    let entry = children(doc.root_element(), "entry")
        .next()
        .expect("one entry");
    assert_eq!(
        child_text(entry, "title"),
        Some("글로벌 넷제로 커넥션 산업부 주최 캄보디아 등 7개국 협력 논의")
    );
    assert_eq!(
        children(entry, "category")
            .map(|c| c.attribute("term").unwrap())
            .collect::<Vec<_>>(),
        ["News"]
    );
    let thumb = entry
        .children()
        .find(|c| c.tag_name().name() == "thumbnail")
        .unwrap();
    assert_eq!(
        thumb.attribute("url"),
        Some("https://newsdao.kr/res/images/meta/newsdao_breakingnews.jpg")
    );
    assert!(child_text(entry, "summary")
        .unwrap()
        .starts_with("한국 정부와 7개국"));
}

#[test]
fn a_post_without_any_date_says_where_its_date_came_from() {
    let dest = tempfile::tempdir().unwrap();
    // Outside git (inside, the commit that added it dates it).
    let src = fixture_copy("user-post");
    let mut opts = options(src.path(), dest.path());
    opts.url = Some("https://newsdao.kr".into());
    let report = feedwright::build(&opts).unwrap();
    let n = report
        .notices
        .iter()
        .find(|n| n.message.contains("modification time"))
        .expect("a warning about the date");
    assert!(n.at.path.ends_with("000_e749707a519b187a.txt"));
}

#[test]
fn a_plain_folder_without_a_url_is_refused_with_advice() {
    let dest = tempfile::tempdir().unwrap();
    let err = feedwright::build(&options(&fixture("user-post"), dest.path())).unwrap_err();
    assert!(matches!(err, feedwright::site::Error::NoUrl { .. }));
    assert!(err.to_string().contains("url: https://your.site"), "{err}");
    assert_eq!(
        std::fs::read_dir(dest.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// Regression guard: builds without a cache no longer stat post files, yet
/// a post with no date anywhere is still dated by its file's time, not by
/// the build date.
#[test]
fn an_undated_post_is_dated_by_its_file_time_even_without_a_cache() {
    let src = tempfile::tempdir().unwrap();
    let post = src.path().join("note.md");
    std::fs::write(&post, "---\ntitle: Undated\n---\nbody\n").unwrap();
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_683_356_889); // 2023-05-06T07:08:09Z
    std::fs::File::options()
        .write(true)
        .open(&post)
        .unwrap()
        .set_modified(t)
        .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(src.path(), dest.path());
    opts.url = Some("https://e.com".into());
    assert!(!opts.cache);
    feedwright::build(&opts).unwrap();
    let atom = read(&dest.path().join("feed.xml"));
    assert!(atom.contains("<published>2023-05-06T07:08:09"), "{atom}");
}

/// A plain folder has no Jekyll to match, so feedwright's own documented
/// rules hold there: with no `image`, the body's first image is the
/// thumbnail, and the summary passes over an image-only first paragraph
/// (a Jekyll site gets neither: jekyll-feed has no such fallback).
#[test]
fn a_plain_folder_post_takes_the_first_image_and_the_first_block_with_text() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("2024-05-01-photo.md"),
        "---\ntitle: Photo\n---\n![A photo](img/photo.jpg)\n\nThe <em>first</em> words.\n\nMore.\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let mut opts = options(src.path(), dest.path());
    opts.url = Some("https://example.net".into());
    feedwright::build(&opts).unwrap();
    let atom = read(&dest.path().join("feed.xml"));
    let doc = strict_parse(&atom);
    let entry = children(doc.root_element(), "entry").next().unwrap();
    let thumb = entry
        .children()
        .find(|c| c.tag_name().name() == "thumbnail")
        .expect("a thumbnail from the body");
    assert!(
        thumb.attribute("url").unwrap().ends_with("/img/photo.jpg"),
        "{atom}"
    );
    assert_eq!(child_text(entry, "summary"), Some("The first words."));
}
