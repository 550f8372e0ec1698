//! Why a fetch failed, with a short stable code per kind of failure.

use super::guard::BlockedAddress;
use std::time::Duration;

/// Which deadline ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Opening the TCP/TLS connection (`connect_timeout_secs`).
    Connect,
    /// Waiting for the response headers (`first_byte_timeout_secs`).
    FirstByte,
    /// Receiving the whole response (`timeout_secs`).
    Body,
}

impl std::fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::FirstByte => "waiting for headers",
            TimeoutPhase::Body => "reading the body",
        })
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL is not http(s) or does not parse.
    #[error("bad url `{0}`")]
    BadUrl(String),
    /// The server answered with an error status (after any retries).
    #[error("HTTP {status} from {url}")]
    Status {
        /// Status code.
        status: u16,
        /// URL requested.
        url: String,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// The body exceeded the configured cap (after decompression).
    #[error("body of {url} exceeds {limit} bytes")]
    TooLarge {
        /// URL requested.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// A deadline ran out.
    #[error("timed out {phase} for {url}")]
    Timeout {
        /// URL requested.
        url: String,
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// Connection, TLS or protocol failure; its [`FetchError::reason`] names
    /// the cause (`connect_refused`, `dns`, `tls`).
    #[error("{} for {url}: {}", network_cause_words(source), error_chain(source))]
    Network {
        /// URL requested.
        url: String,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// robots.txt disallows this URL for our agent.
    #[error("robots.txt of {url} disallows it")]
    RobotsDisallowed {
        /// URL requested.
        url: String,
    },
    /// robots.txt could not be read (5xx or unreachable), which RFC 9309
    /// says means "disallow everything" until it can be read.
    #[error("robots.txt for {url} is unreachable; the host is off limits for now")]
    RobotsUnavailable {
        /// URL requested.
        url: String,
    },
    /// The host is, or resolves to, a non-public address.
    #[error(
        "refused {url}: {source} (set `allow_private_addresses = true` in the source's file, \
         or under [fetch] in polywire.toml, to fetch it)"
    )]
    PrivateAddress {
        /// URL requested.
        url: String,
        /// Which address.
        #[source]
        source: BlockedAddress,
    },
    /// A redirect led back to a URL already visited.
    #[error("redirect loop at {url}")]
    RedirectLoop {
        /// The URL seen twice.
        url: String,
    },
    /// More redirects than `max_redirects`.
    #[error("more than {limit} redirects from {url}")]
    TooManyRedirects {
        /// URL requested.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// A redirect without a usable `Location` (missing, unparsable, not http(s)).
    #[error("bad redirect from {url} to `{location}`")]
    BadRedirect {
        /// The URL that answered with the redirect.
        url: String,
        /// The `Location` as sent.
        location: String,
    },
}

impl FetchError {
    /// A short stable code for this kind of failure, stored per source and
    /// used as a metrics label.
    pub fn reason(&self) -> String {
        match self {
            FetchError::BadUrl(_) => "bad_url".into(),
            FetchError::Status { status, .. } => format!("http_{status}"),
            FetchError::TooLarge { .. } => "too_large".into(),
            FetchError::Timeout { .. } => "timeout".into(),
            FetchError::Network { source, .. } => network_cause(source).into(),
            FetchError::RobotsDisallowed { .. } => "robots_disallowed".into(),
            FetchError::RobotsUnavailable { .. } => "robots_unavailable".into(),
            FetchError::PrivateAddress { .. } => "private_address".into(),
            FetchError::RedirectLoop { .. } => "redirect_loop".into(),
            FetchError::TooManyRedirects { .. } => "too_many_redirects".into(),
            FetchError::BadRedirect { .. } => "bad_redirect".into(),
        }
    }

    /// Whether the host could not be reached at all: refused by the
    /// address guard, unknown to DNS, nothing listening, a failed TLS
    /// handshake, or no connection before the connect deadline.
    pub fn is_unreachable_host(&self) -> bool {
        match self {
            FetchError::PrivateAddress { .. } => true,
            FetchError::Timeout { phase, .. } => *phase == TimeoutPhase::Connect,
            FetchError::Network { source, .. } => network_cause(source) != "network",
            _ => false,
        }
    }

    /// How long the server asked us to wait (`Retry-After` on 429/503).
    /// When this is longer than `max_retry_after_secs` the fetch fails at
    /// once and the scheduler should not try the source before it passes.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying again soon may succeed: 5xx, 429, timeouts and
    /// network failures. Client errors and refusals are final.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            _ => false,
        }
    }

    /// Classifies a reqwest failure, finding the guard's refusal or a
    /// connect timeout inside it.
    pub(crate) fn from_reqwest(url: &str, source: reqwest::Error) -> FetchError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&source);
        while let Some(err) = cause {
            if let Some(blocked) = err.downcast_ref::<BlockedAddress>() {
                return FetchError::PrivateAddress {
                    url: url.to_string(),
                    source: blocked.clone(),
                };
            }
            cause = err.source();
        }
        if source.is_timeout() {
            let phase = match source.is_connect() {
                true => TimeoutPhase::Connect,
                false => TimeoutPhase::Body,
            };
            return FetchError::Timeout {
                url: url.to_string(),
                phase,
            };
        }
        FetchError::Network {
            url: url.to_string(),
            source,
        }
    }
}

/// What a network failure comes down to, as a stable code: `dns` (the name
/// does not resolve), `connect_refused` (nothing listens on the port),
/// `tls` (handshake or certificate), `connect` (another failure to
/// connect) or `network` (the connection broke later).
pub fn network_cause(err: &reqwest::Error) -> &'static str {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut words = String::new();
    while let Some(e) = cause {
        if e.downcast_ref::<super::guard::DnsFailure>().is_some() {
            return "dns";
        }
        if e.downcast_ref::<rustls::Error>().is_some() {
            return "tls";
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return "connect_refused";
        }
        words.push_str(&e.to_string().to_ascii_lowercase());
        words.push(' ');
        cause = e.source();
    }
    // Causes the types above do not carry (hyper's own resolver, rustls
    // errors wrapped in io::Error).
    if words.contains("dns error") || words.contains("failed to lookup address") {
        "dns"
    } else if words.contains("connection refused") {
        "connect_refused"
    } else if ["certificate", "tls", "handshake"]
        .iter()
        .any(|w| words.contains(w))
    {
        "tls"
    } else if err.is_connect() {
        "connect"
    } else {
        "network"
    }
}

/// Human words for [`network_cause`].
fn network_cause_words(err: &reqwest::Error) -> &'static str {
    match network_cause(err) {
        "dns" => "DNS lookup failed",
        "connect_refused" => "connection refused",
        "tls" => "TLS failure",
        "connect" => "cannot connect",
        _ => "network error",
    }
}

/// An error and its causes on one line, `a: b: c`, repeats skipped (reqwest
/// and hyper often repeat their cause in their own message).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cause = err.source();
    while let Some(e) = cause {
        let text = e.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = e.source();
    }
    out
}
