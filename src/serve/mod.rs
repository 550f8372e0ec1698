//! Serving: the HTTP API that publishes feeds.
