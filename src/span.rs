//! Byte spans into the original file.
//!
//! Every node of the AST, every fact and every finding label carries a
//! [`Span`]: an offset and a length in bytes into the file exactly as it was
//! read, before any decoding, tab expansion or line-ending normalisation.
//! Spans become `miette::SourceSpan` only at the diagnostics boundary.

use serde::Serialize;

/// A byte range `[offset, offset + len)` into the original file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    /// The span from `start` (inclusive) to `end` (exclusive).
    pub const fn range(start: usize, end: usize) -> Self {
        Span {
            offset: start,
            len: end.saturating_sub(start),
        }
    }

    pub const fn end(self) -> usize {
        self.offset + self.len
    }

    pub const fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The smallest span covering both `self` and `other`.
    pub fn join(self, other: Span) -> Span {
        if self.is_empty() && self.offset == 0 {
            return other;
        }
        if other.is_empty() && other.offset == 0 {
            return self;
        }
        let start = self.offset.min(other.offset);
        let end = self.end().max(other.end());
        Span::range(start, end)
    }

    /// The bytes of the original file this span covers (empty when out of range).
    pub fn slice(self, src: &[u8]) -> &[u8] {
        src.get(self.offset..self.end()).unwrap_or(&[])
    }
}

/// Sorts `spans` and removes repeats, as `sort_unstable` and `dedup`
/// would.
pub fn sort_dedup(spans: &mut Vec<Span>) {
    sort_dedup_from(spans, 0);
}

/// [`sort_dedup`] of `spans[from..]`, the spans before `from` left as they
/// are. Spans that fit (offsets below 2^40, lengths below 2^24: files up to
/// a terabyte) are sorted as packed 64-bit keys, which compare without
/// branches; the few hundred figures a release ties sort in a third of the
/// time.
pub fn sort_dedup_from(spans: &mut Vec<Span>, from: usize) {
    const LEN_BITS: u32 = 24;
    let fits =
        |s: &Span| (s.offset as u64) < 1 << (64 - LEN_BITS) && (s.len as u64) < 1 << LEN_BITS;
    let from = from.min(spans.len());
    let tail = &mut spans[from..];
    if tail.len() < 2 {
        return;
    }
    if tail.iter().all(fits) {
        let mut keys: Vec<u64> = tail
            .iter()
            .map(|s| (s.offset as u64) << LEN_BITS | s.len as u64)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        spans.truncate(from);
        spans.extend(keys.into_iter().map(|k| {
            Span::new(
                (k >> LEN_BITS) as usize,
                (k & ((1 << LEN_BITS) - 1)) as usize,
            )
        }));
    } else {
        tail.sort_unstable();
        dedup_from(spans, from);
    }
}

/// Removes repeats next to each other in `spans[from..]`, as `dedup` would
/// there, in place.
fn dedup_from(spans: &mut Vec<Span>, from: usize) {
    let mut kept = from;
    for i in from..spans.len() {
        if kept == from || spans[i] != spans[kept - 1] {
            spans[kept] = spans[i];
            kept += 1;
        }
    }
    spans.truncate(kept);
}

/// Whether `spans` are in order without repeats, as [`sort_dedup`] leaves
/// them.
pub fn is_sorted_set(spans: &[Span]) -> bool {
    spans.windows(2).all(|w| w[0] < w[1])
}

/// Membership in a sorted set of spans without repeats, for queries that
/// mostly come in increasing order (a table's cells, a release's facts):
/// the probe walks forward from where the last query stopped, so a run of
/// increasing queries costs one pass over the set rather than a binary
/// search each. A query below the last one searches afresh; the answer is
/// always what `set.binary_search(&s).is_ok()` gives.
pub struct SortedProbe<'a> {
    set: &'a [Span],
    at: usize,
}

impl<'a> SortedProbe<'a> {
    pub fn new(set: &'a [Span]) -> Self {
        SortedProbe { set, at: 0 }
    }

    pub fn contains(&mut self, s: Span) -> bool {
        if self.at > 0 && self.set[self.at - 1] >= s {
            self.at = self.set.partition_point(|x| *x < s);
        } else {
            // A few steps forward, then a search of what is left.
            let mut steps = 0;
            while self.at < self.set.len() && self.set[self.at] < s {
                self.at += 1;
                steps += 1;
                if steps == 8 {
                    self.at += self.set[self.at..].partition_point(|x| *x < s);
                    break;
                }
            }
        }
        self.set.get(self.at) == Some(&s)
    }
}

/// Adds `more` to `spans[from..]`, which is sorted without repeats, and
/// keeps it so. The tail and the sorted `more` are two sorted runs, which
/// the standard library's stable sort merges in one pass.
pub fn merge_from(spans: &mut Vec<Span>, from: usize, mut more: Vec<Span>) {
    if more.is_empty() {
        return;
    }
    more.sort_unstable();
    let from = from.min(spans.len());
    spans.extend(more);
    spans[from..].sort();
    dedup_from(spans, from);
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.offset.into(), span.len)
    }
}

/// The offset at which each line after the first starts: after every
/// `\n`, and after every `\r` not followed by `\n` (a lone CR ends a line,
/// as in classic Mac files; the CR of a CRLF belongs to the line it ends).
/// These are the line breaks editors and SARIF viewers count.
pub fn line_starts(src: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', src)
        .filter(move |&i| src[i] == b'\n' || src.get(i + 1) != Some(&b'\n'))
        .map(|i| i + 1)
}

/// The start of every line of `src`, 0 first, then [`line_starts`]. A text
/// with no carriage return ends its lines at line feeds alone: those are
/// searched for by themselves, without the test of each CR.
pub fn all_line_starts(src: &[u8]) -> Vec<usize> {
    let mut out = vec![0];
    if memchr::memchr(b'\r', src).is_none() {
        out.extend(memchr::memchr_iter(b'\n', src).map(|i| i + 1));
    } else {
        out.extend(line_starts(src));
    }
    out
}

/// 1-based line and column (in characters) of a byte offset in `src`;
/// lines end as [`line_starts`] says.
pub fn line_col(src: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let (mut line, mut line_start) = (1, 0);
    for start in line_starts(before) {
        // A CR just before `offset` whose LF is at `offset` ends no line.
        if start == offset && before.last() == Some(&b'\r') && src.get(offset) == Some(&b'\n') {
            break;
        }
        line += 1;
        line_start = start;
    }
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_covers_both() {
        let a = Span::new(10, 5);
        let b = Span::new(30, 2);
        assert_eq!(a.join(b), Span::range(10, 32));
        assert_eq!(b.join(a), Span::range(10, 32));
    }

    #[test]
    fn line_col_counts_from_one() {
        let src = b"ab\ncd\xc3\xa9f\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        // 'f' follows a two-byte character: byte 7, column 4.
        assert_eq!(line_col(src, 7), (2, 4));
    }

    #[test]
    fn lone_cr_and_crlf_end_lines_as_editors_count_them() {
        let src = b"a\rb\r\nc\nd\r\re";
        assert_eq!(line_starts(src).collect::<Vec<_>>(), [2, 5, 7, 9, 10]);
        assert_eq!(line_col(src, 2), (2, 1));
        // The CR of a CRLF is the end of its line, not a line of its own.
        assert_eq!(line_col(src, 3), (2, 2));
        assert_eq!(line_col(src, 5), (3, 1));
        assert_eq!(line_col(src, 10), (6, 1));
    }

    proptest::proptest! {
        /// The list of line starts is 0 and then [`line_starts`], whether
        /// the text has carriage returns (read with them) or not (read by
        /// its line feeds alone).
        #[test]
        fn all_line_starts_are_zero_and_line_starts(text in "[a-z\n\r é]{0,40}") {
            for t in [text.clone(), text.replace('\r', "")] {
                let want: Vec<usize> =
                    std::iter::once(0).chain(line_starts(t.as_bytes())).collect();
                proptest::prop_assert_eq!(all_line_starts(t.as_bytes()), want);
            }
        }
    }

    proptest::proptest! {
        /// Packed or not, the spans come out as `sort_unstable` and `dedup`
        /// leave them: small ones (packed), and lists holding one too large
        /// to pack (an offset from 2^40 or a length from 2^24).
        #[test]
        fn sort_dedup_is_sort_then_dedup(
            spans in proptest::collection::vec(
                (
                    proptest::prop_oneof![0usize..64, (1usize << 40) - 2..(1usize << 40) + 2],
                    proptest::prop_oneof![0usize..4, (1usize << 24) - 2..(1usize << 24) + 2],
                ),
                0..40,
            ),
            small in proptest::bool::ANY,
        ) {
            let mut spans: Vec<Span> = spans
                .into_iter()
                .map(|(o, l)| if small { Span::new(o % 64, l % 4) } else { Span::new(o, l) })
                .collect();
            let mut expected = spans.clone();
            expected.sort_unstable();
            expected.dedup();
            sort_dedup(&mut spans);
            proptest::prop_assert_eq!(spans, expected);
        }

        /// Sorting from an index leaves the spans before it alone (packed
        /// keys, or spans too far into a file to pack); merging into a
        /// sorted tail gives the sorted union.
        #[test]
        fn sort_from_and_merge_are_the_sorted_union(
            head in proptest::collection::vec((0usize..64, 0usize..4), 0..10),
            tail in proptest::collection::vec(
                (
                    proptest::prop_oneof![3 => 0usize..64, 1 => (1usize << 40) - 2..(1usize << 40) + 2],
                    0usize..4,
                ),
                0..40,
            ),
            more in proptest::collection::vec((0usize..64, 0usize..4), 0..20),
        ) {
            let span = |&(o, l): &(usize, usize)| Span::new(o, l);
            let head: Vec<Span> = head.iter().map(span).collect();
            let mut spans = head.clone();
            spans.extend(tail.iter().map(span));
            sort_dedup_from(&mut spans, head.len());
            let mut expected: Vec<Span> = tail.iter().map(span).collect();
            expected.sort_unstable();
            expected.dedup();
            proptest::prop_assert_eq!(&spans[..head.len()], &head[..]);
            proptest::prop_assert_eq!(&spans[head.len()..], &expected[..]);
            proptest::prop_assert!(is_sorted_set(&spans[head.len()..]));
            merge_from(&mut spans, head.len(), more.iter().map(span).collect());
            expected.extend(more.iter().map(span));
            expected.sort_unstable();
            expected.dedup();
            proptest::prop_assert_eq!(&spans[..head.len()], &head[..]);
            proptest::prop_assert_eq!(&spans[head.len()..], &expected[..]);
        }

        /// The probe answers as a binary search does, whatever the order
        /// of the queries: runs that go up (the probe walks, and jumps
        /// past long gaps), and queries that go back.
        #[test]
        fn the_sorted_probe_answers_as_a_binary_search(
            set in proptest::collection::vec((0usize..200, 0usize..3), 0..80),
            queries in proptest::collection::vec((0usize..210, 0usize..3), 0..120),
            sorted_queries in proptest::bool::ANY,
        ) {
            let span = |&(o, l): &(usize, usize)| Span::new(o, l);
            let mut set: Vec<Span> = set.iter().map(span).collect();
            sort_dedup(&mut set);
            let mut queries: Vec<Span> = queries.iter().map(span).collect();
            if sorted_queries {
                queries.sort_unstable();
            }
            let mut probe = SortedProbe::new(&set);
            for q in queries {
                proptest::prop_assert_eq!(probe.contains(q), set.binary_search(&q).is_ok(), "{:?}", q);
            }
        }
    }
}
