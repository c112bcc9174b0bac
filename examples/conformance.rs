//! Runs feedwright's validator on the W3C Feed Validation Service's test cases
//! and reports, per folder, how often its verdict (errors or not) and its
//! warnings agree with what the W3C validator logs (`cases.tsv`).
//!
//! ```sh
//! cargo run --release --example conformance -- ../shared/conformance/feedvalidator [conformance-ratchet.tsv] [--update] [--show-disagreements]
//! ```
//! With a ratchet file it exits 1 when any folder's verdict agreement drops
//! below the level recorded there; `--update` records the levels reached.

use feedwright::validate::{validate_bytes, Options};
use feedwright::AbsUrl;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Default)]
struct Tally {
    cases: usize,
    verdict_agree: usize,
    warning_agree: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(
        args.first()
            .map(String::as_str)
            .unwrap_or("../shared/conformance/feedvalidator"),
    );
    let ratchet = args.get(1).filter(|a| !a.starts_with("--"));
    let update = args.iter().any(|a| a == "--update");
    let show = args.iter().any(|a| a == "--show-disagreements");
    let tsv = std::fs::read_to_string(dir.join("cases.tsv"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("cases.tsv").display()));
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_path, c_err, c_warn) = (
        col("path"),
        col("upstream_errors"),
        col("upstream_warnings"),
    );

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let path = f[c_path];
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let mut opts = Options::default();
        if let Ok(base) = AbsUrl::parse(&format!("http://www.feedvalidator.org/testcases/{path}")) {
            opts = opts.base(&base);
        }
        let report = validate_bytes(&bytes, &opts);
        let w3c_error = !f.get(c_err).unwrap_or(&"").trim().is_empty();
        let w3c_warning = !f.get(c_warn).unwrap_or(&"").trim().is_empty();
        let verdict = report.has_errors() == w3c_error;
        let warning = report.has_warnings() == w3c_warning;
        if show && !verdict {
            let ours: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == feedwright::validate::Severity::Error)
                .map(|d| format!("{}@{}", d.code, d.line))
                .collect();
            println!(
                "DISAGREE {path}\tw3c: {}\tours: {}",
                f.get(c_err).unwrap_or(&""),
                ours.join(" ")
            );
        }
        for key in [
            path.split('/').next().unwrap().to_string(),
            "all".to_string(),
        ] {
            let t = tallies.entry(key).or_default();
            t.cases += 1;
            t.verdict_agree += verdict as usize;
            t.warning_agree += warning as usize;
        }
        let t = tallies.entry("atom+rss20".into()).or_default();
        if path.starts_with("atom/") || path.starts_with("rss20/") {
            t.cases += 1;
            t.verdict_agree += verdict as usize;
            t.warning_agree += warning as usize;
        }
    }
    println!(
        "{:<12} {:>6} {:>18} {:>18}",
        "folder", "cases", "verdict agreement", "warning agreement"
    );
    for (k, t) in &tallies {
        println!(
            "{:<12} {:>6} {:>17.1}% {:>17.1}%",
            k,
            t.cases,
            pct(t.verdict_agree, t.cases),
            pct(t.warning_agree, t.cases)
        );
    }
    let Some(ratchet) = ratchet else { return };
    if update {
        let mut s = String::from(
            "# folder\tminimum verdict agreement (%), kept by examples/conformance.rs --update\n",
        );
        for (k, t) in &tallies {
            s.push_str(&format!(
                "{k}\t{:.1}\n",
                (pct(t.verdict_agree, t.cases) * 10.0).floor() / 10.0
            ));
        }
        std::fs::write(ratchet, s).unwrap();
        println!("ratchet updated: {ratchet}");
        return;
    }
    let text = std::fs::read_to_string(ratchet).unwrap_or_else(|e| panic!("{ratchet}: {e}"));
    let mut failed = false;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((k, min)) = line.split_once('\t') else {
            continue;
        };
        let min: f64 = min.trim().parse().unwrap();
        let got = tallies
            .get(k)
            .map_or(0.0, |t| pct(t.verdict_agree, t.cases));
        if got + 1e-9 < min {
            println!(
                "RATCHET FAILED: {k} verdict agreement {got:.1}% is below the recorded {min:.1}%"
            );
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
    println!("ratchet holds ({ratchet})");
}
