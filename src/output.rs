//! Writing outputs: atomically, and only when they changed.
//!
//! Each file is written to a temporary file in the same folder, flushed to
//! disk, then renamed over the old one, so a reader (or a `kill -9`) only ever
//! sees the old whole file or the new whole file. A file whose bytes are
//! unchanged is not touched, so its modification time (and a web server's
//! ETag and Last-Modified) stays valid.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// What happened to one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// New or changed: written.
    Written,
    /// Same bytes as on disk: left alone.
    Unchanged,
}

/// Writes `bytes` to `path` atomically, unless the file already holds exactly them.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<WriteOutcome, Error> {
    if holds(path, bytes) {
        return Ok(WriteOutcome::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |action, source| Error::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io("create the destination folder", e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".feedwright-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io("create a temporary file next to the output", e))?;
    tmp.write_all(bytes)
        .map_err(|e| io("write the output", e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| io("flush the output to disk", e))?;
    // Temporary files are private (0600); outputs are published files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| io("replace the output", e.error))?;
    Ok(WriteOutcome::Written)
}

/// True when the file at `path` holds exactly `bytes`. The sizes are
/// compared first, then the contents a block at a time: checking a
/// multi-megabyte sitemap needs no buffer of its size (which the kernel
/// would have to zero first).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().ok().map(|m| m.len()) != Some(bytes.len() as u64) {
        return false;
    }
    let mut block = vec![0u8; 64 * 1024];
    let mut rest = bytes;
    loop {
        // One byte more than is left, to notice a file that has grown.
        let want = block.len().min(rest.len() + 1);
        let n = match file.read(&mut block[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if n == 0 {
            return rest.is_empty();
        }
        if n > rest.len() || block[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
}

/// Holds the destination folder locked for one build, so overlapping runs
/// (two cron jobs) never interleave their writes. The lock is an advisory
/// lock on the folder itself: nothing is added to the published files, and
/// the kernel releases it when the process ends, even after a `kill -9`.
#[derive(Debug)]
pub struct DestLock {
    _dir: std::fs::File,
}

impl DestLock {
    /// Locks `dest` (creating it), waiting up to `wait` for another build to
    /// finish, and calling `waiting` once if it has to wait (so a person
    /// watching knows why nothing happens); after `wait`, [`Error::Locked`].
    pub fn acquire_with(
        dest: &Path,
        wait: std::time::Duration,
        waiting: impl FnOnce(),
    ) -> Result<DestLock, Error> {
        let io = |action, source| Error::Io {
            path: dest.to_path_buf(),
            action,
            source,
        };
        if dest.exists() && !dest.is_dir() {
            return Err(Error::UnsafeOutput {
                path: dest.to_path_buf(),
                message: "is a file, not a folder; the destination must be a folder (it is created if missing), so choose another destination".into(),
            });
        }
        let mut waiting = Some(waiting);
        std::fs::create_dir_all(dest).map_err(|e| io("create the destination folder", e))?;
        let dir = std::fs::File::open(dest).map_err(|e| io("open the destination folder", e))?;
        let started = std::time::Instant::now();
        loop {
            match dir.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    if let Some(f) = waiting.take() {
                        f();
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        path: dest.to_path_buf(),
                    })
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io("lock the destination folder", e))
                }
            }
        }
        Ok(DestLock { _dir: dir })
    }
}

/// Removes temporary files a killed build left behind in `dir` (the folder
/// of some output). Only feedwright's own names (`.feedwright-*.tmp`) are
/// touched; call it under the [`DestLock`], when no other build can be
/// writing one.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".feedwright-")
            && name.ends_with(".tmp")
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Refuses a destination that is the source folder or holds it (outputs
/// could replace the user's own files), and any output whose folder inside
/// the destination is a symbolic link (it could point anywhere). Called
/// before anything is written.
pub fn check_destination(source: &Path, dest: &Path, outputs: &[&str]) -> Result<(), Error> {
    if let (Ok(s), Ok(d)) = (source.canonicalize(), dest.canonicalize()) {
        if s.starts_with(&d) {
            return Err(Error::UnsafeOutput {
                path: dest.to_path_buf(),
                message: "the destination is the source folder or contains it, so outputs could overwrite the site's own files; build into a separate destination folder such as SOURCE/_site".into(),
            });
        }
    }
    for out in outputs {
        let mut at = dest.to_path_buf();
        for part in Path::new(out).components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(Error::UnsafeOutput {
                        path: at,
                        message: format!("is a symbolic link, and feedwright writes only inside the destination; remove the link so `{out}` can be written there"),
                    })
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_only_exactly_the_same_bytes_even_past_the_first_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitemap.xml");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert!(!holds(&path, &bytes), "a missing file");
        std::fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, &bytes));
        let mut late = bytes.clone();
        *late.last_mut().unwrap() ^= 1;
        assert!(!holds(&path, &late), "a difference in the last block");
        assert!(!holds(&path, &bytes[..bytes.len() - 1]), "a longer file");
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(!holds(&path, &bytes), "a shorter file");
    }
}
