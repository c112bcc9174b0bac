//! kramdown's tables without a header row: rows of `|`-separated cells with no
//! separator line (`|---|`) still form a table in kramdown, all of it body.
//! GFM needs the separator, so one is put in after the first row and that
//! row is turned back into a body row once parsed.

use comrak::nodes::NodeValue;
use comrak::Node;

/// The source with a separator line after the first row of each table that
/// has none, and the (1-based) lines those first rows start on in it.
pub(super) struct Headerless {
    pub source: String,
    pub headerless_rows: Vec<usize>,
}

/// Finds kramdown's header-less tables: a run of lines starting with `|`
/// after a blank line (or the start), outside fenced code, none of which is a
/// separator line.
pub(super) fn headerless(md: &str) -> Headerless {
    let lines: Vec<&str> = md.split_inclusive('\n').collect();
    let mut out = String::with_capacity(md.len());
    let mut rows = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut out_line = 0usize;
    let mut i = 0;
    let mut after_blank = true;
    while i < lines.len() {
        let line = lines[i];
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        let indent = body.len() - trimmed.len();
        if let Some((ch, len)) = fence {
            if indent < 4
                && trimmed.starts_with(&*ch.to_string().repeat(len))
                && trimmed.trim_start_matches(ch).trim().is_empty()
            {
                fence = None;
            }
        } else if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let ch = trimmed.chars().next().unwrap_or('`');
            fence = Some((ch, trimmed.chars().take_while(|&c| c == ch).count()));
        } else if after_blank && indent < 4 && starts_table(trimmed) {
            let mut end = i;
            while end < lines.len() && has_pipe(lines[end]) {
                end += 1;
            }
            if end > i + 1 && is_separator(lines[i + 1]) {
                // kramdown takes a separator whose cell count differs from
                // the header's; GFM needs them equal.
                let (h, sep) = (cell_count(body), cells(lines[i + 1]));
                let n = h.max(sep.len());
                if h != sep.len() {
                    out.push_str(body.trim_end());
                    if !body.trim_end().ends_with('|') {
                        out.push_str(" |");
                    }
                    out.push_str(&" |".repeat(n - h));
                    out.push('\n');
                    out.push('|');
                    for k in 0..n {
                        out.push_str(sep.get(k).map_or("---", |c| c.as_str()));
                        out.push('|');
                    }
                    out.push('\n');
                    out_line += 2;
                    for l in &lines[i + 2..end] {
                        out.push_str(l);
                        out_line += 1;
                    }
                    after_blank = false;
                    i = end;
                    continue;
                }
            } else if !lines[i..end].iter().any(|l| is_separator(l)) {
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push('\n');
                }
                out_line += 1;
                rows.push(out_line);
                let cells = cell_count(body);
                out.push('|');
                out.push_str(&"---|".repeat(cells.max(1)));
                out.push('\n');
                out_line += 1;
                for l in &lines[i + 1..end] {
                    out.push_str(l);
                    out_line += 1;
                }
                after_blank = false;
                i = end;
                continue;
            }
        }
        // A block starts after a blank line or an ATX heading.
        after_blank =
            body.trim().is_empty() || (fence.is_none() && indent < 4 && trimmed.starts_with('#'));
        if fence.is_none() && indent < 4 {
            // kramdown's ordered lists are `1.` only: `1)` is text.
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if (1..10).contains(&digits) && trimmed[digits..].starts_with(") ") {
                out.push_str(&line[..indent + digits]);
                out.push('\\');
                out.push_str(&line[indent + digits..]);
                out_line += 1;
                i += 1;
                continue;
            }
        }
        if fence.is_none() && line.contains("<<") {
            out.push_str(&guillemets(line));
        } else {
            out.push_str(line);
        }
        out_line += 1;
        i += 1;
    }
    Headerless {
        source: out,
        headerless_rows: rows,
    }
}

/// kramdown reads `<<` as a guillemet before it reads a tag: `<<tight>>` is
/// `«tight»`, where CommonMark sees the tag `<tight>`. The second `<` is
/// escaped, outside code spans.
fn guillemets(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut in_code: Option<usize> = None;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&b| b == '`').count();
            in_code = match in_code {
                Some(open) if open == run => None,
                None => Some(run),
                other => other,
            };
            chars[i..i + run].iter().for_each(|&b| out.push(b));
            i += run;
            continue;
        }
        out.push(c);
        if in_code.is_none()
            && c == '<'
            && chars.get(i + 1) == Some(&'<')
            && chars
                .get(i + 2)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/')
        {
            out.push('\\');
        }
        i += 1;
    }
    out
}

/// A line that starts a table in kramdown: one with a `|` not escaped
/// (`TABLE_PIPE_CHECK`), where no other block starts.
fn starts_table(line: &str) -> bool {
    let list_item = line.starts_with(['*', '-', '+']) && line[1..].starts_with([' ', '\t']) || {
        let d = line.chars().take_while(char::is_ascii_digit).count();
        d > 0 && line[d..].starts_with(['.', ')'])
    };
    has_pipe(line) && !list_item && !line.starts_with(['#', '>', '<', '`', '~', '$'])
}

/// The line holds a `|` not escaped with `\`.
fn has_pipe(line: &str) -> bool {
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// kramdown's `TABLE_SEP_LINE`: only `|`, `+`, `:`, `-` and blanks, with a `-`.
fn is_separator(line: &str) -> bool {
    let l = line.trim();
    l.contains('-')
        && l.chars()
            .all(|c| matches!(c, '|' | '+' | ':' | '-' | ' ' | '\t'))
}

/// The cells of a row: `|`s not escaped with `\`, less a leading and a
/// trailing one.
fn cell_count(row: &str) -> usize {
    let row = row.trim();
    let mut pipes = 0usize;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => pipes += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let leading = usize::from(row.starts_with('|'));
    let trailing = usize::from(row.len() > 1 && row.ends_with('|') && !row.ends_with("\\|"));
    (pipes + 1).saturating_sub(leading + trailing)
}

/// A separator line's cells.
fn cells(line: &str) -> Vec<String> {
    let l = line.trim();
    let l = l.strip_prefix('|').unwrap_or(l);
    let l = l.strip_suffix('|').unwrap_or(l);
    l.split('|').map(|c| c.trim().to_string()).collect()
}

/// Turns the header row of each table that starts on one of `rows` into a
/// body row.
pub(super) fn mark_headerless<'a>(root: Node<'a>, rows: &[usize]) {
    if rows.is_empty() {
        return;
    }
    for node in root.descendants() {
        let mut data = node.data_mut();
        let line = data.sourcepos.start.line;
        if let NodeValue::TableRow(header) = &mut data.value {
            if *header && rows.contains(&line) {
                *header = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_rows_without_a_separator_gets_one_after_its_first_row() {
        let h = headerless("Intro\n\n|a|b|\n|c|d|\n\nEnd\n");
        assert_eq!(h.source, "Intro\n\n|a|b|\n|---|---|\n|c|d|\n\nEnd\n");
        assert_eq!(h.headerless_rows, [3]);
    }

    #[test]
    fn gfm_tables_and_code_are_left_alone() {
        let src = "|a|b|\n|-|-|\n|c|d|\n\n```\n|x|y|\n```\n";
        let h = headerless(src);
        assert_eq!(h.source, src);
        assert!(h.headerless_rows.is_empty());
    }

    #[test]
    fn a_paragraph_line_with_a_pipe_is_a_table_row_in_kramdown() {
        let h = headerless("# T\nx | y\nz | w\nplain\n\n* a | b\n");
        assert_eq!(h.source, "# T\nx | y\n|---|---|\nz | w\nplain\n\n* a | b\n");
        assert_eq!(h.headerless_rows, [2]);
        assert!(headerless("a \\| b\n").headerless_rows.is_empty());
    }

    #[test]
    fn a_separator_with_another_cell_count_is_evened_out() {
        let h = headerless("| a |\n| --- | :-: |\n| b | c |\n");
        assert_eq!(h.source, "| a | |\n|---|:-:|\n| b | c |\n");
        let h = headerless("a | b | c\n--- | ---\n");
        assert_eq!(h.source, "a | b | c |\n|---|---|---|\n");
    }

    #[test]
    fn guillemets_before_a_word_are_not_a_tag() {
        assert_eq!(
            guillemets("<<tight>> and `<<EOF` <<\n"),
            "<\\<tight>> and `<<EOF` <<\n"
        );
    }

    #[test]
    fn cells_are_counted_without_escaped_pipes() {
        assert_eq!(cell_count("| a | b \\| c |"), 2);
        assert_eq!(cell_count("a | b"), 2);
        assert_eq!(cell_count("|a|"), 1);
    }
}
