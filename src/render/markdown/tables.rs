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
        } else if after_blank && indent < 4 && trimmed.starts_with('|') {
            let mut end = i;
            while end < lines.len() && lines[end].trim_start_matches(' ').starts_with('|') {
                end += 1;
            }
            if !lines[i..end].iter().any(|l| is_separator(l)) {
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
        after_blank = body.trim().is_empty();
        out.push_str(line);
        out_line += 1;
        i += 1;
    }
    Headerless {
        source: out,
        headerless_rows: rows,
    }
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
    fn cells_are_counted_without_escaped_pipes() {
        assert_eq!(cell_count("| a | b \\| c |"), 2);
        assert_eq!(cell_count("a | b"), 2);
        assert_eq!(cell_count("|a|"), 1);
    }
}
