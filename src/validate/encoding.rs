//! Bytes → text for the validator, in every encoding of the WHATWG Encoding
//! Standard (`encoding_rs`), chosen as XML 1.0 Appendix F and RFC 7303 §3
//! say: a byte-order mark first, then the HTTP charset, then the XML
//! declaration, else UTF-8.

use super::shared::{Diagnostic, Severity};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

const SPEC: &str = "XML 1.0 §4.3.3";

/// Text read from bytes, with the encoding it was read in.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    /// Disagreements that do not stop reading (an HTTP charset that is not the declared one).
    pub notes: Vec<Diagnostic>,
}

/// The value of `encoding="…"` in an XML declaration at the very start of
/// ASCII-compatible bytes (after any BOM).
fn declared_label(bytes: &[u8]) -> Option<&[u8]> {
    let head = &bytes[..bytes.len().min(512)];
    let d = head.strip_prefix(b"<?xml")?;
    if !d.first().is_some_and(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let end = d.windows(2).position(|w| w == b"?>")?;
    let d = &d[..end];
    let i = d.windows(8).position(|w| w == b"encoding")?;
    let mut v = d[i + 8..].trim_ascii_start();
    v = v.strip_prefix(b"=")?.trim_ascii_start();
    let q = *v.first().filter(|c| matches!(c, b'"' | b'\''))?;
    let v = &v[1..];
    Some(&v[..v.iter().position(|&b| b == q)?])
}

/// UTF-16 without a byte-order mark, recognised by `<?` (XML 1.0 Appendix F.1).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes.get(..4)? {
        [b'<', 0, b'?', 0] => Some(UTF_16LE),
        [0, b'<', 0, b'?'] => Some(UTF_16BE),
        _ => None,
    }
}

fn error(line: usize, column: usize, code: &str, message: &str) -> Diagnostic {
    Diagnostic::new(line, column, Severity::Error, code, message, SPEC)
}

fn label_encoding(label: &[u8], code: &str, whose: &str) -> Result<&'static Encoding, Diagnostic> {
    let name = String::from_utf8_lossy(label);
    match Encoding::for_label(label) {
        // The "replacement" encoding stands for labels (iso-2022-kr, hz-gb-2312)
        // browsers refuse to decode because they were used for attacks.
        Some(e) if e != encoding_rs::REPLACEMENT => Ok(e),
        _ => Err(error(1, 1, code, &format!("{whose} names the encoding `{name}`, which is not one of the WHATWG Encoding Standard; use UTF-8"))),
    }
}

/// Chooses the encoding and decodes. `http_charset` is the `charset`
/// parameter of the Content-Type the document was served with, if any.
pub(crate) fn decode<'a>(
    bytes: Cow<'a, [u8]>,
    http_charset: Option<&str>,
) -> Result<Decoded<'a>, Diagnostic> {
    let mut notes = Vec::new();
    let (encoding, skip) = if let Some((e, len)) = Encoding::for_bom(&bytes) {
        (e, len)
    } else if let Some(e) = utf16_without_bom(&bytes) {
        (e, 0)
    } else {
        let declared = declared_label(&bytes)
            .map(|l| label_encoding(l, "xml-unknown-encoding", "the XML declaration"))
            .transpose()?;
        let served = http_charset
            .map(|c| {
                label_encoding(
                    c.trim().trim_matches('"').as_bytes(),
                    "http-unknown-charset",
                    "the Content-Type's charset",
                )
            })
            .transpose()?;
        let chosen = match (served, declared) {
            (Some(s), d) => {
                if d.is_some_and(|d| d != s) || (d.is_none() && s != UTF_8) {
                    notes.push(Diagnostic::new(1, 1, Severity::Error, "http-charset-mismatch", &format!(
                        "the server says charset={} but the document {}; the HTTP charset wins (RFC 7303 §3), so make them agree",
                        s.name(),
                        d.map_or("declares no encoding (so UTF-8)".to_string(), |d| format!("declares {}", d.name()))
                    ), "RFC 7303 §3"));
                }
                s
            }
            (None, Some(d)) => d,
            (None, None) => UTF_8,
        };
        // A UTF-16 declaration read in ASCII means the bytes are not UTF-16.
        if chosen == UTF_16LE || chosen == UTF_16BE {
            return Err(error(1, 1, "xml-encoding", "the document declares UTF-16 but is written in an ASCII-compatible encoding (UTF-16 needs a byte-order mark); declare the real encoding"));
        }
        (chosen, 0)
    };
    let text = if encoding == UTF_8 {
        utf8(bytes, skip)?
    } else {
        let body = &bytes[skip..];
        match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(t) => Cow::Owned(t.into_owned()),
            None => return Err(malformed(encoding, body)),
        }
    };
    Ok(Decoded {
        text,
        encoding,
        notes,
    })
}

fn utf8(bytes: Cow<'_, [u8]>, skip: usize) -> Result<Cow<'_, str>, Diagnostic> {
    match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(&b[skip..])
            .map(Cow::Borrowed)
            .map_err(|e| not_utf8(&b[skip..], e)),
        Cow::Owned(mut b) => {
            b.drain(..skip);
            String::from_utf8(b)
                .map(Cow::Owned)
                .map_err(|e| not_utf8(e.as_bytes(), e.utf8_error()))
        }
    }
}

fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let (line, column) = line_col_bytes(bytes, e.valid_up_to());
    error(
        line,
        column,
        "xml-encoding",
        &format!(
            "byte 0x{:02X} is not UTF-8; declare the file's real encoding or convert it to UTF-8",
            bytes[e.valid_up_to()]
        ),
    )
}

/// Where decoding in `encoding` first fails, and why.
fn malformed(encoding: &'static Encoding, body: &[u8]) -> Diagnostic {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length(body.len())
            .unwrap_or(body.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    let at = match result {
        encoding_rs::DecoderResult::Malformed(bad, consumed_after) => {
            read.saturating_sub(bad as usize + consumed_after as usize)
        }
        _ => read,
    };
    let (line, column) = line_col_bytes(body, at);
    error(
        line,
        column,
        "xml-encoding",
        &format!(
        "byte 0x{:02X} is not valid {}; declare the file's real encoding or convert it to UTF-8",
        body.get(at).copied().unwrap_or(0),
        encoding.name()
    ),
    )
}

fn line_col_bytes(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(encoding: &str, body: &[u8]) -> Vec<u8> {
        let mut d = format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n<r>").into_bytes();
        d.extend_from_slice(body);
        d.extend_from_slice(b"</r>");
        d
    }

    #[test]
    fn declared_cjk_and_cyrillic_encodings_are_read() {
        for (label, text) in [
            ("gb2312", "中文"),
            ("gbk", "中文"),
            ("gb18030", "中文"),
            ("big5", "中文"),
            ("shift_jis", "日本語"),
            ("euc-jp", "日本語"),
            ("iso-2022-jp", "日本語"),
            ("euc-kr", "한국어"),
            ("windows-1251", "Русский"),
            ("koi8-r", "Русский"),
            ("iso-8859-2", "Łódź"),
            ("iso-8859-15", "€uro"),
            ("x-mac-cyrillic", "Русский"),
            ("tis-620", "ภาษาไทย"),
        ] {
            let enc = Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, unmappable) = enc.encode(text);
            assert!(!unmappable, "{label}");
            let got = decode(Cow::Owned(doc(label, &bytes)), None)
                .unwrap_or_else(|d| panic!("{label}: {d}"));
            assert!(got.text.contains(text), "{label}: {}", got.text);
            assert_eq!(got.encoding, enc);
        }
    }

    #[test]
    fn an_unknown_encoding_name_is_its_own_error() {
        let e = decode(Cow::Owned(doc("klingon-8", b"x")), None)
            .err()
            .unwrap();
        assert_eq!(e.code, "xml-unknown-encoding");
    }

    #[test]
    fn bytes_invalid_in_the_declared_encoding_are_placed() {
        // 0xFF is never a lead byte in EUC-KR.
        let e = decode(Cow::Owned(doc("euc-kr", b"ab\xFF")), None)
            .err()
            .unwrap();
        assert_eq!((e.code.as_str(), e.line, e.column), ("xml-encoding", 2, 6));
    }

    #[test]
    fn the_http_charset_wins_and_a_disagreement_is_reported() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode("한국어");
        let got = decode(Cow::Owned(doc("utf-8", &bytes)), Some("euc-kr")).unwrap();
        assert!(got.text.contains("한국어"));
        assert_eq!(got.notes[0].code, "http-charset-mismatch");
        let agreed = decode(Cow::Owned(doc("EUC-KR", &bytes)), Some("\"euc-kr\"")).unwrap();
        assert!(agreed.notes.is_empty());
    }

    #[test]
    fn a_bom_beats_the_declaration_and_utf16_is_read_with_or_without_one() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?><r>한</r>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let got = decode(Cow::Owned(le.clone()), None).unwrap();
        assert_eq!(got.text, text);
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(le);
        assert_eq!(decode(Cow::Owned(bom), None).unwrap().text, text);
    }
}
