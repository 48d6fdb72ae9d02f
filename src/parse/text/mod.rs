//! The plain-text front end: fixed-width EDGAR exhibits, with or without
//! EDGAR's `<TABLE>`/`<S>`/`<C>` layout tags, lowered into the shared AST.
//!
//! Lines are classified and tables are anchored on value lines
//! ([`layout`]); the figures on a line are read by the shared cell grammar
//! (`crate::parse::cell`) and column headers by the shared period grammar
//! (`crate::parse::period`).

pub mod layout;

pub use layout::parse_blocks;
