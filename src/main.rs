//! The `feedwright` command line: a thin layer over the library.

// Building a big site makes millions of small allocations (YAML values,
// strings) across threads; mimalloc is measurably faster at that than glibc's.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, asked for plain blocks when their alignment is one every
/// mimalloc block has. `mimalloc::MiMalloc` asks for every block through
/// mimalloc's aligned entry points, which, when a size class's page is
/// used up and the size is not a power of two, allocate `size + align - 1`
/// bytes from another class: a tenth of a 100,000-post build went there.
struct Allocator;

/// Every mimalloc block is aligned to a pointer's size.
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: mimalloc's malloc takes any size; the block is aligned (above).
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded as given.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: as in `alloc`.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded as given.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: every block, aligned or not, is mimalloc's and freed by mi_free.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            // SAFETY: `ptr` is a mimalloc block; the new one is aligned (above).
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: forwarded as given.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

mod cli {
    pub mod report;
}

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use clap::{Args, Parser, Subcommand};
use cli::report::{Format, Level, Message, Reporter, Source, TextTo};
use feedwright::site::BuildOptions;
use feedwright::site::WriteOutcome;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "feedwright",
    version,
    about = "Publish and validate RSS, Atom and sitemap.xml for a blog"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build feed.xml (Atom), rss.xml, feed.json, sitemap.xml and robots.txt from a site's posts.
    Build(BuildArgs),
    /// Build in memory and compare with what is published: exit 0 if up to date, 1 if not.
    Check(CheckArgs),
    /// Validate RSS, Atom, JSON Feed, sitemap and sitemap-index files (`-` reads stdin; .gz is read transparently).
    Validate(ValidateArgs),
    /// Tell the configured WebSub hubs (`feedwright.hub`) about the feeds that changed since the last ping.
    Ping(PingArgs),
    /// Print the <link rel="alternate"> tags for a site's <head>, one per feed.
    Meta(MetaArgs),
    /// Print a shell completion script (e.g. `feedwright completions bash > /usr/share/bash-completion/completions/feedwright`).
    Completions(CompletionsArgs),
    /// Print a man page in roff (e.g. `feedwright man > feedwright.1`; `feedwright man build > feedwright-build.1`).
    Man(ManArgs),
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args)]
struct ManArgs {
    /// A subcommand's page instead of the main one.
    subcommand: Option<String>,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// After building, notify the WebSub hubs of the feeds that changed.
    #[arg(long)]
    ping: bool,
    /// Seconds to wait for each hub.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    ping_timeout: u64,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Args)]
struct ReportArgs {
    /// How to print errors and warnings (each names its file and line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Args)]
struct PingArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Seconds to wait for each hub.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
}

#[derive(Args)]
struct MetaArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also print the tag feeds (there may be many).
    #[arg(long)]
    tags: bool,
}

#[derive(Args)]
struct ValidateArgs {
    /// Files, or http(s) URLs to fetch and validate as served.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// For URLs: also validate the sitemaps a robots.txt names and the parts
    /// a sitemap index lists (a site's root URL starts at its /robots.txt).
    #[arg(long)]
    follow: bool,
    /// For URLs: seconds allowed per document.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// With --follow: the most documents fetched.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_documents: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The URL the document is served from (checks self links and sitemap hosts).
    #[arg(long)]
    base: Option<String>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct SiteArgs {
    /// A Jekyll site (with _config.yml or _posts/) or a folder of post files.
    #[arg(default_value = ".")]
    source: PathBuf,
    /// Where to write the outputs [default: SOURCE/_site].
    #[arg(long)]
    dest: Option<PathBuf>,
    /// The configuration file, or several separated by commas, merged in
    /// order as Jekyll merges them [default: SOURCE/_config.yml, else _config.yaml].
    #[arg(long, value_name = "FILE[,FILE...]")]
    config: Option<String>,
    /// The site's URL, such as https://example.com (overrides `url` in the configuration).
    #[arg(long)]
    url: Option<String>,
    /// "Now" for this build, RFC 3339 (default: SOURCE_DATE_EPOCH, else the system clock).
    #[arg(long, value_name = "RFC3339")]
    build_date: Option<String>,
    /// Print only warnings and errors: a clean run prints nothing (for cron).
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Name every skipped and rejected post in the summary, not just the first few.
    #[arg(long, short)]
    verbose: bool,
    /// Read every post again instead of using SOURCE/.feedwright-cache/.
    #[arg(long)]
    no_cache: bool,
    /// Seconds to wait for another build writing the same destination.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    lock_wait: u64,
}

/// Exit code when outputs were written but some posts were rejected (or,
/// with `build --ping`, a hub was not told); `check`: some file would
/// change; `validate`: a document has errors.
const EXIT_REJECTED: u8 = 1;
/// Exit code when nothing was written: bad flags or configuration, no URL,
/// an unwritable destination; `validate`: a file could not be read.
const EXIT_FATAL: u8 = 2;

fn main() -> ExitCode {
    // A run lasts a fraction of a second to a few seconds, and mimalloc's
    // arenas on 2 MiB transparent huge pages are only partly used in that
    // time: the 100,000-post build peaked at ~287 MiB with them and ~260 MiB
    // without, no slower (the kernel zeroes each huge page whole).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    match run() {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`feedwright … | head`) is not a failure.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("feedwright: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let (code, built) = build(&args.site, args.report.format)?;
            if let (true, Some((opts, report))) = (args.ping, built) {
                // The outputs are written by now, so a failed or impossible
                // notification is exit 1, never 2 ("nothing written"). The
                // build's own options and feeds: one clock reading, one build.
                let pinged = ping_feeds(
                    &args.site,
                    &opts,
                    &report.dest,
                    &report.feeds,
                    args.ping_timeout,
                )?;
                if pinged != ExitCode::SUCCESS {
                    return Ok(ExitCode::from(EXIT_REJECTED));
                }
            }
            Ok(code)
        }
        Command::Check(args) => check(&args.site, args.report.format),
        Command::Validate(args) => validate(&args),
        Command::Ping(args) => ping(&args.site, args.timeout),
        Command::Meta(args) => meta(&args),
        Command::Completions(args) => completions(args.shell),
        Command::Man(args) => man(args.subcommand.as_deref()),
    }
}

/// "Now": `--build-date`, else `SOURCE_DATE_EPOCH`, else the system clock.
/// This is the only place feedwright reads the clock.
fn build_date(flag: Option<&str>) -> anyhow::Result<DateTime<FixedOffset>> {
    use chrono::Datelike;
    let now = any_build_date(flag)?;
    anyhow::ensure!(
        (1..=9999).contains(&now.year()),
        "the build date {now} is outside the years 1-9999 that feed dates can carry; check --build-date or SOURCE_DATE_EPOCH"
    );
    Ok(now)
}

fn any_build_date(flag: Option<&str>) -> anyhow::Result<DateTime<FixedOffset>> {
    if let Some(s) = flag {
        return DateTime::parse_from_rfc3339(s).with_context(|| {
            format!("--build-date `{s}` is not an RFC 3339 date such as 2024-03-15T10:00:00+09:00")
        });
    }
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = s
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds"))?;
        return Utc
            .timestamp_opt(secs, 0)
            .single()
            .map(|t| t.fixed_offset())
            .with_context(|| format!("SOURCE_DATE_EPOCH `{s}` is out of range"));
    }
    Ok(Utc::now().fixed_offset())
}

fn options(args: &SiteArgs) -> anyhow::Result<BuildOptions> {
    if let Some(url) = &args.url {
        // Checked here, so a bad value is blamed on the flag, not on a
        // configuration file it overrides.
        if let Err(e) = feedwright::model::AbsUrl::parse(url.trim().trim_end_matches('/')) {
            anyhow::bail!("--url `{url}` is not the site's address ({e}); pass it in full, such as --url https://example.com");
        }
    }
    if let Some(dest) = &args.dest {
        anyhow::ensure!(
            !dest.exists() || dest.is_dir(),
            "--dest {}: is a file, not a folder; pass the folder to write the outputs into (it is created if missing)",
            dest.display()
        );
    }
    // Jekyll's `--config a.yml,b.yml` (an OptionParser Array: split on
    // commas, empty names ignored).
    let config_files = args
        .config
        .iter()
        .flat_map(|c| c.split(','))
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .collect();
    let mut opts = BuildOptions::new(&args.source, build_date(args.build_date.as_deref())?);
    opts.dest = args.dest.clone();
    opts.config_files = config_files;
    opts.url = args.url.clone();
    opts.cache = !args.no_cache;
    opts.lock_wait = std::time::Duration::from_secs(args.lock_wait);
    Ok(opts)
}

/// Warnings and errors are printed even with `--quiet`: they are what a
/// person must see, and the only thing a clean cron run is not silent about.
fn report_notices(
    reporter: &mut Reporter,
    notices: &[feedwright::site::Notice],
) -> std::io::Result<()> {
    for n in notices {
        reporter.report(Message::notice(n), None)?;
    }
    Ok(())
}

/// Reports an error that stopped the command before it wrote anything.
fn report_fatal(
    format: Format,
    e: &feedwright::site::Error,
    source: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let text = with_flag_hint(e);
    if format == Format::Text {
        eprintln!("feedwright: {text}");
    } else {
        let mut reporter = Reporter::new(format, TextTo::Stderr);
        reporter.report(Message::fatal(e, text, source), None)?;
        reporter.finish()?;
    }
    Ok(ExitCode::from(EXIT_FATAL))
}

/// A progress bar on stderr while posts are read: only on a terminal, only
/// without `--quiet` and `NO_COLOR`, and only once a build is long enough
/// to need one (indicatif draws nothing for the first moments). Also says,
/// once, that the build waits for another one's lock.
struct Bar(Option<indicatif::ProgressBar>, bool);

impl Bar {
    fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal;
        let show = !quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Bar(
            show.then(|| {
                let bar = indicatif::ProgressBar::hidden();
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{prefix} [{bar:30}] {pos}/{len} posts ({per_sec}, {eta} left)",
                    )
                    .expect("the template is valid")
                    .progress_chars("=> "),
                );
                bar.set_prefix("feedwright: reading");
                bar
            }),
            quiet,
        )
    }
    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl feedwright::site::Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            // Short builds finish before a bar would help; draw only for big sites.
            if total >= 2_000 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }
    fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
    fn waiting_for_lock(&self, dest: &std::path::Path, wait: std::time::Duration) {
        if !self.1 {
            eprintln!(
                "feedwright: {}: another feedwright build is writing here; waiting for it to finish (up to {} s, --lock-wait)",
                dest.display(),
                wait.as_secs()
            );
        }
    }
}

/// How many skipped or rejected posts the summary names without `-v`.
const NAMED_IN_SUMMARY: usize = 3;

/// The summary's lines naming skipped and rejected posts.
fn name_posts(stats: &feedwright::site::Stats, verbose: bool) -> String {
    let mut out = String::new();
    let limit = if verbose {
        usize::MAX
    } else {
        NAMED_IN_SUMMARY
    };
    let mut list = |what: &str, items: Vec<String>| {
        for item in items.iter().take(limit) {
            out.push_str(&format!("  {what}: {item}\n"));
        }
        if items.len() > limit {
            out.push_str(&format!(
                "  ... and {} more {what} (-v lists them all)\n",
                items.len() - limit
            ));
        }
    };
    list(
        "skipped",
        stats
            .skipped_posts
            .iter()
            .map(|s| format!("{} ({})", s.path.display(), s.reason))
            .collect(),
    );
    list(
        "rejected",
        stats
            .rejected_posts
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    );
    out
}

/// Builds; the options and report come back for `--ping` unless the build failed.
fn build(
    args: &SiteArgs,
    format: Format,
) -> anyhow::Result<(ExitCode, Option<(BuildOptions, feedwright::BuildReport)>)> {
    let started = std::time::Instant::now();
    let opts = options(args)?;
    let bar = Bar::new(args.quiet);
    let result = feedwright::site::build_with(&opts, &bar);
    bar.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => return Ok((report_fatal(format, &e, &opts.source)?, None)),
    };
    let mut reporter = Reporter::new(format, TextTo::Stderr);
    report_notices(&mut reporter, &report.notices)?;
    reporter.finish()?;
    if !args.quiet {
        let s = &report.stats;
        let written = report
            .outputs
            .iter()
            .filter(|(_, o)| *o == WriteOutcome::Written)
            .count();
        let cached = if report.reused {
            " (nothing changed since the last build)".to_string()
        } else if s.from_cache > 0 {
            format!(" ({} from the cache)", s.from_cache)
        } else {
            String::new()
        };
        eprint!(
            "feedwright: {} posts{cached}: {} published, {} skipped, {} rejected; {} files written, {} unchanged, in {:.2}s ({})\n{}",
            s.read,
            s.published,
            s.skipped,
            s.rejected,
            written,
            report.outputs.len() - written,
            started.elapsed().as_secs_f64(),
            report.dest.display(),
            name_posts(s, args.verbose),
        );
    }
    let code = if report.has_rejected_posts() {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    };
    Ok((code, Some((opts, report))))
}

/// Notifies the hubs about changed feeds; exit 1 when some hub failed.
fn ping(args: &SiteArgs, timeout: u64) -> anyhow::Result<ExitCode> {
    let opts = options(args)?;
    let dest = opts
        .dest
        .clone()
        .unwrap_or_else(|| opts.source.join("_site"));
    match feedwright::site::feeds(&opts, true) {
        Ok(feeds) => ping_feeds(args, &opts, &dest, &feeds, timeout),
        Err(e) => {
            eprintln!("feedwright: {}", with_flag_hint(&e));
            Ok(ExitCode::from(EXIT_FATAL))
        }
    }
}

/// Notifies the hubs about those of `feeds` (in `dest`) that changed since
/// their last ping.
fn ping_feeds(
    args: &SiteArgs,
    opts: &BuildOptions,
    dest: &std::path::Path,
    feeds: &[feedwright::site::PlannedFeed],
    timeout: u64,
) -> anyhow::Result<ExitCode> {
    let hubs = match feedwright::site::hubs(opts) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("feedwright: {}", with_flag_hint(&e));
            return Ok(ExitCode::from(EXIT_FATAL));
        }
    };
    if hubs.is_empty() {
        eprintln!("feedwright: no WebSub hub is configured; set `feedwright.hub` in _config.yml to the hub's URL (or a list of URLs)");
        return Ok(ExitCode::from(EXIT_FATAL));
    }
    let feeds: Vec<_> = feeds
        .iter()
        .map(|f| feedwright::site::websub::FeedFile {
            path: dest.join(&f.path),
            url: f.url.clone(),
        })
        .collect();
    let pings = feedwright::site::websub::ping_changed(
        &opts.source,
        &hubs,
        &feeds,
        std::time::Duration::from_secs(timeout),
    );
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for p in &pings {
        match &p.outcome {
            // A hub that took the news is not worth a cron mail.
            Ok(_) if args.quiet => {}
            Ok(status) => writeln!(out, "pinged {} for {} (HTTP {status})", p.hub, p.feed)?,
            Err(e) => {
                failed += 1;
                writeln!(out, "FAILED {} for {}: {e}", p.hub, p.feed)?
            }
        }
    }
    if !args.quiet {
        if pings.is_empty() {
            eprintln!("feedwright: no feed changed since the last ping; nothing to send");
        } else {
            eprintln!(
                "feedwright: {} notification(s) sent, {failed} failed{}",
                pings.len() - failed,
                if failed > 0 {
                    "; the failed feeds are tried again on the next ping"
                } else {
                    ""
                }
            );
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints one `<link rel="alternate">` per feed, for a template's `<head>`.
fn meta(args: &MetaArgs) -> anyhow::Result<ExitCode> {
    use feedwright::site::Scope;
    let opts = options(&args.site)?;
    let feeds = match feedwright::site::feeds(&opts, args.tags) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("feedwright: {}", with_flag_hint(&e));
            return Ok(ExitCode::from(EXIT_FATAL));
        }
    };
    let mut out = std::io::stdout().lock();
    for f in &feeds {
        if matches!(f.scope, Scope::Tag(_)) && !args.tags {
            continue;
        }
        writeln!(
            out,
            "<link rel=\"alternate\" type=\"{}\" title=\"{}\" href=\"{}\">",
            f.mime,
            html_attr(&f.title),
            html_attr(f.url.as_str())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn html_attr(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

fn check(args: &SiteArgs, format: Format) -> anyhow::Result<ExitCode> {
    let opts = options(args)?;
    let report = match feedwright::site::check(&opts) {
        Ok(r) => r,
        Err(e) => return report_fatal(format, &e, &opts.source),
    };
    let mut reporter = Reporter::new(format, TextTo::Stderr);
    report_notices(&mut reporter, &report.notices)?;
    if format == Format::Text {
        let mut out = std::io::stdout().lock();
        for (path, reason) in &report.stale {
            writeln!(out, "{}: {reason}", path.display())?;
        }
    } else {
        for (path, reason) in &report.stale {
            let message = format!("{reason}; run `feedwright build` to regenerate it");
            reporter.report(
                Message::file(
                    path.display().to_string(),
                    Level::Error,
                    "stale-output",
                    message,
                ),
                None,
            )?;
        }
    }
    reporter.finish()?;
    if !report.stale.is_empty() {
        if !args.quiet {
            eprintln!("feedwright: {} published file(s) out of date; run `feedwright build` to regenerate them", report.stale.len());
        }
        return Ok(ExitCode::from(1));
    }
    if !args.quiet {
        eprint!(
            "feedwright: all {} published files are up to date\n{}",
            report.files,
            name_posts(&report.stats, args.verbose)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    use feedwright::validate::{
        read_limited, validate_bytes, Options, Severity as V, MAX_SITEMAP_BYTES,
    };
    let mut opts = Options::default();
    if let Some(b) = &args.base {
        let base = feedwright::AbsUrl::parse(b)
            .with_context(|| format!("--base `{b}` is not an absolute http(s) URL"))?;
        opts = opts.base(&base);
    }
    let mut reporter = Reporter::new(args.format, TextTo::Stdout);
    let mut unreadable = 0;
    let limits = feedwright::validate::fetch::Limits::default()
        .timeout(std::time::Duration::from_secs(args.timeout))
        .documents(args.max_documents);
    for file in &args.files {
        let name = file.display().to_string();
        if name.starts_with("http://") || name.starts_with("https://") {
            // Fetched and validated as served; with --follow, what it points at too.
            let served = if args.follow {
                feedwright::validate::fetch::validate_site(&[name.as_str()], &opts, &limits)
            } else {
                vec![feedwright::validate::fetch::validate_url(
                    &name, &opts, &limits,
                )]
            };
            for s in served {
                let shown = s
                    .final_url
                    .as_ref()
                    .map_or(s.url.clone(), |u| u.to_string());
                let report = match s.result {
                    Ok(report) => report,
                    Err(why) => {
                        unreadable += 1;
                        let message = format!("could not fetch: {why}");
                        if args.format == Format::Text {
                            eprintln!("feedwright: {shown}: {message}");
                        } else {
                            reporter.report(
                                Message::file(shown, Level::Error, "unreadable", message),
                                None,
                            )?;
                        }
                        continue;
                    }
                };
                for m in report
                    .diagnostics
                    .into_iter()
                    .filter_map(|d| Message::diagnostic(&shown, d))
                {
                    reporter.report(m, None)?;
                }
            }
            continue;
        }
        let read = if name == "-" {
            read_limited(std::io::stdin().lock(), MAX_SITEMAP_BYTES)
        } else {
            feedwright::validate::read_file_limited(file, MAX_SITEMAP_BYTES)
        };
        let (bytes, over) = match read {
            Ok(read) => read,
            Err(e) => {
                unreadable += 1;
                let message =
                    format!("could not read the file: {e}; check the path and its permissions");
                if args.format == Format::Text {
                    eprintln!("feedwright: {name}: {message}");
                } else {
                    reporter.report(
                        Message::file(name, Level::Error, "unreadable", message),
                        None,
                    )?;
                }
                continue;
            }
        };
        let mut diagnostics = validate_bytes(&bytes, &opts).diagnostics;
        if over {
            diagnostics.insert(0, feedwright::validate::Diagnostic::new(1, 1, V::Error, "too-large", "the document is larger than 50 MiB uncompressed (the sitemap limit); only the first 50 MiB were read", "sitemaps.org protocol"));
        }
        let mut source = Source::new(&bytes);
        for m in diagnostics
            .into_iter()
            .filter_map(|d| Message::diagnostic(&name, d))
        {
            reporter.report(m, Some(&mut source))?;
        }
    }
    let (errors, warnings) = (reporter.errors, reporter.warnings);
    reporter.finish()?;
    Ok(if unreadable > 0 {
        ExitCode::from(EXIT_FATAL)
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The library's message, plus the flag that fixes it from the command line
/// (the library's messages name no flags).
fn with_flag_hint(e: &feedwright::site::Error) -> String {
    use feedwright::site::Error;
    match e {
        Error::NoUrl { .. } => format!("{e} (--url https://your.site)"),
        Error::Locked { .. } => format!("{e} (--lock-wait SECONDS)"),
        Error::ConfigFile { .. } => {
            format!("{e} given to --config (several files are separated by commas, as in Jekyll)")
        }
        _ => e.to_string(),
    }
}

/// Completions generated from the clap definitions, so they never drift from the flags.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    // Generated into memory: clap_complete panics on a failed write, and
    // `feedwright completions bash | head` closes the pipe early.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "feedwright", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// The man page of feedwright, or of one subcommand (`feedwright-build(1)`).
fn man(subcommand: Option<&str>) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = cmd.find_subcommand(name) else {
                eprintln!(
                    "feedwright: no subcommand `{name}`; man pages exist for {}",
                    names.join(", ")
                );
                return Ok(ExitCode::from(EXIT_FATAL));
            };
            sub.clone()
                .version(env!("CARGO_PKG_VERSION"))
                .display_name(format!("feedwright-{name}"))
                .bin_name(format!("feedwright {name}"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    std::io::stdout().lock().write_all(&roff)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod allocator_tests {
    use super::Allocator;
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn every_block_has_its_alignment_and_keeps_its_bytes_when_grown() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 7, 8, 12, 24, 40, 100, 1000, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; each block is freed with its layout.
                unsafe {
                    let p = Allocator.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    std::ptr::write_bytes(p, 0xAB, size);
                    let q = Allocator.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "grown: size {size} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xAB));
                    Allocator.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = Allocator.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    Allocator.dealloc(z, layout);
                }
            }
        }
    }
}
