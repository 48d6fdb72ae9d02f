//! The command line: argument parsing, file walking and output.
//!
//! Only this module does IO and knows which output format was asked for.

pub mod acks;
pub mod archive;
pub mod check_cmd;
pub mod config;
pub mod diag;
pub mod merge_cmd;
pub mod outline;
mod pairs;
pub mod paths;
