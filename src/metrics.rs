//! Process-wide counters and histograms, rendered in the Prometheus text
//! format at `/metrics`.
//!
//! Deliberately small: a mutex-guarded map per metric family is plenty at a
//! few thousand events per second, and keeps the dependency list short.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Upper bounds of latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

type Labels = Vec<(&'static str, String)>;

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    total: u64,
}

#[derive(Default)]
struct Registry {
    counters: BTreeMap<&'static str, BTreeMap<Labels, u64>>,
    histograms: BTreeMap<&'static str, BTreeMap<Labels, Histogram>>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Mutex::default);

/// Help text of every metric, in output order.
const HELP: &[(&str, &str, &str)] = &[
    (
        "polywire_fetches_total",
        "counter",
        "HTTP fetches by source and outcome status.",
    ),
    (
        "polywire_fetch_bytes_total",
        "counter",
        "Body bytes received by source.",
    ),
    (
        "polywire_stories_total",
        "counter",
        "Stories handled by source and outcome (new, updated, duplicate, failed).",
    ),
    (
        "polywire_parse_failures_total",
        "counter",
        "Index documents that could not be read, by source.",
    ),
    (
        "polywire_runs_total",
        "counter",
        "Source runs by source and status.",
    ),
    (
        "polywire_retention_removed_total",
        "counter",
        "Stories removed by retention, by source.",
    ),
    (
        "polywire_feed_requests_total",
        "counter",
        "Feed HTTP requests by status code.",
    ),
    (
        "polywire_fetch_duration_seconds",
        "histogram",
        "Time to fetch one document, by source.",
    ),
    (
        "polywire_run_duration_seconds",
        "histogram",
        "Time of one source run, by source.",
    ),
    (
        "polywire_request_duration_seconds",
        "histogram",
        "Time to answer one HTTP request, by route kind.",
    ),
];

fn labels(pairs: &[(&'static str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (*k, (*v).to_string())).collect()
}

/// Adds `by` to a counter.
pub fn count(name: &'static str, pairs: &[(&'static str, &str)], by: u64) {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    *registry
        .counters
        .entry(name)
        .or_default()
        .entry(labels(pairs))
        .or_default() += by;
}

/// Records one observation in a histogram.
pub fn observe(name: &'static str, pairs: &[(&'static str, &str)], value: Duration) {
    let seconds = value.as_secs_f64();
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let histogram = registry
        .histograms
        .entry(name)
        .or_default()
        .entry(labels(pairs))
        .or_default();
    for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
        if seconds <= *bound {
            *count += 1;
        }
    }
    histogram.sum += seconds;
    histogram.total += 1;
}

/// The current value of a counter (tests, health reports).
pub fn counter_value(name: &'static str, pairs: &[(&'static str, &str)]) -> u64 {
    let registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    registry
        .counters
        .get(name)
        .and_then(|m| m.get(&labels(pairs)))
        .copied()
        .unwrap_or(0)
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn label_text(labels: &Labels, extra: Option<(&str, String)>) -> String {
    let mut parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    if let Some((k, v)) = extra {
        parts.push(format!("{k}=\"{v}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

/// Everything, in the Prometheus text exposition format (version 0.0.4).
pub fn render() -> String {
    let registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = String::new();
    for (name, kind, help) in HELP {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        if let Some(series) = registry.counters.get(name) {
            for (labels, value) in series {
                let _ = writeln!(out, "{name}{} {value}", label_text(labels, None));
            }
        }
        if let Some(series) = registry.histograms.get(name) {
            for (labels, h) in series {
                for (bound, count) in BUCKETS.iter().zip(h.counts.iter()) {
                    let _ = writeln!(
                        out,
                        "{name}_bucket{} {count}",
                        label_text(labels, Some(("le", bound.to_string())))
                    );
                }
                let _ = writeln!(
                    out,
                    "{name}_bucket{} {}",
                    label_text(labels, Some(("le", "+Inf".into()))),
                    h.total
                );
                let _ = writeln!(out, "{name}_sum{} {}", label_text(labels, None), h.sum);
                let _ = writeln!(out, "{name}_count{} {}", label_text(labels, None), h.total);
            }
        }
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
        assert!(text.contains("# TYPE polywire_fetches_total counter"));
        assert!(
            text.contains("polywire_fetches_total{source=\"t-metrics\",status=\"ok\"} 2"),
            "{text}"
        );
        assert!(
            text.contains(
                "polywire_fetch_duration_seconds_bucket{source=\"t-metrics\",le=\"0.025\"} 0"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "polywire_fetch_duration_seconds_bucket{source=\"t-metrics\",le=\"0.05\"} 1"
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
}
