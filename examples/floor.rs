//! The front-matter floor for `bench/compare.sh`: the least a build that
//! reads every post's front matter can cost on this machine. Lists every
//! file under the folders given (as a build lists `_posts/`), then opens
//! each and reads its first 2 KiB, on every core. No parsing, no output.
//!
//! ```sh
//! cargo run --release --example floor -- SITE/_posts
//! ```
//!
//! Prints the number of files and bytes read, so a run that found nothing
//! shows it.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() -> std::process::ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!(
            "usage: floor FOLDER...  (reads the first 2 KiB of every file under each FOLDER)"
        );
        return std::process::ExitCode::from(2);
    }
    let mut files = Vec::new();
    let mut stack = roots;
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("floor: {}: {e}", dir.display());
                return std::process::ExitCode::from(2);
            }
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => files.push(e.path()),
                _ => {}
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Files are handed out one at a time from a shared counter, so a slow
    // file on one core does not leave the other idle.
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut buf = [0u8; 2048];
                let mut read = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if let Ok(mut f) = std::fs::File::open(path) {
                        read += f.read(&mut buf).unwrap_or(0);
                    }
                }
                bytes.fetch_add(read, Ordering::Relaxed);
            });
        }
    });
    println!(
        "{} files, {} bytes read on {threads} threads",
        files.len(),
        bytes.load(Ordering::Relaxed)
    );
    std::process::ExitCode::SUCCESS
}
