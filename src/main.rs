//! The `polywire` command line: a thin wrapper around the library.

fn main() {}
