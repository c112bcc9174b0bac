//! Stage 5, validate: no output is published that the validator finds an
//! error in. Only outputs whose bytes changed are validated again: a file
//! the last build validated and left (its [`Stamp`] in the manifest still
//! holds) whose bytes equal the new output's is known valid.

use super::assemble::Planned;
use super::survey::Stamp;
use crate::error::Error;
use rayon::prelude::*;
use std::path::Path;

/// Never publish an invalid document: every XML output is validated first,
/// unless it is byte for byte a file that was (`known`).
pub(super) fn all(dest: &Path, files: &[Planned], known: &[Stamp]) -> Result<(), Error> {
    files
        .par_iter()
        .filter(|f| !already_valid(dest, f, known))
        .map(|f| one(dest, f))
        .collect::<Result<Vec<()>, Error>>()
        .map(|_| ())
}

/// True when the file at `f`'s path is one the last build validated and
/// left (its stamp still holds) and holds exactly `f`'s bytes.
fn already_valid(dest: &Path, f: &Planned, known: &[Stamp]) -> bool {
    known.iter().any(|s| {
        s.path == f.path
            && s.size == f.bytes.len() as u64
            && Stamp::of(dest, &s.path).as_ref() == Some(s)
            && std::fs::read(dest.join(&s.path)).is_ok_and(|b| b == f.bytes)
    })
}

fn one(dest: &Path, f: &Planned) -> Result<(), Error> {
    let opts = crate::validate::Options::default();
    let report = if f.path.ends_with(".gz") {
        let bytes =
            crate::validate::read_limited(f.bytes.as_slice(), crate::validate::MAX_SITEMAP_BYTES)
                .map(|(b, _)| b)
                .unwrap_or_default();
        crate::validate::validate_owned(bytes, &opts)
    } else {
        crate::validate::validate_bytes(&f.bytes, &opts)
    };
    if report.has_errors() {
        return Err(Error::InvalidOutput {
            path: dest.join(&f.path),
            diagnostics: report
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::validate::Severity::Error)
                .map(|d| d.to_string())
                .collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(path: &str, bytes: &[u8]) -> Planned {
        Planned {
            path: path.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn only_a_file_left_as_stamped_with_the_same_bytes_skips_validation() {
        let dest = tempfile::tempdir().unwrap();
        let path = dest.path().join("sitemap.xml");
        std::fs::write(&path, b"<urlset/>").unwrap();
        let known = [Stamp::of(dest.path(), "sitemap.xml").unwrap()];
        assert!(already_valid(
            dest.path(),
            &planned("sitemap.xml", b"<urlset/>"),
            &known
        ));
        // Other bytes, another path, or no stamp: validated.
        assert!(!already_valid(
            dest.path(),
            &planned("sitemap.xml", b"<urlset></urlset>"),
            &known
        ));
        assert!(!already_valid(
            dest.path(),
            &planned("feed.xml", b"<urlset/>"),
            &known
        ));
        assert!(!already_valid(
            dest.path(),
            &planned("sitemap.xml", b"<urlset/>"),
            &[]
        ));
        // The file changed since the stamp (same size, other time): validated.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(std::time::UNIX_EPOCH)
            .unwrap();
        assert!(!already_valid(
            dest.path(),
            &planned("sitemap.xml", b"<urlset/>"),
            &known
        ));
    }

    #[test]
    fn an_invalid_output_is_refused_when_nothing_vouches_for_it() {
        let dest = tempfile::tempdir().unwrap();
        let bad = planned(
            "feed.xml",
            b"<rss version=\"2.0\"><channel></channel></rss>",
        );
        assert!(all(dest.path(), &[bad], &[]).is_err());
    }
}
