//! The `polywire` command line: a thin wrapper around the library.

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use polywire::app;
use polywire::config::{DEFAULT_CONFIG_PATH, LogFormat};
use polywire::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// polywire turns news wires into feeds people can subscribe to.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Log line format on standard error (default: `[log] format`, else text).
    #[arg(long, global = true, env = "POLYWIRE_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormatArg>,
    #[command(subcommand)]
    command: Command,
}

/// `--log-format`.
#[derive(ValueEnum, Debug, Clone, Copy)]
enum LogFormatArg {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `--format` of `polywire feed`.
#[derive(ValueEnum, Debug, Clone, Copy)]
enum FormatArg {
    /// RSS 2.0.
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    Json,
}

impl From<FormatArg> for polywire::config::FeedFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Rss => Self::Rss,
            FormatArg::Atom => Self::Atom,
            FormatArg::Json => Self::Json,
        }
    }
}

/// The filters of `polywire feed`: every parameter the HTTP API takes,
/// under the same names (docs/feeds.md), plus kebab-case spellings.
#[derive(Args, Debug, Default)]
struct FeedFilterArgs {
    /// Region id (repeatable: OR); a region matches everything below it.
    #[arg(long)]
    region: Vec<String>,
    /// Industry id (repeatable).
    #[arg(long)]
    industry: Vec<String>,
    /// Language subtag (repeatable).
    #[arg(long)]
    lang: Vec<String>,
    /// Source id (repeatable).
    #[arg(long)]
    source: Vec<String>,
    /// Full-text query.
    #[arg(long)]
    q: Option<String>,
    /// Chinese script to convert to: `hans` or `hant`.
    #[arg(long)]
    script: Option<String>,
    /// OpenCC-style conversion (`t2s`, `s2t`), RSSHub's name for `script`.
    #[arg(long)]
    opencc: Option<String>,
    /// Only stories published at or after this time (RFC 3339) or date.
    #[arg(long)]
    since: Option<String>,
    /// Most stories (default 50, at most 500).
    #[arg(long)]
    limit: Option<usize>,
    /// `clusters`: one story per near-duplicate cluster.
    #[arg(long)]
    collapse: Option<String>,
    /// Only stories whose primary tag matches (`true`/`false`).
    #[arg(long)]
    primary: Option<String>,
    /// RSSHub: keep items whose title or description match this pattern.
    #[arg(long)]
    filter: Option<String>,
    /// RSSHub: pattern on titles.
    #[arg(long = "filter_title", alias = "filter-title")]
    filter_title: Option<String>,
    /// RSSHub: pattern on descriptions.
    #[arg(long = "filter_description", alias = "filter-description")]
    filter_description: Option<String>,
    /// RSSHub: pattern on authors.
    #[arg(long = "filter_author", alias = "filter-author")]
    filter_author: Option<String>,
    /// RSSHub: pattern on categories.
    #[arg(long = "filter_category", alias = "filter-category")]
    filter_category: Option<String>,
    /// RSSHub: only items newer than this many seconds.
    #[arg(long = "filter_time", alias = "filter-time")]
    filter_time: Option<String>,
    /// RSSHub: drop items whose title or description match.
    #[arg(long)]
    filterout: Option<String>,
    /// RSSHub: drop by title.
    #[arg(long = "filterout_title", alias = "filterout-title")]
    filterout_title: Option<String>,
    /// RSSHub: drop by description.
    #[arg(long = "filterout_description", alias = "filterout-description")]
    filterout_description: Option<String>,
    /// RSSHub: drop by author.
    #[arg(long = "filterout_author", alias = "filterout-author")]
    filterout_author: Option<String>,
    /// RSSHub: drop by category.
    #[arg(long = "filterout_category", alias = "filterout-category")]
    filterout_category: Option<String>,
    /// RSSHub: patterns match case-sensitively (`true`, the default, or `false`).
    #[arg(long = "filter_case_sensitive", alias = "filter-case-sensitive")]
    filter_case_sensitive: Option<String>,
    /// RSSHub: keep the store's order (`true`, the default) or not.
    #[arg(long)]
    sorted: Option<String>,
}

impl FeedFilterArgs {
    /// The filters as URL query pairs, for the same parameter check as HTTP.
    fn into_pairs(self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (key, values) in [
            ("region", self.region),
            ("industry", self.industry),
            ("lang", self.lang),
            ("source", self.source),
        ] {
            pairs.extend(values.into_iter().map(|v| (key.to_string(), v)));
        }
        let single = [
            ("q", self.q),
            ("script", self.script),
            ("opencc", self.opencc),
            ("since", self.since),
            ("limit", self.limit.map(|l| l.to_string())),
            ("collapse", self.collapse),
            ("primary", self.primary),
            ("filter", self.filter),
            ("filter_title", self.filter_title),
            ("filter_description", self.filter_description),
            ("filter_author", self.filter_author),
            ("filter_category", self.filter_category),
            ("filter_time", self.filter_time),
            ("filterout", self.filterout),
            ("filterout_title", self.filterout_title),
            ("filterout_description", self.filterout_description),
            ("filterout_author", self.filterout_author),
            ("filterout_category", self.filterout_category),
            ("filter_case_sensitive", self.filter_case_sensitive),
            ("sorted", self.sorted),
        ];
        pairs.extend(
            single
                .into_iter()
                .filter_map(|(key, value)| Some((key.to_string(), value?))),
        );
        pairs
    }
}

#[derive(Args, Debug, Clone)]
struct ConfigArg {
    /// The daemon configuration file.
    #[arg(long, env = "POLYWIRE_CONFIG", default_value = DEFAULT_CONFIG_PATH)]
    config: PathBuf,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the daemon: fetch every source on its schedule and serve feeds.
    Run(ConfigArg),
    /// Fetch sources once (all enabled ones, or those named) and exit.
    Fetch {
        #[command(flatten)]
        config: ConfigArg,
        /// Only these source ids.
        #[arg(long = "source")]
        sources: Vec<String>,
        /// Ignore the index's validators and the stored pages' freshness:
        /// read the index and fetch every story page again.
        #[arg(long)]
        force: bool,
    },
    /// Bring stored stories up to date: classify them again with the
    /// taxonomy in force (no fetching); with --refetch, first fetch and
    /// extract again every story the sources' indexes list.
    Reprocess {
        #[command(flatten)]
        config: ConfigArg,
        /// Only this source's stories.
        #[arg(long)]
        source: Option<String>,
        /// Fetch the pages again (they are not kept) to re-run extraction.
        #[arg(long)]
        refetch: bool,
    },
    /// Find a tag's id: list regions and industries (id, English name,
    /// the name in the query's language, parents) whose id, name or alias
    /// contains QUERY (case-insensitive).
    Taxonomy {
        #[command(flatten)]
        config: ConfigArg,
        /// `[regions|industries] [QUERY]`: a kind, a query, or both.
        #[arg(num_args = 0..=2, value_name = "KIND_OR_QUERY")]
        words: Vec<String>,
    },
    /// List every source with its last run, status, counts, next run and failures.
    Sources {
        #[command(flatten)]
        config: ConfigArg,
        /// List the wire catalog (`config/catalog/`) instead, with language and region.
        #[arg(long)]
        catalog: bool,
    },
    /// Add a wire: from a site's URL (finds its feed, sitemap or story
    /// listing, previews a few stories, writes `config/sources/<id>.toml`
    /// and runs check), or `catalog:ID` to copy a catalog entry.
    Add {
        #[command(flatten)]
        config: ConfigArg,
        /// A home or section page URL, or `catalog:ID`.
        target: String,
        /// Source id for a URL (default: from the site's host name).
        #[arg(long)]
        id: Option<String>,
        /// Show what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Validate all configuration; exits non-zero listing every error.
    Check(ConfigArg),
    /// Print a feed (a named one, or an ad-hoc one from the filters) to stdout.
    Feed {
        #[command(flatten)]
        config: ConfigArg,
        /// A named feed from `feeds/`; without it, an ad-hoc feed.
        name: Option<String>,
        /// Document format.
        #[arg(long, value_enum, default_value = "rss")]
        format: FormatArg,
        #[command(flatten)]
        filters: Box<FeedFilterArgs>,
    },
    /// Print what extraction alone gives for each file, as JSON Lines.
    Extract {
        #[command(flatten)]
        config: ConfigArg,
        /// Read the files as this source does (time zone, selectors).
        #[arg(long)]
        source: Option<String>,
        /// Feed documents or article pages.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write every named feed, the OPML and the index page to a folder.
    Export {
        #[command(flatten)]
        config: ConfigArg,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Extract, normalize and classify documents and explain the result as
    /// JSON (JSON Lines for several files or a feed). Writes nothing.
    Inspect {
        #[command(flatten)]
        config: ConfigArg,
        /// Files to inspect; `-` or none reads standard input.
        files: Vec<PathBuf>,
        /// URL of the document (for relative links and the story URL).
        #[arg(long)]
        url: Option<url::Url>,
        /// Read it as this source does (time zone, language, selectors).
        #[arg(long)]
        source: Option<String>,
        /// Fetch time for dates without a year (RFC 3339). Default: now.
        #[arg(long)]
        fetched_at: Option<jiff::Timestamp>,
    },
    /// Work on a store itself (see docs/storage.md).
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output.
    Man,
}

#[derive(Subcommand, Debug)]
enum StoreCommand {
    /// Copy a whole store into another (stories, tags, clusters,
    /// tombstones, validators, source states), e.g. SQLite to PostgreSQL.
    /// Resumable: run it again to continue after an interruption. Stop the
    /// daemon first: stories changed during a copy are not copied again.
    Copy {
        /// The store to read: `sqlite:PATH` (or a path) or `postgres://…`.
        #[arg(long)]
        from: String,
        /// The store to fill: empty, or an interrupted copy of FROM.
        #[arg(long)]
        to: String,
        /// Stories copied per transaction.
        #[arg(long, default_value_t = polywire::store::COPY_BATCH)]
        batch: usize,
    },
}

impl Command {
    /// The configuration file this command reads, if any.
    fn config_path(&self) -> Option<&std::path::Path> {
        match self {
            Command::Run(c) | Command::Check(c) => Some(&c.config),
            Command::Sources { config, .. }
            | Command::Add { config, .. }
            | Command::Fetch { config, .. }
            | Command::Reprocess { config, .. }
            | Command::Taxonomy { config, .. }
            | Command::Feed { config, .. }
            | Command::Extract { config, .. }
            | Command::Export { config, .. }
            | Command::Inspect { config, .. } => Some(&config.config),
            Command::Completions { .. } | Command::Man | Command::Store { .. } => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// glibc gives every thread that allocates its own malloc arena (up to
/// eight per core), and memory freed in one arena is not reused by threads
/// of another. tokio's blocking threads come and go, so resident memory
/// crept up run after run in the soak test, far above the memory in use,
/// and stayed flat with two arenas (docs/reliability.md has the figures).
/// An operator's own `MALLOC_ARENA_MAX` wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it is called
        // before the runtime starts its threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    // Every command logs (warnings from `inspect` or `export` are not
    // dropped), on standard error so printed documents stay clean.
    init_logging(cli.log_format, cli.command.config_path());
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Run(args) => {
            limit_malloc_arenas();
            let loaded = load(&args)?;
            runtime()?.block_on(polywire::daemon::run(args.config.clone(), loaded))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fetch {
            config,
            sources,
            force,
        } => {
            let loaded = load(&config)?;
            runtime()?.block_on(fetch_once(loaded, sources, force))
        }
        Command::Reprocess {
            config,
            source,
            refetch,
        } => {
            let loaded = load(&config)?;
            runtime()?.block_on(reprocess(loaded, source, refetch))
        }
        Command::Taxonomy { config, words } => taxonomy(&config, &words),
        Command::Sources { config, catalog } => match catalog {
            true => catalog_list(&config),
            false => sources(&config),
        },
        Command::Add {
            config,
            target,
            id,
            dry_run,
        } => match target.strip_prefix("catalog:") {
            Some(entry) => add_from_catalog(&config, entry, dry_run),
            None => add_from_url(&config, &target, id, dry_run),
        },
        Command::Feed {
            config,
            name,
            format,
            filters,
        } => feed(
            &config,
            name.as_deref(),
            format.into(),
            &filters.into_pairs(),
        ),
        Command::Export { config, out } => export(&config, &out),
        Command::Extract {
            config,
            source,
            files,
        } => extract(&config, source.as_deref(), &files),
        Command::Inspect {
            config,
            files,
            url,
            source,
            fetched_at,
        } => inspect(&config, files, url, source, fetched_at),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            command.set_bin_name("polywire");
            command.build();
            // try_generate: `generate` panics when stdout closes early.
            clap_complete::Generator::try_generate(&shell, &command, &mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Store {
            command: StoreCommand::Copy { from, to, batch },
        } => store_copy(&from, &to, batch),
    }
}

/// `polywire store copy`: progress on standard error, at most once a
/// second and at the end.
fn store_copy(from: &str, to: &str, batch: usize) -> Result<ExitCode> {
    use polywire::store::Location;
    let (from, to) = (Location::parse(from)?, Location::parse(to)?);
    if from == to {
        bail!("--from and --to are the same store");
    }
    if let Location::Sqlite(path) = &from
        && !path.is_file()
    {
        bail!("no database at {}", path.display());
    }
    let source =
        Store::open_location(&from).with_context(|| format!("cannot open {}", from.display()))?;
    let mut target =
        Store::open_location(&to).with_context(|| format!("cannot open {}", to.display()))?;
    let started = std::time::Instant::now();
    let mut last = started;
    let report = source.copy_to(&mut target, batch, &mut |p| {
        if last.elapsed() >= std::time::Duration::from_secs(1) || p.copied == p.total {
            last = std::time::Instant::now();
            eprintln!(
                "copied {}/{} stories ({:.0}/s)",
                p.copied,
                p.total,
                p.copied as f64 / started.elapsed().as_secs_f64().max(1e-3)
            );
        }
    })?;
    eprintln!(
        "done: {} stories copied ({} were there from an earlier run), {} source states, validators and tombstones, from {} to {}",
        report.stories,
        report.resumed_after,
        report.side_rows,
        from.display(),
        to.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// `polywire taxonomy [regions|industries] [QUERY]`.
fn taxonomy(args: &ConfigArg, words: &[String]) -> Result<ExitCode> {
    use polywire::model::TagKind;
    let loaded = load(args)?;
    let (kinds, query): (&[TagKind], Option<&str>) = match words {
        [kind, rest @ ..] if kind == "regions" || kind == "industries" => (
            if kind == "regions" {
                &[TagKind::Region]
            } else {
                &[TagKind::Industry]
            },
            rest.first().map(String::as_str),
        ),
        [query] => (&[TagKind::Region, TagKind::Industry], Some(query.as_str())),
        [] => (&[TagKind::Region, TagKind::Industry], None),
        _ => anyhow::bail!("usage: polywire taxonomy [regions|industries] [QUERY]"),
    };
    let found = polywire::classify::lookup::find(&loaded.taxonomy, kinds, query);
    for tag in &found {
        println!("{}", tag.line());
    }
    if found.is_empty() {
        eprintln!("no tag matches `{}`", query.unwrap_or(""));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn load(args: &ConfigArg) -> Result<app::Loaded> {
    app::load(&args.config).map_err(|errors| anyhow::anyhow!("invalid configuration:\n{errors}"))
}

/// Logging as `--log-format` (or `POLYWIRE_LOG_FORMAT`) says, else as the
/// configuration's `[log]` says (read alone, so a broken source file does
/// not silence the error that reports it), else text at `info`.
fn init_logging(cli_format: Option<LogFormatArg>, config: Option<&std::path::Path>) {
    let log = config
        .and_then(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let vars = std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
            polywire::config::env::daemon_with_overrides(path, &text, vars).ok()
        })
        .map(|daemon| daemon.log)
        .unwrap_or_default();
    let format = match cli_format {
        Some(LogFormatArg::Json) => LogFormat::Json,
        Some(LogFormatArg::Text) => LogFormat::Text,
        None => log.format,
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&log.level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn check(args: &ConfigArg) -> Result<ExitCode> {
    match app::load(&args.config) {
        Ok(loaded) => {
            println!(
                "{}: ok ({} sources, {} feeds, {} regions, {} industries)",
                args.config.display(),
                loaded.config.sources.len(),
                loaded.config.feeds.len(),
                loaded.taxonomy.region_ids().count(),
                loaded.taxonomy.industry_ids().count()
            );
            for shared in polywire::classify::lookup::shared_ids(&loaded.taxonomy) {
                println!("warning: {shared}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for err in &errors.0 {
                eprintln!("{err}");
            }
            eprintln!("{} error(s)", errors.0.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn fetch_once(loaded: app::Loaded, only: Vec<String>, force: bool) -> Result<ExitCode> {
    for id in &only {
        if loaded.config.source(id).is_none() {
            bail!("unknown source `{id}`");
        }
    }
    let store_config = &loaded.config.daemon.store;
    let store = Store::open_config(store_config).with_context(|| {
        let location = polywire::store::Location::configured(store_config);
        format!(
            "cannot open {}",
            location.map(|l| l.display()).unwrap_or_default()
        )
    })?;
    let mut pipeline = app::pipeline(&loaded, Arc::new(Mutex::new(store)))?;
    pipeline.force = force;
    // Progress on a terminal only: piped output stays one line per source.
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if on_terminal {
        pipeline.progress = Some(Arc::new(|source: &str, done: usize, total: usize| {
            eprint!("\r\x1b[K{source}: {done}/{total} stories");
        }));
    }
    let shutdown = CancellationToken::new();
    polywire::daemon::cancel_on_signal(shutdown.clone());
    let mut failed = false;
    let selected = loaded.config.sources.iter().filter(|s| {
        if only.is_empty() {
            s.enabled
        } else {
            only.contains(&s.id)
        }
    });
    for source in selected {
        let report = pipeline.run_source(source, &shutdown).await;
        failed |= report.is_failure();
        if on_terminal {
            // Clear the progress line before the source's summary.
            eprint!("\r\x1b[K");
        }
        println!(
            "{:<16} {:<14} entries {:>4}  new {:>4}  updated {:>4}  unchanged {:>4}  failed {:>3}{}",
            report.source,
            report.status,
            report.entries,
            report.new,
            report.updated,
            report.unchanged,
            report.failed,
            report
                .error
                .into_iter()
                .chain(report.warnings)
                .map(|e| format!("  ({e})"))
                .collect::<String>()
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn load_catalog(args: &ConfigArg) -> Result<Vec<polywire::catalog::CatalogEntry>> {
    let loaded = load(args)?;
    let dir = polywire::catalog::dir_for(&args.config);
    polywire::catalog::load(&dir, &|r| loaded.taxonomy.has_region(r))
        .map_err(|errors| anyhow::anyhow!("{errors}"))
}

fn catalog_list(args: &ConfigArg) -> Result<ExitCode> {
    print!("{}", polywire::catalog::table(&load_catalog(args)?));
    Ok(ExitCode::SUCCESS)
}

fn sources_dir(args: &ConfigArg, loaded: &app::Loaded) -> PathBuf {
    args.config
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(&loaded.config.daemon.paths.sources)
}

fn add_from_url(
    args: &ConfigArg,
    target: &str,
    id: Option<String>,
    dry_run: bool,
) -> Result<ExitCode> {
    let page = url::Url::parse(target)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .with_context(|| format!("`{target}` is not an http(s) URL or `catalog:ID`"))?;
    let loaded = load(args)?;
    let fetcher = polywire::fetch::Fetcher::new(&loaded.config.daemon.fetch)?;
    let (found, preview) = runtime()?.block_on(async {
        let found = polywire::discover::discover(&fetcher, &page).await?;
        let preview =
            polywire::discover::preview::preview(&fetcher, &found, &loaded.taxonomy).await;
        anyhow::Ok((found, preview))
    })?;
    let id = id.unwrap_or_else(|| found.suggested_id());
    let toml = found.to_toml(&id, polywire::discover::preview::needs_selectors(&preview));
    for (url, why) in &found.refused {
        println!("tried {url}: {why}");
    }
    println!(
        "found: {} {} ({} stories) by {}",
        format!("{:?}", found.kind).to_ascii_lowercase(),
        found.index_url,
        found.entries.len(),
        found.found_by
    );
    print!("{}", polywire::discover::preview::render(&preview));
    let path = sources_dir(args, &loaded).join(format!("{id}.toml"));
    if dry_run {
        println!("# would write {}", path.display());
        print!("{toml}");
        return Ok(ExitCode::SUCCESS);
    }
    if path.exists() {
        bail!("{} exists already; pick another --id", path.display());
    }
    std::fs::write(&path, toml).with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote {}", path.display());
    check(args)
}

fn add_from_catalog(args: &ConfigArg, id: &str, dry_run: bool) -> Result<ExitCode> {
    let entries = load_catalog(args)?;
    let loaded = load(args)?;
    let sources_dir = sources_dir(args, &loaded);
    if dry_run {
        let entry = entries
            .iter()
            .find(|e| e.source.id == id)
            .with_context(|| format!("no catalog entry `{id}`"))?;
        println!(
            "# would write {}",
            sources_dir.join(format!("{id}.toml")).display()
        );
        print!("{}", entry.source_text);
        return Ok(ExitCode::SUCCESS);
    }
    let path = polywire::catalog::add(&entries, id, &sources_dir)?;
    println!("wrote {}", path.display());
    check(args)
}

async fn reprocess(loaded: app::Loaded, source: Option<String>, refetch: bool) -> Result<ExitCode> {
    if let Some(id) = &source
        && loaded.config.source(id).is_none()
    {
        bail!("unknown source `{id}`");
    }
    let store = Arc::new(Mutex::new(Store::open_config_existing(
        &loaded.config.daemon.store,
    )?));
    let mut failed = false;
    if refetch {
        let mut pipeline = app::pipeline(&loaded, store.clone())?;
        pipeline.force = true;
        let shutdown = CancellationToken::new();
        polywire::daemon::cancel_on_signal(shutdown.clone());
        let selected = loaded
            .config
            .sources
            .iter()
            .filter(|s| source.as_ref().map_or(s.enabled, |id| &s.id == id));
        for report in polywire::reprocess::refetch(&pipeline, selected, &shutdown).await {
            failed |= report.is_failure();
            println!(
                "{:<16} {:<14} entries {:>4}  new {:>4}  updated {:>4}",
                report.source, report.status, report.entries, report.new, report.updated
            );
        }
    }
    let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
    let done = polywire::reprocess::retag(&mut store, &loaded.taxonomy, source.as_deref())?;
    println!("re-tagged {} stories, {} changed", done.seen, done.changed);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn sources(args: &ConfigArg) -> Result<ExitCode> {
    let loaded = load(args)?;
    let store = Store::open_config_existing(&loaded.config.daemon.store)?;
    let states = store.source_states()?;
    let fmt_time = |t: Option<jiff::Timestamp>| {
        t.map(|t| t.strftime("%Y-%m-%d %H:%M:%SZ").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let status_of = |id: &str| {
        states
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.last_status.clone())
            .unwrap_or_else(|| "never run".into())
    };
    // Columns as wide as their longest cell, so a long id or status
    // (`connect_refused`) does not push the rest out of line.
    let id_width = loaded
        .config
        .sources
        .iter()
        .map(|s| s.id.chars().count())
        .chain([16])
        .max()
        .unwrap_or(16);
    let status_width = loaded
        .config
        .sources
        .iter()
        .map(|s| status_of(&s.id).chars().count())
        .chain([14])
        .max()
        .unwrap_or(14);
    println!(
        "{:<id_width$} {:<8} {:<21} {:<status_width$} {:>5} {:>7} {:<21} {:>8}",
        "SOURCE", "ENABLED", "LAST RUN", "STATUS", "NEW", "UPDATED", "NEXT RUN", "FAILURES"
    );
    for source in &loaded.config.sources {
        let state = states.iter().find(|s| s.id == source.id);
        let next = state.and_then(|s| s.next_run).or_else(|| {
            polywire::cadence::next_run(
                source,
                jiff::Timestamp::now(),
                0,
                None,
                &loaded.config.daemon.limits,
            )
        });
        // A disabled source has no next run, whatever its last one planned.
        let next = next.filter(|_| source.enabled);
        println!(
            "{:<id_width$} {:<8} {:<21} {:<status_width$} {:>5} {:>7} {:<21} {:>8}",
            source.id,
            if source.enabled { "yes" } else { "no" },
            fmt_time(state.and_then(|s| s.last_run)),
            status_of(&source.id),
            state.map(|s| s.stories_new).unwrap_or(0),
            state.map(|s| s.stories_updated).unwrap_or(0),
            fmt_time(next),
            state.map(|s| s.failures).unwrap_or(0),
        );
        if let Some(err) = state.and_then(|s| s.last_error.as_ref()) {
            println!("{:<id_width$} last error: {err}", "");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn inspect(
    args: &ConfigArg,
    files: Vec<PathBuf>,
    url: Option<url::Url>,
    source: Option<String>,
    fetched_at: Option<jiff::Timestamp>,
) -> Result<ExitCode> {
    use std::io::{Read, Write};
    let loaded = load(args)?;
    let source = match &source {
        Some(id) => Some(
            loaded
                .config
                .source(id)
                .with_context(|| format!("unknown source `{id}`"))?,
        ),
        None => None,
    };
    let fetched_at = fetched_at.unwrap_or_else(jiff::Timestamp::now);
    let options = polywire::inspect::InspectOptions {
        source,
        url,
        fetched_at,
    };
    let files = if files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        files
    };
    let several = files.len() > 1;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for file in &files {
        let bytes = if file.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            std::fs::read(file)
        };
        let values = match bytes {
            Ok(bytes) => polywire::inspect::inspect_bytes(&bytes, &options, &loaded.taxonomy),
            Err(err) => {
                failed = true;
                vec![serde_json::json!({ "error": format!("cannot read: {err}") })]
            }
        };
        let jsonl = several || values.len() > 1;
        for mut value in values {
            if jsonl {
                value["file"] = serde_json::Value::String(file.display().to_string());
                writeln!(out, "{}", serde_json::to_string(&value)?)?;
            } else {
                writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn feed(
    args: &ConfigArg,
    name: Option<&str>,
    format: polywire::config::FeedFormat,
    pairs: &[(String, String)],
) -> Result<ExitCode> {
    let loaded = load(args)?;
    if let Some(name) = name
        && loaded.config.feed(name).is_none()
    {
        let known: Vec<&str> = loaded
            .config
            .feeds
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        bail!(
            "unknown feed `{name}`; known feeds: {} (or no NAME and filters for an ad-hoc feed)",
            known.join(", ")
        );
    }
    let store = Store::open_config_existing(&loaded.config.daemon.store)?;
    let text = polywire::serve::render::render_to_string(
        &loaded.config,
        &loaded.taxonomy,
        &store,
        name,
        format,
        pairs,
    )?;
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn export(args: &ConfigArg, out: &std::path::Path) -> Result<ExitCode> {
    let loaded = load(args)?;
    let store = Store::open_config_existing(&loaded.config.daemon.store)?;
    let written =
        polywire::serve::export::export_all(&loaded.config, &loaded.taxonomy, &store, out)?;
    println!("wrote {} files to {}", written.len(), out.display());
    Ok(ExitCode::SUCCESS)
}

fn extract(args: &ConfigArg, source: Option<&str>, files: &[PathBuf]) -> Result<ExitCode> {
    use std::io::Write;
    // The configuration is only needed to know a source; without one, any
    // file can be read with no configuration at all.
    let config = match source {
        Some(id) => {
            let config = polywire::config::Config::load(&args.config)
                .map_err(|errors| anyhow::anyhow!("invalid configuration:\n{errors}"))?;
            if config.source(id).is_none() {
                bail!("unknown source `{id}`");
            }
            Some(config)
        }
        None => None,
    };
    let source = source.and_then(|id| config.as_ref()?.source(id));
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for file in files {
        for value in polywire::extract::cli::extract_file(file, source) {
            failed |= value.get("error").is_some();
            writeln!(out, "{}", serde_json::to_string(&value)?)?;
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
