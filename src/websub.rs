//! WebSub publishing: telling hubs that feeds changed
//! (<https://www.w3.org/TR/websub/#publishing>), with `hub.mode=publish` and
//! `hub.url=<feed URL>`, the form every public hub accepts.
//!
//! Only feeds whose bytes changed since the last successful ping are sent:
//! their hashes are kept in `SOURCE/.feedwright-cache/websub-pinged`.

use crate::model::AbsUrl;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A feed that may need pinging: where it is on disk and where it is served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedFile {
    /// The file in the destination folder.
    pub path: PathBuf,
    /// Its public URL (`hub.url`).
    pub url: AbsUrl,
}

/// What one notification did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ping {
    /// The hub notified.
    pub hub: AbsUrl,
    /// The feed it was told about.
    pub feed: AbsUrl,
    /// The hub's HTTP status on success, else what went wrong.
    pub outcome: Result<u16, String>,
}

/// Notifies one hub that one feed changed. Success is any 2xx answer.
pub fn notify(hub: &AbsUrl, feed: &AbsUrl, timeout: Duration) -> Result<u16, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("feedwright/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let response = agent
        .post(hub.as_str())
        .send_form([("hub.mode", "publish"), ("hub.url", feed.as_str())])
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f64()),
            other => other.to_string(),
        })?;
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err(format!("the hub answered HTTP {status}"))
    }
}

/// The ping record file in a site's cache folder.
pub fn record_path(source: &Path) -> PathBuf {
    source.join(crate::cache::DIR).join("websub-pinged")
}

/// Pings every hub for every feed whose content changed since its last
/// successful ping (all of them the first time), and records the successes.
/// A feed is recorded only when every hub took the notification, so a
/// failed hub is tried again next time.
pub fn ping_changed(
    source: &Path,
    hubs: &[AbsUrl],
    feeds: &[FeedFile],
    timeout: Duration,
) -> Vec<Ping> {
    let record = record_path(source);
    let previous = std::fs::read_to_string(&record).unwrap_or_default();
    let mut done: std::collections::BTreeMap<String, String> = previous
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(h, u)| (u.to_string(), h.to_string()))
        .collect();
    let mut pings = Vec::new();
    for feed in feeds {
        let Ok(bytes) = std::fs::read(&feed.path) else {
            continue;
        };
        let hash = format!("{:016x}", crate::cache::hash_of(&bytes));
        if done.get(feed.url.as_str()) == Some(&hash) {
            continue;
        }
        let mut all_ok = true;
        for hub in hubs {
            let outcome = notify(hub, &feed.url, timeout);
            all_ok &= outcome.is_ok();
            pings.push(Ping {
                hub: hub.clone(),
                feed: feed.url.clone(),
                outcome,
            });
        }
        if all_ok && !hubs.is_empty() {
            done.insert(feed.url.to_string(), hash);
        }
    }
    let text: String = done.iter().map(|(u, h)| format!("{h} {u}\n")).collect();
    if text != previous {
        // Losing the record only costs a repeated ping.
        let _ = std::fs::create_dir_all(record.parent().unwrap_or(source));
        let _ = crate::output::write_if_changed(&record, text.as_bytes());
    }
    pings
}
