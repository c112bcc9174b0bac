//! Stage 5, validate: no output is published that the validator finds an
//! error in.

use super::assemble::Planned;
use crate::error::Error;
use rayon::prelude::*;
use std::path::Path;

/// Never publish an invalid document: every XML output is validated first.
pub(super) fn all(dest: &Path, files: &[Planned]) -> Result<(), Error> {
    files
        .par_iter()
        .map(|f| one(dest, f))
        .collect::<Result<Vec<()>, Error>>()
        .map(|_| ())
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
