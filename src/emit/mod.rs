//! Emitting: renders stored stories as RSS 2.0, Atom 1.0 and JSON Feed.
