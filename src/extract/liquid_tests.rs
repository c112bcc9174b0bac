//! Each Liquid tag and filter run through the whole renderer, on a small
//! site written here: posts (read by `read_meta`, so here, above the
//! renderer), an include, a data file.

use super::render::liquid::*;
use super::{read_meta, Context, PostMeta};
use crate::config::SiteConfig;
use crate::error::Notice;
use crate::source::{PostFile, SiteKind};
use crate::yaml::{self, Mapping};
use chrono::DateTime;
use std::path::PathBuf;

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: SiteConfig,
    raw: Mapping,
    posts: Vec<PostMeta>,
}

const CONFIG: &str = "title: Test Site\nurl: https://example.com\nbaseurl: /blog\ntimezone: Asia/Seoul\ngreeting: hello\n";

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("_config.yml", CONFIG);
    write(
        "_includes/box.html",
        "[{{ include.label | default: \"box\" }}:{{ include.who }}]",
    );
    write("_includes/loop.html", "{% include loop.html %}");
    write("_includes/theme.html", "{% seo %}ok");
    write("_data/people.yml", "- name: Ann\n  team: a\n  age: 30\n- name: Bo\n  team: b\n  age: 25\n- name: Cy\n  team: a\n  age: 41\n");
    write(
        "_posts/2024-03-15-first-post.md",
        "---\ntitle: First\n---\nx\n",
    );
    write(
        "_posts/2024-03-16-second.md",
        "---\ntitle: Second\ntags: [a, b]\n---\ny\n",
    );
    write(
        "_posts/sub/2024-03-17-nested.md",
        "---\ntitle: Nested\n---\nz\n",
    );
    write("docs/guide.pdf", "pdf");
    let raw = yaml::parse_mapping(CONFIG).unwrap();
    let config = SiteConfig::from_mapping(&raw, &root.join("_config.yml"), None).unwrap();
    let now = DateTime::parse_from_rfc3339("2024-06-01T00:00:00+09:00").unwrap();
    let cx = Context {
        config: &config,
        kind: SiteKind::Jekyll,
        now,
        git: None,
        collection: None,
    };
    let mut posts = Vec::new();
    for rel in [
        "_posts/2024-03-15-first-post.md",
        "_posts/2024-03-16-second.md",
        "_posts/sub/2024-03-17-nested.md",
    ] {
        let file = PostFile {
            path: root.join(rel),
            relative_path: rel.to_string(),
            path_categories: Vec::new(),
            size: 0,
            modified: None,
        };
        let bytes = std::fs::read(&file.path).unwrap();
        posts.push(
            read_meta(&file, &bytes, None, &cx, &mut Vec::new())
                .unwrap()
                .unwrap(),
        );
    }
    Site {
        _dir: dir,
        root,
        config,
        raw,
        posts,
    }
}

impl Site {
    /// Renders `body` as the second post's, with `fm` as its front matter.
    fn render(&self, fm: &str, body: &str) -> (String, Vec<Notice>) {
        let posts: Vec<&PostMeta> = self.posts.iter().collect();
        let files = vec![crate::source::SiteFile {
            path: self.root.join("docs/guide.pdf"),
            relative: "docs/guide.pdf".into(),
            size: 3,
            modified: None,
            front_matter: false,
            collection: None,
        }];
        let now = DateTime::parse_from_rfc3339("2024-06-01T00:00:00+09:00").unwrap();
        let cx = SiteContext::new(&self.config, &self.raw, &self.root, &posts, &files, now);
        let mut notices = Vec::new();
        let page = cx.page(&self.posts[1], &yaml::parse_mapping(fm).unwrap());
        let out = cx.render(&page, body, &self.posts[1].file.path, 5, &mut notices);
        (out, notices)
    }
}

fn rendered(body: &str) -> String {
    let (out, notices) = site().render("title: Second\ntags: [a, b]", body);
    assert!(notices.is_empty(), "{body}: {notices:?}");
    out
}

#[test]
fn site_and_page_variables_are_the_config_and_the_front_matter_with_jekylls_additions() {
    assert_eq!(
        rendered("{{ site.title }}|{{ site.greeting }}|{{ site.url }}|{{ site.baseurl }}|{{ site.time | date: '%Y' }}"),
        "Test Site|hello|https://example.com|/blog|2024"
    );
    assert_eq!(
        rendered("{{ page.title }}|{{ page.url }}|{{ page.date }}|{{ page.tags | join: ',' }}|{{ page.path }}|{{ page.slug }}"),
        "Second|/2024/03/16/second.html|2024-03-16 00:00:00 +0900|a,b|_posts/2024-03-16-second.md|second"
    );
    assert_eq!(
        rendered("{{ site.posts.size }}:{{ site.posts[0].title }}"),
        "3:Nested"
    );
    assert_eq!(rendered("{{ site.data.people[1].name }}"), "Bo");
    assert_eq!(rendered("{{ jekyll.environment }}"), "development");
}

#[test]
fn missing_variables_are_empty_as_with_strict_variables_off() {
    assert_eq!(
        rendered("[{{ nope }}][{{ page.nope.deeper }}][{{ site.data.none[3] }}]"),
        "[][][]"
    );
    assert_eq!(
        rendered("{% if page.nope %}yes{% else %}no{% endif %}"),
        "no"
    );
}

#[test]
fn post_url_finds_posts_by_name_with_or_without_their_folder() {
    assert_eq!(
        rendered("{% post_url 2024-03-15-first-post %}"),
        "/blog/2024/03/15/first-post.html"
    );
    assert_eq!(
        rendered("{% post_url sub/2024-03-17-nested %}"),
        "/blog/2024/03/17/nested.html"
    );
    // Jekyll's deprecated form: a post in a folder named without it.
    assert_eq!(
        rendered("{% post_url 2024-03-17-nested %}"),
        "/blog/2024/03/17/nested.html"
    );
    let (out, notices) = site().render("", "a{% post_url 2020-01-01-gone %}b");
    assert_eq!(out, "ab");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].at.line, Some(5), "{notices:?}");
    assert!(
        notices[0].message.contains("2020-01-01-gone"),
        "{}",
        notices[0].message
    );
}

#[test]
fn link_gives_the_url_of_a_post_or_a_file_by_its_path() {
    assert_eq!(
        rendered("{% link _posts/2024-03-16-second.md %}"),
        "/blog/2024/03/16/second.html"
    );
    assert_eq!(
        rendered("{% link docs/guide.pdf %}"),
        "/blog/docs/guide.pdf"
    );
    let (out, notices) = site().render("", "\n\n{% link nowhere.md %}");
    assert_eq!(out, "\n\n");
    assert_eq!(notices[0].at.line, Some(7));
}

#[test]
fn include_passes_parameters_and_variables_and_a_missing_one_is_a_warning() {
    assert_eq!(
        rendered("{% include box.html label=\"L\" who=page.title %}"),
        "[L:Second]"
    );
    assert_eq!(rendered("{% include box.html %}"), "[box:]");
    let (out, notices) = site().render("", "a\n{% include absent.html %}b");
    assert_eq!(out, "a\nb");
    assert_eq!(notices[0].at.line, Some(6));
    assert!(notices[0].message.contains("absent.html"));
}

#[test]
fn an_include_that_includes_itself_stops_with_a_warning() {
    let (out, notices) = site().render("", "{% include loop.html %}done");
    assert_eq!(out, "done");
    assert!(
        notices
            .iter()
            .any(|n| n.message.contains("includes itself")),
        "{notices:?}"
    );
}

#[test]
fn an_unknown_tag_inside_an_include_is_reported_at_the_including_line() {
    let (out, notices) = site().render("", "\n{% include theme.html %}");
    assert_eq!(out, "\nok");
    assert_eq!(notices[0].at.line, Some(6));
    assert!(notices[0].message.contains("seo"), "{}", notices[0].message);
}

#[test]
fn include_relative_reads_beside_the_post() {
    let s = site();
    std::fs::write(s.root.join("_posts/aside.md"), "beside {{ page.title }}").unwrap();
    let (out, notices) = s.render("title: Second", "{% include_relative aside.md %}");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(out, "beside Second");
}

#[test]
fn raw_keeps_liquid_as_text_and_render_with_liquid_false_skips_the_post() {
    assert_eq!(
        rendered("{% raw %}{{ x }} {% if %}{% endraw %}!"),
        "{{ x }} {% if %}!"
    );
    let (out, _) = site().render("render_with_liquid: false", "{{ page.title }}");
    assert_eq!(out, "{{ page.title }}");
}

#[test]
fn unknown_tags_and_filters_are_removed_with_a_warning_naming_their_line() {
    let (out, notices) = site().render(
        "",
        "a {% include_cached x.html %}\nb {{ 'v' | frobnicate | upcase }}\n{% endtabs %}c",
    );
    assert_eq!(out, "a \nb V\nc");
    let lines: Vec<_> = notices.iter().map(|n| n.at.line).collect();
    assert_eq!(lines, vec![Some(5), Some(6), Some(7)], "{notices:?}");
    assert!(notices[0].message.contains("include_cached"));
    assert!(notices[1].message.contains("frobnicate"));
}

#[test]
fn a_liquid_error_costs_the_post_its_tags_not_its_text() {
    let (out, notices) = site().render(
        "",
        "Intro {% if x %}never closed. {{ page.title }} and {% raw %}{{ kept }}{% endraw %}",
    );
    assert_eq!(out, "Intro never closed.  and {{ kept }}");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].message.contains("removed"),
        "{}",
        notices[0].message
    );
    let (out, notices) = site().render("", "unclosed {{ output");
    assert_eq!(out, "unclosed  output");
    assert_eq!(notices.len(), 1);
}

#[test]
fn highlight_renders_jekylls_figure_and_liquid_inside_it() {
    assert_eq!(
        rendered("{% highlight html %}\n<p>{{ page.title }}</p>\n{% endhighlight %}"),
        "<figure class=\"highlight\"><pre><code class=\"language-html\" data-lang=\"html\">&lt;p&gt;Second&lt;/p&gt;</code></pre></figure>"
    );
}

#[test]
fn jekylls_url_and_date_filters() {
    for (template, want) in [
        ("{{ '/img/a b.png' | relative_url }}", "/blog/img/a%20b.png"),
        (
            "{{ 'img/x.png' | absolute_url }}",
            "https://example.com/blog/img/x.png",
        ),
        (
            "{{ 'https://other.org/x' | absolute_url }}",
            "https://other.org/x",
        ),
        (
            "{{ page.date | date_to_xmlschema }}",
            "2024-03-16T00:00:00+09:00",
        ),
        (
            "{{ page.date | date_to_rfc822 }}",
            "Sat, 16 Mar 2024 00:00:00 +0900",
        ),
        ("{{ page.date | date_to_string }}", "16 Mar 2024"),
        ("{{ page.date | date_to_long_string }}", "16 March 2024"),
        (
            "{{ page.date | date_to_string: 'ordinal' }}",
            "16th Mar 2024",
        ),
        (
            "{{ page.date | date_to_long_string: 'ordinal', 'US' }}",
            "March 16th, 2024",
        ),
        (
            "{{ '2024-01-02 03:04:05' | date_to_xmlschema }}",
            "2024-01-02T03:04:05+09:00",
        ),
    ] {
        assert_eq!(rendered(template), want, "{template}");
    }
}

#[test]
fn jekylls_text_filters() {
    for (template, want) in [
        ("{{ 'Hello, World!' | slugify }}", "hello-world"),
        (
            "{{ 'Hello World.txt' | slugify: 'pretty' }}",
            "hello-world.txt",
        ),
        (
            "{{ 'a <b> & \"c\"' | xml_escape }}",
            "a &lt;b&gt; &amp; &quot;c&quot;",
        ),
        ("{{ 'a b&c/d' | cgi_escape }}", "a+b%26c%2Fd"),
        ("{{ '/a b/é?x=1' | uri_escape }}", "/a%20b/%C3%A9?x=1"),
        ("{{ ' a \n b  ' | normalize_whitespace }}", "a b"),
        ("{{ 'one two three' | number_of_words }}", "3"),
        ("{{ '한국어 글 two' | number_of_words: 'cjk' }}", "5"),
        ("{{ page.tags | array_to_sentence_string }}", "a and b"),
        (
            "{{ site.data.people | map: 'name' | array_to_sentence_string: 'or' }}",
            "Ann, Bo, or Cy",
        ),
        ("{{ page.tags | jsonify }}", "[\"a\",\"b\"]"),
        (
            "{% capture s %}\"Hi\" -- it's...{% endcapture %}{{ s | smartify }}",
            "&ldquo;Hi&rdquo; &ndash; it&rsquo;s&hellip;",
        ),
        ("{{ '*hi*' | markdownify }}", "<p><em>hi</em></p>\n"),
        ("{{ 'x' | inspect }}", "&quot;x&quot;"),
        ("{{ '42abc' | to_integer }}", "42"),
        ("{{ 'a{b' | sassify }}", "a{b"),
    ] {
        assert_eq!(rendered(template), want, "{template}");
    }
}

#[test]
fn jekylls_array_filters() {
    for (template, want) in [
        ("{{ site.data.people | where: 'team', 'a' | map: 'name' | join: ',' }}", "Ann,Cy"),
        ("{{ site.data.people | where_exp: 'p', 'p.age > 28' | map: 'name' | join: ',' }}", "Ann,Cy"),
        ("{% assign p = site.data.people | find: 'team', 'b' %}{{ p.name }}", "Bo"),
        ("{% assign p = site.data.people | find_exp: 'p', 'p.age < 30' %}{{ p.name }}", "Bo"),
        ("{% assign groups = site.data.people | group_by: 'team' %}{% for g in groups %}{{ g.name }}={{ g.size }};{% endfor %}", "a=2;b=1;"),
        ("{{ site.data.people | sort: 'age' | map: 'name' | join: ',' }}", "Bo,Ann,Cy"),
        ("{{ page.tags | push: 'c' | join: ',' }}", "a,b,c"),
        ("{{ page.tags | unshift: 'z' | join: ',' }}", "z,a,b"),
        ("{{ page.tags | pop | join: ',' }}", "a"),
        ("{{ page.tags | shift | join: ',' }}", "b"),
        ("{{ page.tags | sample }}", "a"),
        ("{{ site.posts | where: 'tags', 'b' | map: 'title' | join: ',' }}", "Second"),
    ] {
        assert_eq!(rendered(template), want, "{template}");
    }
}

#[test]
fn liquids_standard_tags_and_filters_run_and_a_failing_filter_keeps_its_input() {
    assert_eq!(
        rendered("{% assign n = 2 | plus: 3 %}{% capture c %}{{ n | times: 2 }}{% endcapture %}{% for i in (1..2) %}{{ i }}{% endfor %}-{{ c }}-{% case n %}{% when 5 %}five{% endcase %}"),
        "12-10-five"
    );
    assert_eq!(rendered("{{ 'x' | divided_by: 0 }}"), "x");
}

#[test]
fn a_body_without_liquid_is_returned_as_it_is() {
    assert_eq!(
        rendered("plain {text} with braces"),
        "plain {text} with braces"
    );
}

#[test]
fn an_error_at_run_time_costs_only_its_block() {
    let (out, notices) = site().render(
        "title: Second",
        "A {{ page.title }}\n{% for x in site.data.people %}{{ x.name.first.deep }}{% endfor %}\nB {{ page.title }}",
    );
    assert_eq!(out, "A Second\n\nB Second");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].at.line, Some(6));
}

#[test]
fn whitespace_control_trims_across_the_parts_the_template_is_cut_into() {
    assert_eq!(
        rendered("a  \n{%- if true -%}\n b {%- endif %}|{{- ' c' }}"),
        "ab| c"
    );
}

#[test]
fn the_liquid_site_is_made_only_when_a_post_uses_liquid() {
    let s = site();
    let posts: Vec<&PostMeta> = s.posts.iter().collect();
    let now = DateTime::parse_from_rfc3339("2024-06-01T00:00:00+09:00").unwrap();
    let cx = SiteContext::new(&s.config, &s.raw, &s.root, &posts, &[], now);
    let page = cx.page(&s.posts[0], &Mapping::new());
    let mut notices = Vec::new();
    assert_eq!(
        cx.render(
            &page,
            "no Liquid {here}",
            &s.posts[0].file.path,
            1,
            &mut notices
        ),
        "no Liquid {here}"
    );
    assert!(!cx.used_the_site());
    assert_eq!(
        cx.render(
            &page,
            "{{ site.title }}",
            &s.posts[0].file.path,
            1,
            &mut notices
        ),
        "Test Site"
    );
    assert!(cx.used_the_site());
}
