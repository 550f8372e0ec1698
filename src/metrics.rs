//! Process-wide metrics on `prometheus-client`, served at `/metrics`.
//!
//! Every family is declared once, in [`COUNTERS`] and [`HISTOGRAMS`] or as
//! a typed field of [`Metrics`] (gauges, build info), and registered with
//! its help text; label sets are `(name, value)` pairs. The pipeline
//! records through [`count`] and [`observe`] by family name: a name that
//! is not declared is a bug, refused loudly (a debug build panics, a
//! release build logs an error) instead of being recorded and never shown.
//!
//! [`render`] writes the classic Prometheus text format (0.0.4);
//! [`render_openmetrics`] writes OpenMetrics 1.0, for scrapers that ask for
//! it in `Accept`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Duration;

/// Upper bounds of latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A label set: label names and values.
pub type Labels = Vec<(&'static str, String)>;

/// Counter families: name (with `_total`) and help.
const COUNTERS: &[(&str, &str)] = &[
    (
        "polywire_fetches_total",
        "HTTP fetches by source and outcome status.",
    ),
    (
        "polywire_fetch_bytes_total",
        "Body bytes received by source.",
    ),
    (
        "polywire_stories_total",
        "Stories handled by source and outcome (new, updated, duplicate, failed).",
    ),
    (
        "polywire_parse_failures_total",
        "Documents that could not be parsed, by source.",
    ),
    ("polywire_runs_total", "Source runs by source and status."),
    (
        "polywire_retention_removed_total",
        "Stories removed by retention, by source.",
    ),
    (
        "polywire_feed_requests_total",
        "Feed HTTP requests by route kind and status code.",
    ),
    (
        "polywire_render_cache_lookups_total",
        "Render cache lookups by result (hit, miss).",
    ),
    (
        "polywire_render_cache_evictions_total",
        "Rendered documents evicted from the cache to make room.",
    ),
];

/// Histogram families: name and help.
const HISTOGRAMS: &[(&str, &str)] = &[
    (
        "polywire_fetch_duration_seconds",
        "Time to fetch one document, by source.",
    ),
    (
        "polywire_run_duration_seconds",
        "Time of one source run, by source.",
    ),
    (
        "polywire_request_duration_seconds",
        "Time to answer one HTTP request, by route kind.",
    ),
];

/// Every family, registered.
pub struct Metrics {
    registry: Registry,
    counters: HashMap<&'static str, Family<Labels, Counter>>,
    histograms: HashMap<&'static str, Family<Labels, Histogram>>,
    /// Rendered documents in the cache.
    pub cache_entries: Gauge,
    /// Bytes the render cache holds.
    pub cache_bytes: Gauge,
    /// Stories in the store.
    pub stories_stored: Gauge,
    /// Stories waiting in the pipeline's write queue for their transaction.
    pub write_queue: Gauge,
    /// Unix time of each source's last successful run.
    pub last_success: Family<Labels, Gauge>,
}

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::default();
        let mut counters = HashMap::new();
        for (name, help) in COUNTERS {
            let family = Family::<Labels, Counter>::default();
            // prometheus-client adds `_total` to counters itself.
            let base = name.strip_suffix("_total").unwrap_or(name);
            registry.register(base, help.trim_end_matches('.'), family.clone());
            counters.insert(*name, family);
        }
        let mut histograms = HashMap::new();
        for (name, help) in HISTOGRAMS {
            let family =
                Family::<Labels, Histogram>::new_with_constructor(histogram as fn() -> Histogram);
            registry.register(*name, help.trim_end_matches('.'), family.clone());
            histograms.insert(*name, family);
        }
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let gauge = Gauge::default();
            registry.register(name, help.trim_end_matches('.'), gauge.clone());
            gauge
        };
        let cache_entries = gauge(
            &mut registry,
            "polywire_render_cache_entries",
            "Rendered documents held in the cache",
        );
        let cache_bytes = gauge(
            &mut registry,
            "polywire_render_cache_bytes",
            "Bytes the render cache holds (bodies, room for compressed forms, keys)",
        );
        let stories_stored = gauge(
            &mut registry,
            "polywire_stories_stored",
            "Stories in the store",
        );
        let write_queue = gauge(
            &mut registry,
            "polywire_write_queue_stories",
            "Stories waiting in the write queue for their transaction",
        );
        let last_success = Family::<Labels, Gauge>::default();
        registry.register(
            "polywire_source_last_success_timestamp_seconds",
            "Unix time of the last successful run of each source",
            last_success.clone(),
        );
        registry.register(
            "polywire_build",
            "The running build",
            Info::new(vec![("version", env!("CARGO_PKG_VERSION").to_string())]),
        );
        Metrics {
            registry,
            counters,
            histograms,
            cache_entries,
            cache_bytes,
            stories_stored,
            write_queue,
            last_success,
        }
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metric families.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

fn labels(pairs: &[(&'static str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (*k, (*v).to_string())).collect()
}

fn undeclared(kind: &str, name: &str) {
    debug_assert!(false, "{kind} `{name}` is not declared in metrics.rs");
    tracing::error!(name, kind, "Metric not declared; not recorded.");
}

/// Adds `by` to a counter.
pub fn count(name: &'static str, pairs: &[(&'static str, &str)], by: u64) {
    match METRICS.counters.get(name) {
        Some(family) => {
            family.get_or_create(&labels(pairs)).inc_by(by);
        }
        None => undeclared("counter", name),
    }
}

/// Records one observation in a histogram.
pub fn observe(name: &'static str, pairs: &[(&'static str, &str)], value: Duration) {
    match METRICS.histograms.get(name) {
        Some(family) => family
            .get_or_create(&labels(pairs))
            .observe(value.as_secs_f64()),
        None => undeclared("histogram", name),
    }
}

/// The current value of a counter (tests, health reports).
pub fn counter_value(name: &'static str, pairs: &[(&'static str, &str)]) -> u64 {
    METRICS
        .counters
        .get(name)
        .and_then(|family| family.get(&labels(pairs)).map(|c| c.get()))
        .unwrap_or(0)
}

/// Everything, in OpenMetrics 1.0 text (`application/openmetrics-text`).
pub fn render_openmetrics() -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = encode(&mut out, &METRICS.registry);
    out
}

/// Everything, in the Prometheus text format 0.0.4 (`text/plain`). It
/// differs from OpenMetrics where 0.0.4 parsers care: a counter's HELP and
/// TYPE lines name the sample (`x_total`), info metrics are gauges, and
/// there is no `# EOF`.
pub fn render() -> String {
    let open = render_openmetrics();
    let mut counters: Vec<&str> = COUNTERS
        .iter()
        .filter_map(|(name, _)| name.strip_suffix("_total"))
        .collect();
    counters.sort_unstable();
    let mut out = String::with_capacity(open.len());
    for line in open.lines() {
        if line == "# EOF" {
            continue;
        }
        let rewritten = ["# HELP ", "# TYPE "].iter().find_map(|prefix| {
            let rest = line.strip_prefix(prefix)?;
            let (name, tail) = rest.split_once(' ')?;
            if counters.binary_search(&name).is_ok() {
                Some(format!("{prefix}{name}_total {tail}"))
            } else if tail == "info" {
                Some(format!("{prefix}{name}_info gauge"))
            } else if prefix.starts_with("# HELP") && line.contains("The running build") {
                Some(format!("{prefix}{name}_info {tail}"))
            } else {
                None
            }
        });
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms_in_text_format() {
        count(
            "polywire_fetches_total",
            &[("source", "t-metrics"), ("status", "ok")],
            2,
        );
        observe(
            "polywire_fetch_duration_seconds",
            &[("source", "t-metrics")],
            Duration::from_millis(30),
        );
        let text = render();
        assert!(
            text.contains("# TYPE polywire_fetches_total counter"),
            "{text}"
        );
        assert!(!text.contains("# EOF"));
        assert!(text.contains("# TYPE polywire_build_info gauge"), "{text}");
        assert!(
            text.contains(&format!(
                "polywire_build_info{{version=\"{}\"}} 1",
                env!("CARGO_PKG_VERSION")
            )),
            "{text}"
        );
        let open = render_openmetrics();
        assert!(open.ends_with("# EOF\n"));
        assert!(open.contains("# TYPE polywire_fetches counter"));
        assert!(
            text.contains("polywire_fetches_total{source=\"t-metrics\",status=\"ok\"} 2"),
            "{text}"
        );
        assert!(
            text.contains(
                "polywire_fetch_duration_seconds_bucket{le=\"0.025\",source=\"t-metrics\"} 0"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "polywire_fetch_duration_seconds_bucket{le=\"0.05\",source=\"t-metrics\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains("polywire_fetch_duration_seconds_count{source=\"t-metrics\"} 1"),
            "{text}"
        );
        assert_eq!(
            counter_value(
                "polywire_fetches_total",
                &[("source", "t-metrics"), ("status", "ok")]
            ),
            2
        );
    }

    #[test]
    #[should_panic(expected = "not declared")]
    fn an_undeclared_name_is_refused_not_silently_recorded() {
        count("polywire_fetchs_total", &[], 1);
    }
}
