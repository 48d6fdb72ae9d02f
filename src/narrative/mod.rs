//! Narrative checks: the figures a release states in prose, tied to its tables.
//!
//! The pipeline inside this module is `text → mention::find_mentions →
//! claim::extract_claims → period::resolve → check::check_claims`.
//!
//! - [`mention`] finds numbers in joined paragraph text (money, percentages,
//!   counts, dates) and refuses the numbers that are not figures (phone
//!   numbers, passcodes, times, years, section numbers, URLs).
//! - [`period`] reads period phrases ("first quarter of 2006", "nine months
//!   ended September 30, 2003", "year-ago quarter") and maps them to the
//!   periods the document's tables print.
//! - [`claim`] groups mentions and period phrases into claims about a metric
//!   ("net loss for the first quarter of 2006 was $3.9 million").
//! - [`check`] compares claims with table values using interval arithmetic.
//!
//! **Architecture Invariant:** nothing here does IO or knows a company's
//! wording; metric phrases become concepts only through the `concept_of`
//! function the caller passes in (the concept dictionary).

pub mod check;
pub mod claim;
pub mod mention;
pub mod period;

/// Splits text into paragraphs the way [`crate::ast::Paragraph`] joins them:
/// blank-line separated, each line trimmed, lines joined by single spaces.
///
/// Meant for tests and tools that read raw text without the full parser.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(t);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}
