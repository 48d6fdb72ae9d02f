//! Phrases both front ends read the same way: a table's scale line and the
//! footnote markers at the end of a row label.

use std::sync::Arc;

use crate::ast::{Scale, ScaleLine};
use crate::parse::source::{single_spaced, trim_ws};

/// The scale a line states (`(In thousands, except per share data)`,
/// `($000)`, `Dollars in millions`), or `None` when it states none. The
/// returned span is empty: the caller knows where the line is.
pub fn scale_of(text: &str) -> Option<ScaleLine> {
    // Every phrase that states a scale, with where it stands: the first
    // one is the table's (`in millions, except share amounts which are
    // reflected in thousands`), a later one after `share` is the shares'.
    const PHRASES: [(&str, Scale); 14] = [
        ("in thousands", Scale::Thousands),
        ("($000", Scale::Thousands),
        ("(000", Scale::Thousands),
        ("(thousands", Scale::Thousands),
        ("thousands of", Scale::Thousands),
        ("in millions", Scale::Millions),
        ("(millions", Scale::Millions),
        ("millions of", Scale::Millions),
        ("($ millions", Scale::Millions),
        ("$ in millions", Scale::Millions),
        ("in billions", Scale::Billions),
        ("(billions", Scale::Billions),
        ("billions of", Scale::Billions),
        ("$ in billions", Scale::Billions),
    ];
    // All of them in one pass over the line, any case (no phrase can
    // overlap itself, so every occurrence of every phrase is found).
    static FINDER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(PHRASES.iter().map(|(p, _)| p))
                .expect("fourteen short phrases make an automaton")
        });
    let mut found: Vec<(usize, Scale)> = FINDER
        .find_overlapping_iter(text)
        .map(|m| (m.start(), PHRASES[m.pattern().as_usize()].1))
        .collect();
    found.sort_unstable();
    let &(first_at, scale) = found.first()?;
    let lower = text.to_ascii_lowercase();
    let except_per_share = lower.contains("except") && lower.contains("per");
    let shares_scale = if lower.contains("shares in millions") {
        Some(Scale::Millions)
    } else if lower.contains("shares in thousands") {
        Some(Scale::Thousands)
    } else {
        found
            .iter()
            .find(|&&(at, s)| at > first_at && s != scale && lower[first_at..at].contains("share"))
            .map(|&(_, s)| s)
    };
    Some(ScaleLine {
        span: Default::default(),
        scale,
        except_per_share,
        shares_scale,
    })
}

/// Splits footnote markers off a label: trailing `(a)`, `(1)`, `*`.
/// Whitespace runs in the label become single spaces.
pub fn split_markers(label: &str) -> (Arc<str>, Vec<String>) {
    // Most labels have no marker and single spaces: copy them as they are.
    let t = trim_ws(label);
    let last_word = t
        .bytes()
        .rposition(|b| b == b' ')
        .map_or(t, |p| &t[p + 1..]);
    if marker_suffix(last_word).is_none() && single_spaced(t) {
        return (Arc::from(t), Vec::new());
    }
    let mut markers = Vec::new();
    let mut words: Vec<&str> = label.split_whitespace().collect();
    while let Some(pos) = words.last().and_then(|w| marker_suffix(w)) {
        let last = words.pop().unwrap_or_default();
        let (word, marker) = last.split_at(pos);
        markers.insert(0, marker.to_string());
        if !word.is_empty() {
            words.push(word);
        }
    }
    (Arc::from(words.join(" ")), markers)
}

/// Byte position where a footnote marker starts at the end of `word`.
fn marker_suffix(word: &str) -> Option<usize> {
    if word.ends_with('*') {
        return Some(word.trim_end_matches('*').len());
    }
    if word.ends_with(')') {
        let open = word.rfind('(')?;
        let inner = &word[open + 1..word.len() - 1];
        let is_marker = (1..=2).contains(&inner.len())
            && (inner.chars().all(|c| c.is_ascii_digit())
                || (inner.len() == 1 && inner.chars().all(|c| c.is_ascii_lowercase())));
        if is_marker {
            return Some(open);
        }
    }
    None
}
