//! The `mgovsign` command.
fn main() {}
