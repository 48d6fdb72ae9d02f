//! Rules: the assertion language, the concept dictionary, the rule pack and
//! its generated documentation.
//!
//! This layer does no IO except [`load::RulePack::load_path`], which reads
//! user rule files; the default pack and dictionary are embedded.

pub mod concepts;
pub mod docs;
pub mod expr;
pub mod interval;
pub mod load;

pub use concepts::{ConceptDictionary, ConceptId, Polarity, Unit};
pub use expr::{
    Assertion, Env, Held, HeldAssertion, Operand, Outcome, Tolerance, checked_operands, evaluate,
    evaluate_held, held, parse_assertion,
};
pub use interval::Interval;
pub use load::{LoadError, LoadErrorKind, Rule, RuleKind, RulePack, Scope};
