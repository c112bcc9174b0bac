//! Jekyll's tags (lib/jekyll/tags/*.rb): `highlight`, `link`, `post_url`,
//! `include`, `include_relative`, and `raw` text kept aside by the scanner.
//! Each is registered under its own name and takes one argument, the number
//! of its call in the scanner's table (see `scan`); its markup is read from
//! there at render time.

use super::state::{Included, PostState, Shared, MAX_INCLUDE_DEPTH};
use liquid_core::error::Result;
use liquid_core::model::{KString, Scalar};
use liquid_core::runtime::StackFrame;
use liquid_core::{
    BlockReflection, Language, Object, ParseBlock, ParseTag, Renderable, Runtime, TagBlock,
    TagReflection, TagTokenIter, Template, Value, ValueView,
};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

pub(super) fn register(lang: &mut Language, shared: &Arc<Shared>) {
    for name in ["fwraw", "include", "include_relative", "link", "post_url"] {
        lang.tags.register(
            name.to_string(),
            Box::new(Tag {
                name,
                shared: shared.clone(),
            }),
        );
    }
    lang.blocks
        .register("highlight".to_string(), Box::new(Highlight));
}

/// The call number a tag was given by the scanner.
fn call_number(mut args: TagTokenIter<'_>) -> Result<usize> {
    let n = args
        .expect_next("a call number")?
        .expect_value()
        .into_result()?
        .into_literal()
        .and_then(|v| v.as_scalar().and_then(|s| s.to_integer()))
        .ok_or_else(|| liquid_core::Error::with_msg("a call number"))?;
    args.expect_nothing()?;
    Ok(n as usize)
}

#[derive(Clone)]
struct Tag {
    name: &'static str,
    shared: Arc<Shared>,
}

impl TagReflection for Tag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        ""
    }
}

impl ParseTag for Tag {
    fn parse(&self, args: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(Call {
            name: self.name,
            n: call_number(args)?,
            shared: self.shared.clone(),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

struct Call {
    name: &'static str,
    n: usize,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{% {} {} %}}", self.name, self.n)
    }
}

/// The call's markup and the post line to blame.
fn markup(runtime: &dyn Runtime, n: usize) -> (String, usize) {
    let state = runtime.registers().get_mut::<PostState>();
    let (_, m, line) = state
        .calls
        .get(n)
        .cloned()
        .unwrap_or(("", String::new(), 0));
    (m, state.include_line.unwrap_or(line))
}

fn warn(runtime: &dyn Runtime, line: usize, message: String) {
    runtime
        .registers()
        .get_mut::<PostState>()
        .warnings
        .push((line, message));
}

/// Markup with `{{ … }}` in it rendered (Jekyll 4 renders `link`,
/// `post_url` and include file names as Liquid first).
fn interpolate(markup: &str, runtime: &dyn Runtime) -> String {
    if !markup.contains("{{") {
        return markup.to_string();
    }
    let lang = runtime.registers().get_mut::<PostState>().lang.clone();
    let Some(lang) = lang else {
        return markup.to_string();
    };
    match liquid_core::parser::parse(markup, &lang) {
        Ok(e) => {
            let mut out = Vec::new();
            match Template::new(e).render_to(&mut out, runtime) {
                Ok(()) => String::from_utf8_lossy(&out).into_owned(),
                Err(_) => markup.to_string(),
            }
        }
        Err(_) => markup.to_string(),
    }
}

impl Renderable for Call {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let (markup, line) = markup(runtime, self.n);
        let io = |e: std::io::Error| liquid_core::Error::with_msg(e.to_string());
        match self.name {
            "fwraw" => writer.write_all(markup.as_bytes()).map_err(io),
            "link" => {
                let rel = interpolate(markup.trim(), runtime);
                let rel = rel.trim();
                match self
                    .shared
                    .files
                    .get(rel)
                    .or_else(|| self.shared.files.get(rel.trim_start_matches('/')))
                {
                    Some(url) => writer.write_all(url.as_bytes()).map_err(io),
                    None => {
                        warn(runtime, line, format!("`{{% link {rel} %}}` names no file of the site, so the link was left empty; Jekyll stops here. Give the file's path from the site's folder, such as _posts/2024-03-15-title.md"));
                        Ok(())
                    }
                }
            }
            "post_url" => {
                let name = interpolate(markup.trim(), runtime);
                match post_url(&self.shared, name.trim()) {
                    Some(url) => writer.write_all(url.as_bytes()).map_err(io),
                    None => {
                        warn(runtime, line, format!("`{{% post_url {} %}}` names no post, so the link was left empty; Jekyll stops here. Give the post's file name without its extension, such as 2024-03-15-title", name.trim()));
                        Ok(())
                    }
                }
            }
            relative => self.include(
                relative == "include_relative",
                &markup,
                line,
                writer,
                runtime,
            ),
        }
    }
}

/// Jekyll's `PostComparer`: the post whose path ends in `name` (a dated file
/// name without extension, under a sub-folder or not), else (deprecated but
/// still accepted) the post with that slug and date.
pub(super) fn post_url(shared: &Shared, name: &str) -> Option<String> {
    let name = name.strip_prefix('/').unwrap_or(name);
    let (dir, base) = match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let mut parts = base.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let slug = parts.next()?;
    let digits = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 2, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
        return None;
    }
    let date = format!("{y}-{m}-{d}");
    let basename_matches = |rest: &str| {
        rest.strip_prefix(&date)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_prefix(slug))
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|ext| !ext.is_empty() && !ext.contains('.'))
    };
    let exact = shared.posts.iter().find(|p| {
        let rel = p.relative_path.as_str();
        rel.strip_prefix("_posts/")
            .and_then(|r| r.strip_prefix(dir))
            .is_some_and(basename_matches)
            || rel
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix("_posts"))
                .map(|r| r.strip_prefix('/').unwrap_or(r))
                .is_some_and(basename_matches)
    });
    if let Some(p) = exact {
        return Some(p.url.clone());
    }
    let ymd = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let full_slug = format!("{dir}{slug}");
    shared
        .posts
        .iter()
        .find(|p| p.ymd == ymd && (p.slug == slug && dir.is_empty() || p.slug == full_slug))
        .map(|p| p.url.clone())
}

/// Jekyll's include markup: the file (possibly `{{ … }}`), then
/// `key=value` parameters (quoted, or a variable's name).
fn split_include(markup: &str) -> (String, Vec<(String, Param)>) {
    let markup = markup.trim();
    let (file, mut rest) = if markup.starts_with("{{")
        || markup.contains("{{") && !markup.split_whitespace().next().unwrap_or("").contains('=')
    {
        // The file name runs to the end of its last `}}` and what sticks to it.
        let end = markup.rfind("}}").map_or(markup.len(), |i| i + 2);
        let end = end
            + markup[end..]
                .find(char::is_whitespace)
                .unwrap_or(markup.len() - end);
        (&markup[..end], &markup[end..])
    } else {
        match markup.find(char::is_whitespace) {
            Some(i) => (&markup[..i], &markup[i..]),
            None => (markup, ""),
        }
    };
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            break;
        }
        let v = rest[eq + 1..].trim_start();
        let (value, after) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &v[1..];
                let mut end = None;
                let mut escaped = false;
                for (i, c) in body.char_indices() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == q {
                        end = Some(i);
                        break;
                    }
                }
                let Some(end) = end else { break };
                let text = body[..end].replace(&format!("\\{q}"), &q.to_string());
                (Param::Text(text), &body[end + 1..])
            }
            _ => {
                let end = v.find(char::is_whitespace).unwrap_or(v.len());
                (Param::Variable(v[..end].to_string()), &v[end..])
            }
        };
        params.push((key.to_string(), value));
        rest = after;
    }
    (file.to_string(), params)
}

#[derive(Debug, PartialEq)]
enum Param {
    Text(String),
    Variable(String),
}

/// A variable by its dotted name (`page.title`, `post.tags[0]` not needed).
fn lookup(runtime: &dyn Runtime, name: &str) -> Value {
    let path: Vec<Scalar> = name
        .split('.')
        .map(|p| match p.parse::<i64>() {
            Ok(i) => Scalar::new(i),
            Err(_) => Scalar::new(p.to_string()),
        })
        .collect();
    let path: Vec<_> = path.iter().map(|s| s.as_ref()).collect();
    runtime
        .try_get(&path)
        .map_or(Value::Nil, |v| v.into_owned())
}

impl Call {
    fn include(
        &self,
        relative: bool,
        markup: &str,
        line: usize,
        writer: &mut dyn Write,
        runtime: &dyn Runtime,
    ) -> Result<()> {
        let tag = if relative {
            "include_relative"
        } else {
            "include"
        };
        let (file, params) = split_include(markup);
        let file = interpolate(&file, runtime);
        let file = file.trim();
        let bad_name = file.is_empty()
            || file.contains("..")
            || file.contains("//")
            || file.contains("./")
            || file.contains("/.")
            || !file
                .chars()
                .all(|c| c.is_alphanumeric() || "_/.-()+~#@".contains(c));
        if bad_name {
            warn(runtime, line, format!("`{{% {tag} {file} %}}` is not a file name Jekyll accepts (no `..`, `./` or unusual characters); it was removed"));
            return Ok(());
        }
        let (dir, lang, depth) = {
            let s = runtime.registers().get_mut::<PostState>();
            (s.dir.clone(), s.lang.clone(), s.depth)
        };
        let Some(lang) = lang else { return Ok(()) };
        if depth >= MAX_INCLUDE_DEPTH {
            warn(runtime, line, format!("`{{% {tag} {file} %}}` includes itself (or nests more than {MAX_INCLUDE_DEPTH} deep); the deeper includes were removed"));
            return Ok(());
        }
        let path = if relative {
            dir.join(file)
        } else {
            self.shared.includes_dir.join(file)
        };
        let Some(included) = self.load(&path, &lang) else {
            let folder = if relative {
                "the post's folder".to_string()
            } else {
                format!("{}", self.shared.includes_dir.display())
            };
            warn(runtime, line, format!("`{{% {tag} {file} %}}`: there is no {file} in {folder} (a theme's include?), so nothing was included. Add the file, or remove the tag"));
            return Ok(());
        };
        for (l, m) in &included.warnings {
            warn(runtime, line, format!("in {file}, line {}: {m}", l + 1));
        }
        // Jekyll sets `include` only when the tag has parameters.
        let mut scope = Object::new();
        if !params.is_empty() {
            let mut inc = Object::new();
            for (k, v) in params {
                let v = match v {
                    Param::Text(t) => Value::scalar(t),
                    Param::Variable(name) => lookup(runtime, &name),
                };
                inc.insert(KString::from(k), v);
            }
            scope.insert("include".into(), Value::Object(inc));
        }
        let saved = {
            let mut s = runtime.registers().get_mut::<PostState>();
            let saved = (s.calls.clone(), s.include_line);
            s.calls = included.calls.clone();
            s.include_line = Some(line);
            s.depth += 1;
            saved
        };
        // Missing variables inside the include are nil too.
        let frame = super::state::Lax(StackFrame::new(runtime, &scope));
        let mut out = Vec::new();
        let result = included.template.render_to(&mut out, &frame);
        {
            let mut s = runtime.registers().get_mut::<PostState>();
            s.calls = saved.0;
            s.include_line = saved.1;
            s.depth -= 1;
        }
        match result {
            Ok(()) => writer
                .write_all(&out)
                .map_err(|e| liquid_core::Error::with_msg(e.to_string())),
            Err(e) => {
                warn(runtime, line, format!("`{{% {tag} {file} %}}` could not be run ({}), so nothing was included; Jekyll stops on such an error", super::state::brief(&e.to_string())));
                Ok(())
            }
        }
    }

    /// The include at `path`, scanned and parsed once per build.
    fn load(&self, path: &Path, lang: &Language) -> Option<Arc<Included>> {
        if let Some(found) = self.shared.includes.lock().ok()?.get(path) {
            return found.clone();
        }
        let parsed = std::fs::read_to_string(path).ok().map(|text| {
            if super::state::may_read_the_clock(&text) {
                self.shared
                    .clock
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let scanned = super::scan::scan(&text, lang, &|n| super::scan::tag_kind(lang, n));
            let (template, mut warnings) = match liquid_core::parser::parse(&scanned.template, lang)
            {
                Ok(e) => (Template::new(e), scanned.warnings),
                Err(e) => {
                    let mut w = scanned.warnings;
                    w.push((
                        0,
                        format!(
                            "its Liquid could not be run ({}), so its tags were removed",
                            super::state::brief(&e.to_string())
                        ),
                    ));
                    (Template::new(vec![Box::new(Text(scanned.stripped))]), w)
                }
            };
            warnings.sort_by_key(|w| w.0);
            Arc::new(Included {
                template,
                calls: Arc::new(scanned.calls),
                warnings,
            })
        });
        self.shared
            .includes
            .lock()
            .ok()?
            .insert(path.to_path_buf(), parsed.clone());
        parsed
    }
}

/// Fixed text.
#[derive(Debug)]
struct Text(String);

impl Renderable for Text {
    fn render_to(&self, writer: &mut dyn Write, _: &dyn Runtime) -> Result<()> {
        writer
            .write_all(self.0.as_bytes())
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
    }
}

/// `{% highlight lang [linenos] %}`: Jekyll's HTML around the code, the
/// code escaped as Rouge escapes it (no colouring).
#[derive(Clone, Copy)]
struct Highlight;

impl BlockReflection for Highlight {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        ""
    }
}

impl ParseBlock for Highlight {
    fn parse(
        &self,
        args: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let n = call_number(args)?;
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(HighlightCall { n, body }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct HighlightCall {
    n: usize,
    body: Template,
}

impl Renderable for HighlightCall {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let (markup, line) = markup(runtime, self.n);
        let mut code = Vec::new();
        self.body.render_to(&mut code, runtime)?;
        let code = String::from_utf8_lossy(&code);
        let html = match highlight(&markup, &code) {
            Ok(html) => html,
            Err(html) => {
                warn(runtime, line, format!("`{{% highlight {markup} %}}` is not highlight's syntax (`highlight <lang> [linenos] [mark_lines=\"3 4\"]`); the code is shown as plain text. Jekyll stops here"));
                html
            }
        };
        writer
            .write_all(html.as_bytes())
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
    }
}

/// Jekyll's `HighlightBlock#render` with Rouge's HTML (and HTMLTable for
/// `linenos`) formatters, colouring left out. `Err` (plain text) when the
/// markup is not the tag's syntax.
pub(super) fn highlight(markup: &str, code: &str) -> std::result::Result<String, String> {
    let markup = markup.trim();
    let mut words = markup.split_whitespace();
    let lang = words.next().unwrap_or("");
    let valid_lang = !lang.is_empty()
        && lang
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+#_-".contains(c));
    let options: Vec<&str> = words.collect();
    let linenos = options
        .iter()
        .any(|o| *o == "linenos" || o.starts_with("linenos="));
    let code = code.trim_matches(['\n', '\r']);
    let escaped = html_escape::encode_text(code);
    let lang = lang.to_ascii_lowercase();
    let inner = if linenos {
        let lines = code.matches('\n').count() + usize::from(!code.ends_with('\n'));
        let numbers: String = (1..=lines).map(|i| format!("{i}\n")).collect();
        format!("<table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">{numbers}</pre></td><td class=\"code\"><pre>{escaped}\n</pre></td></tr></tbody></table>")
    } else {
        escaped.into_owned()
    };
    let inner = inner.strip_suffix('\n').unwrap_or(&inner);
    let html = if valid_lang {
        format!(
            "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{lang}\">{inner}</code></pre></figure>",
            lang.replace('+', "-")
        )
    } else {
        format!("<figure class=\"highlight\"><pre><code>{inner}</code></pre></figure>")
    };
    // Markdown ends an HTML block at a blank line, and the code after it
    // would be read as Markdown (kramdown knows `<pre>` holds raw text);
    // a character reference keeps the block whole and reads the same.
    let html = if html.lines().any(|l| l.trim().is_empty()) {
        html.replace('\n', "&#10;")
    } else {
        html
    };
    if valid_lang {
        Ok(html)
    } else {
        Err(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_markup_splits_into_file_and_parameters_as_jekyll_reads_them() {
        let (file, params) =
            split_include(r#"note.html title="A \"quoted\" word" kind='tip' who=page.author"#);
        assert_eq!(file, "note.html");
        assert_eq!(
            params,
            vec![
                ("title".to_string(), Param::Text("A \"quoted\" word".into())),
                ("kind".to_string(), Param::Text("tip".into())),
                ("who".to_string(), Param::Variable("page.author".into())),
            ]
        );
        let (file, params) = split_include("{{ page.widget }}.html size=2");
        assert_eq!(file, "{{ page.widget }}.html");
        assert_eq!(
            params,
            vec![("size".to_string(), Param::Variable("2".into()))]
        );
    }

    #[test]
    fn highlight_wraps_escaped_code_in_jekylls_figure() {
        assert_eq!(
            highlight("ruby", "\n\nputs \"<b>\" & 1\n\n").unwrap(),
            "<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">puts \"&lt;b&gt;\" &amp; 1</code></pre></figure>"
        );
        assert_eq!(
            highlight("C++", "a").unwrap(),
            "<figure class=\"highlight\"><pre><code class=\"language-c--\" data-lang=\"c++\">a</code></pre></figure>"
        );
    }

    #[test]
    fn highlight_with_linenos_numbers_every_line_in_rouges_table() {
        let html = highlight("python linenos", "a = 1\nb = 2").unwrap();
        assert_eq!(
            html,
            "<figure class=\"highlight\"><pre><code class=\"language-python\" data-lang=\"python\"><table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">1\n2\n</pre></td><td class=\"code\"><pre>a = 1\nb = 2\n</pre></td></tr></tbody></table></code></pre></figure>"
        );
    }

    #[test]
    fn highlighted_code_with_a_blank_line_stays_one_html_block() {
        let html = highlight("sh", "echo a\n\necho b").unwrap();
        assert!(!html.contains('\n'), "{html}");
        assert!(html.contains("echo a&#10;&#10;echo b"), "{html}");
    }

    #[test]
    fn a_highlight_without_a_language_is_plain_code() {
        let html = highlight("", "x < y").unwrap_err();
        assert_eq!(
            html,
            "<figure class=\"highlight\"><pre><code>x &lt; y</code></pre></figure>"
        );
    }
}
