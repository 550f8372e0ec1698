//! One source's way through every stage.
