//! tieout: tick-and-tie checks for corporate earnings press releases.
//!
//! The pipeline is `bytes → parse::parse → ast::Document → facts → rules →
//! finding::Finding → report`. See ARCHITECTURE.md for the map.

pub mod alloc;
pub mod ast;
pub mod check;
pub mod check_columns;
pub mod check_narrative;
pub mod check_periods;
pub mod check_schedules;
pub mod check_segments;
pub mod cli;
pub mod facts;
pub mod finding;
pub(crate) mod groups;
pub mod hash;
pub mod narrative;
pub mod parse;
pub mod prior;
pub mod report;
pub mod rules;
pub mod span;
