//! Rules: the assertion language, the concept dictionary, the rule pack and
//! its generated documentation.
//!
//! This layer does no IO except [`load::RulePack::load_path`], which reads
//! user rule files; the default pack is embedded in the binary.

pub mod expr;
pub mod interval;
