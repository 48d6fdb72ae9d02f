//! Claims: what a sentence says about a metric, a period and an amount.
//!
//! A claim is one financial statement in the narrative: "net loss for the
//! first quarter of 2006 was $3.9 million" is a claim about the metric "net
//! loss", the period "first quarter of 2006" and the amount $3.9 million with
//! a negative sign. A sentence may hold several: a trailing "compared with
//! $53.2 million for the fourth quarter of 2005" is a second claim about the
//! sentence's metric, and "or $0.03 per share" a per-share claim about it.
//!
//! # How a sentence is read
//!
//! Text is split into sentences (a `.`, `!` or `?` that ends a word which is
//! not an abbreviation, a `;`, or a `--` bullet). Each sentence becomes a
//! token list in which money and percentage mentions and period phrases are
//! single tokens, `on a GAAP basis`-style phrases and parentheses without
//! figures are dropped, and a parenthesised acronym (`(EBITDA)`) is kept.
//! Then, for each money or percentage mention, the words before it decide
//! what it is:
//!
//! ```text
//! claim       ::= metric [prep period] [insertion] link [qualifier] amount [per_share_companion] [prep period]
//! link        ::= "was" | "were" | "is" | "are" | "totaled" | "reached" | "of" | "amounted to" | ...
//! continued   ::= ("compared with" | "compared to" | "versus" | "and" | "or") [qualifier] amount [prep period]
//! change      ::= metric change_verb ["by"] [qualifier] percent ["to" amount] [base]
//!               | qualifier ["a"] percent [period] change_noun ["in" metric] [base]
//!               | "an increase of" percent [base]            (of the previous claim)
//!               | metric ["nearly" | "more than"] ("doubled" | "tripled") [base]
//! base        ::= ("over" | "from" | "compared with" | "versus") (period | [metric "of"] amount [prep period])
//! ```
//!
//! The metric is the noun phrase before the link, read backwards until a
//! determiner, a verb, a preposition that cannot belong to it, or the start
//! of the sentence; `applicable to`, `holders of`, `per ... share` stay
//! inside. A relative pronoun (`which increased`) takes the noun phrase
//! before its comma. An acronym in parentheses replaces the words it
//! abbreviates (`earnings before interest, taxes, depreciation and
//! amortization (EBITDA)` becomes `ebitda`), and a sign noun after an
//! acronym (`EBITDA loss`) is dropped from the metric and kept as the sign.
//!
//! The claim's period is the period phrase between its metric and its link,
//! else one that follows its amount (after an `or $x per share` companion),
//! else the nearest period phrase before its metric in the sentence. A
//! per-share companion and its claim share a period.
//!
//! "Doubled" is read as an increase of 100% (tripled 200%) with the
//! qualifier of its adverb (`nearly` → Nearly, `more than` → MoreThan, none
//! → Approximately). Numbers written in words and claims spanning two
//! sentences are not read.

use rust_decimal::Decimal;

use crate::ast::Scale;
use crate::narrative::mention::{MentionHit, find_mentions, is_sentence_end};
use crate::narrative::period::{PeriodHit, PeriodPhrase, find_periods_lower};
use crate::parse::source::ASCII_ALNUM;

/// A stated figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    /// The value in units, scale applied, signed as printed (`$(0.12)` is
    /// -0.12; `$3.9 million` of net loss is 3,900,000: sign words live in
    /// [`Claim::sign`]). Percentages are in percent (8 for `8%`).
    pub value: Decimal,
    /// Digits printed after the decimal point.
    pub decimals: u32,
    pub scale: Scale,
    pub per_share: bool,
    pub percent: bool,
    /// Byte range of the mention in the text.
    pub range: (usize, usize),
}

impl Amount {
    fn from_hit(h: &MentionHit) -> Self {
        Amount {
            value: h.value,
            decimals: h.decimals,
            scale: h.scale,
            per_share: h.is_per_share(),
            percent: h.is_percent(),
            range: h.range,
        }
    }

    /// Half a unit of the last printed digit, scale applied: `$52.7 million`
    /// stands for 52.7M ± 50,000.
    pub fn half_unit(&self) -> Decimal {
        Decimal::new(5, self.decimals + 1) * self.scale.factor()
    }

    /// The values the printed figure stands for, `[value - half, value + half]`.
    pub fn interval(&self) -> (Decimal, Decimal) {
        let h = self.half_unit();
        (self.value - h, self.value + h)
    }
}

/// The sign the words give a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimSign {
    /// `income`, `earnings`, `profit`, `gain`.
    Positive,
    /// `loss`, `deficit`, `benefit`, or a figure printed negative.
    Negative,
    /// No sign word (`revenue was ...`).
    Unstated,
}

/// The direction of a change claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Increase,
    Decrease,
    /// Direction not stated (`changed by 3%`).
    Change,
}

/// How exactly a change is stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// No qualifier: the stated figure is the rounded value.
    Exact,
    /// `more than`, `over`, `in excess of`.
    MoreThan,
    /// `less than`, `under`.
    LessThan,
    /// `approximately`, `about`, `roughly`, `around`, `some`.
    Approximately,
    /// `nearly`, `almost`, `close to`.
    Nearly,
}

/// A change stated by a claim: "an increase of 8% from $20.5 million".
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub kind: ChangeKind,
    /// The stated change in percent (`8%`; `doubled` is 100).
    pub percent: Option<Amount>,
    /// The stated change as an amount (`up $2.1 million`).
    pub amount: Option<Amount>,
    pub qualifier: Qualifier,
    /// The stated base figure (`from $20.5 million`).
    pub base: Option<Amount>,
    pub base_period: Option<PeriodPhrase>,
    pub base_period_range: Option<(usize, usize)>,
    /// Byte range of the change words and figure.
    pub range: (usize, usize),
}

/// A financial statement about a metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The metric phrase as written, lowercased (`net loss`, `pro forma ebitda`).
    pub metric: String,
    pub metric_range: (usize, usize),
    pub amount: Option<Amount>,
    pub sign: ClaimSign,
    pub period: Option<PeriodPhrase>,
    pub period_range: Option<(usize, usize)>,
    pub comparison: Option<Comparison>,
    pub sentence_range: (usize, usize),
    /// The compared side of its sentence (`compared with $195 million in
    /// the second quarter of 2025`, a change's stated base): its period is
    /// not the sentence's.
    pub compared: bool,
}

/// Extracts the claims of `text` (a paragraph's joined text), in order.
pub fn extract_claims(text: &str) -> Vec<Claim> {
    read_paragraph(text).claims
}

/// A paragraph as the claim reader read it: its claims, and the sentences
/// and period phrases it found on the way (empty when the paragraph has no
/// figure, and so no claim), which inheriting periods reads again.
#[derive(Default)]
pub struct ParagraphReading {
    pub claims: Vec<Claim>,
    pub sentences: Vec<(usize, usize)>,
    /// In order of position, without overlaps.
    pub periods: Vec<PeriodHit>,
}

/// [`extract_claims`], keeping the sentences and period phrases.
pub fn read_paragraph(text: &str) -> ParagraphReading {
    read_paragraph_with(text, find_mentions(text))
}

/// [`read_paragraph`] of a parsed paragraph, whose mentions the parser
/// already found ([`Paragraph::mentions`](crate::ast::Paragraph)): they are
/// not looked for again.
pub fn read_parsed_paragraph(p: &crate::ast::Paragraph) -> ParagraphReading {
    // Most paragraphs make no claim: their mentions are not copied.
    let figures = p.mentions.iter().any(|m| m.kind.is_figure());
    if reads_no_claim(&p.text, !p.mentions.is_empty(), figures) {
        return ParagraphReading::default();
    }
    let mentions = p.mentions.iter().map(MentionHit::of_mention).collect();
    read_paragraph_with(&p.text, mentions)
}

/// Whether a paragraph is not read for claims: every claim is read from a
/// money or percentage figure, or from `doubled` or `tripled`.
fn reads_no_claim(text: &str, mentions: bool, figures: bool) -> bool {
    !mentions || (!figures && !multiplies(text))
}

/// Whether `text` says `doubled` or `tripled` (any case).
fn multiplies(text: &str) -> bool {
    MULTIPLES
        .iter()
        .any(|w| crate::parse::period::contains_ignore_ascii_case(text.as_bytes(), w.as_bytes()))
}

/// The words that state a change without a figure (`revenue doubled`).
const MULTIPLES: [&str; 2] = ["doubled", "tripled"];

/// [`read_paragraph`] of `text` whose mentions are `mentions`.
fn read_paragraph_with(text: &str, mentions: Vec<MentionHit>) -> ParagraphReading {
    // Every claim is read from a money or percentage figure, or from
    // `doubled` or `tripled`: a sentence with none of them makes no claim,
    // and is not read; a paragraph with none is not read at all.
    let mut figures: Vec<usize> = mentions
        .iter()
        .filter(|m| m.kind.is_figure())
        .map(|m| m.range.0)
        .collect();
    if reads_no_claim(text, !mentions.is_empty(), !figures.is_empty()) {
        return ParagraphReading::default();
    }
    figures.sort_unstable();
    // Words take their lowercase form from here (same byte positions).
    let lower = text.to_ascii_lowercase();
    let periods = find_periods_lower(text, &lower);
    let starts = HitStarts::new(&mentions, &periods);
    let sentences = sentences(text);
    let mut out = Vec::new();
    for &sentence in &sentences {
        let (s, e) = sentence;
        let first = figures.partition_point(|&at| at < s);
        let has_figure = figures.get(first).is_some_and(|&at| at < e);
        if !has_figure && !multiplies(text.get(s..e).unwrap_or("")) {
            continue;
        }
        let tokens = tokenize(text, &lower, sentence, &mentions, &periods, &starts);
        let mut reader = SentenceReader {
            text,
            tokens,
            mentions: &mentions,
            periods: &periods,
            sentence,
            claims: Vec::new(),
        };
        reader.read();
        for c in &mut reader.claims {
            if c.amount
                .as_ref()
                .is_some_and(|a| non_gaap_basis_after(text, a.range.1))
                && !c.metric.contains("non-gaap")
            {
                c.metric = format!("non-gaap {}", c.metric);
            }
        }
        out.extend(reader.claims);
    }
    ParagraphReading {
        claims: out,
        sentences,
        periods,
    }
}

/// `$3.80 on a non-GAAP basis`, `on an adjusted basis`: the figure before
/// is not the GAAP one its metric names.
fn non_gaap_basis_after(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let rest = rest.trim_start().trim_start_matches(',').trim_start();
    // The words must start `on a`, in any case: most figures are followed
    // by something else, told from four bytes.
    if !rest
        .as_bytes()
        .get(..4)
        .is_some_and(|b| b.eq_ignore_ascii_case(b"on a"))
    {
        return false;
    }
    // The first 48 characters, lowercased in a buffer on the stack (this
    // runs for every claim with an amount).
    let end = rest.char_indices().nth(48).map_or(rest.len(), |(i, _)| i);
    let mut buf = [0u8; 48 * 4];
    let head = &mut buf[..end];
    head.copy_from_slice(&rest.as_bytes()[..end]);
    head.make_ascii_lowercase();
    // Lowercasing ASCII letters keeps the bytes UTF-8.
    std::str::from_utf8(head).is_ok_and(names_other_basis)
}

/// Whether the lowercase words after a figure (`on a non-gaap basis`) name
/// a basis other than GAAP's.
fn names_other_basis(head: &str) -> bool {
    let Some(body) = head
        .strip_prefix("on a ")
        .or_else(|| head.strip_prefix("on an "))
    else {
        return false;
    };
    let Some(end) = body.find("basis") else {
        return false;
    };
    let body = &body[..end];
    [
        "non-gaap",
        "non gaap",
        "adjusted",
        "pro forma",
        "pro-forma",
        "constant currency",
    ]
    .iter()
    .any(|w| body.contains(w))
}

/// Sentence (and clause) byte ranges of `text`: split after a sentence-ending
/// `.`/`!`/`?` followed by a space, after `;`, and before a `--` bullet.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let slice = &text[s..e];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.len() - slice.trim_end().len();
        if e - trail > s + lead {
            out.push((s + lead, e - trail));
        }
    };
    // Only `-`, `;`, `.`, `!` and `?` end a sentence or start a bullet: the
    // next of them is searched for, the bytes between passed over at once.
    // The next `!` or `?` is remembered until passed (most texts have none).
    let mut exclaim = memchr::memchr2(b'!', b'?', b).unwrap_or(b.len());
    loop {
        if exclaim < i {
            exclaim = memchr::memchr2(b'!', b'?', &b[i..]).map_or(b.len(), |k| i + k);
        }
        let stop = memchr::memchr3(b'-', b';', b'.', &b[i..]).map_or(b.len(), |k| i + k);
        i = stop.min(exclaim);
        if i >= b.len() {
            break;
        }
        let bullet = b[i] == b'-'
            && b.get(i + 1) == Some(&b'-')
            && (i == 0 || b[i - 1] == b' ')
            && b.get(i + 2).is_none_or(|&c| c == b' ');
        if bullet {
            push(start, i, &mut out);
            i += 2;
            start = i;
            continue;
        }
        let ends =
            (b[i] == b';' || is_sentence_end(text, i)) && b.get(i + 1).is_none_or(|&c| c == b' ');
        if ends {
            push(start, i + 1, &mut out);
            start = i + 1;
        }
        i += 1;
    }
    push(start, b.len(), &mut out);
    out
}

/// A token of a sentence; words borrow their lowercase form from the
/// paragraph's lowercased text (same byte positions).
#[derive(Clone, Debug, PartialEq)]
enum Tok<'a> {
    Word {
        lower: &'a str,
        caps: bool,
    },
    /// A parenthesised acronym, `(EBITDA)`.
    Acronym(&'a str),
    /// A money or percentage mention (index into the mentions).
    Figure(usize),
    /// A period phrase (index into the period hits).
    Period(usize),
    /// A count or a date outside a period phrase.
    Other,
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token<'a> {
    tok: Tok<'a>,
    range: (usize, usize),
}

/// The mentions and period hits of a paragraph ordered by where they start
/// (ties in their original order), so the tokenizer finds the hits that
/// start at a byte by binary search instead of scanning every hit of the
/// paragraph for every byte of every sentence.
struct HitStarts {
    mentions: Vec<(usize, usize)>,
    periods: Vec<(usize, usize)>,
}

impl HitStarts {
    fn new(mentions: &[MentionHit], periods: &[PeriodHit]) -> HitStarts {
        fn order(ranges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
            let mut v: Vec<(usize, usize)> = ranges.enumerate().map(|(k, r)| (r.0, k)).collect();
            v.sort_unstable();
            v
        }
        HitStarts {
            mentions: order(mentions.iter().map(|m| m.range)),
            periods: order(periods.iter().map(|p| p.range)),
        }
    }

    /// The first hit (in the original order) that starts at `i` and ends
    /// by `e`: what `ranges.iter().position(..)` would find. `cursor` is
    /// where the search left off: the tokenizer's `i` only grows, so it
    /// moves past the hits that start before `i` instead of searching the
    /// whole list again at every byte.
    fn at(
        order: &[(usize, usize)],
        cursor: &mut usize,
        end_of: impl Fn(usize) -> usize,
        i: usize,
        e: usize,
    ) -> Option<usize> {
        while order.get(*cursor).is_some_and(|&(s, _)| s < i) {
            *cursor += 1;
        }
        order[*cursor..]
            .iter()
            .take_while(|&&(s, _)| s == i)
            .map(|&(_, k)| k)
            .find(|&k| end_of(k) <= e)
    }

    /// Where the hits starting at or after `i` begin in `order`.
    fn cursor(order: &[(usize, usize)], i: usize) -> usize {
        order.partition_point(|&(s, _)| s < i)
    }
}

fn tokenize<'a>(
    text: &str,
    lower: &'a str,
    (s, e): (usize, usize),
    mentions: &[MentionHit],
    periods: &[PeriodHit],
    starts: &HitStarts,
) -> Vec<Token<'a>> {
    // About a token for every six bytes of prose: grown rarely.
    let mut out = Vec::with_capacity((e - s) / 6 + 1);
    let b = text.as_bytes();
    let mut i = s;
    let mut at_period = HitStarts::cursor(&starts.periods, s);
    let mut at_mention = HitStarts::cursor(&starts.mentions, s);
    while i < e {
        if let Some(k) = HitStarts::at(
            &starts.periods,
            &mut at_period,
            |k| periods[k].range.1,
            i,
            e,
        ) {
            out.push(Token {
                tok: Tok::Period(k),
                range: periods[k].range,
            });
            i = periods[k].range.1;
            continue;
        }
        if let Some(k) = HitStarts::at(
            &starts.mentions,
            &mut at_mention,
            |k| mentions[k].range.1,
            i,
            e,
        ) {
            let m = &mentions[k];
            let tok = if m.kind.is_figure() {
                Tok::Figure(k)
            } else {
                Tok::Other
            };
            out.push(Token {
                tok,
                range: m.range,
            });
            i = m.range.1;
            continue;
        }
        let c = b[i];
        let alnum = |at: usize| b.get(at).is_some_and(|&c| ASCII_ALNUM[usize::from(c)]);
        if alnum(i) {
            let mut j = i + 1;
            while j < e {
                // A hyphen, apostrophe or ampersand between letters or
                // digits is part of the word.
                if alnum(j) || (matches!(b[j], b'-' | b'\'' | b'&') && alnum(j + 1)) {
                    j += 1;
                } else {
                    break;
                }
            }
            let word = &text[i..j];
            let mut letters = word.bytes().filter(u8::is_ascii_alphabetic);
            let caps = letters.clone().nth(1).is_some() && letters.all(|c| c.is_ascii_uppercase());
            out.push(Token {
                tok: Tok::Word {
                    lower: &lower[i..j],
                    caps,
                },
                range: (i, j),
            });
            i = j;
        } else if c.is_ascii_whitespace() || c == b'"' || !text.is_char_boundary(i) || c >= 0x80 {
            i += 1;
        } else {
            out.push(Token {
                tok: Tok::Punct(c as char),
                range: (i, i + 1),
            });
            i += 1;
        }
    }
    simplify(out)
}

/// Drops parentheses without figures (keeping a lone acronym) and
/// `on a ... basis` phrases.
/// The tokens kept are moved down in place (`kept` never passes `i`, and
/// the tests look at `i` and after only).
fn simplify(mut tokens: Vec<Token>) -> Vec<Token> {
    let mut kept = 0;
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].tok == Tok::Punct('(')
            && let Some(close) =
                (i + 1..tokens.len().min(i + 16)).find(|&j| tokens[j].tok == Tok::Punct(')'))
        {
            let inner = &tokens[i + 1..close];
            if !inner
                .iter()
                .any(|t| matches!(t.tok, Tok::Figure(_) | Tok::Period(_)))
            {
                if let [
                    Token {
                        tok: Tok::Word { lower, caps: true },
                        ..
                    },
                ] = inner
                {
                    let acronym = Token {
                        tok: Tok::Acronym(lower),
                        range: (tokens[i].range.0, tokens[close].range.1),
                    };
                    tokens[kept] = acronym;
                    kept += 1;
                }
                i = close + 1;
                continue;
            }
        }
        if word_is(&tokens, i, "on")
            && (word_is(&tokens, i + 1, "a") || word_is(&tokens, i + 1, "an"))
            && let Some(end) =
                (i + 2..tokens.len().min(i + 12)).find(|&j| word_is(&tokens, j, "basis"))
            && !tokens[i..end]
                .iter()
                .any(|t| matches!(t.tok, Tok::Figure(_)))
        {
            i = end + 1;
            continue;
        }
        // `Net loss for the period was $X`: "the period" is the one the
        // text is about (the sentence before, or the lead), not a metric.
        if (word_is(&tokens, i, "for")
            || word_is(&tokens, i, "in")
            || word_is(&tokens, i, "during"))
            && (word_is(&tokens, i + 1, "the") || word_is(&tokens, i + 1, "this"))
            && word_is(&tokens, i + 2, "period")
            && !word_is(&tokens, i + 3, "ended")
            && !word_is(&tokens, i + 3, "ending")
            && !word_is(&tokens, i + 3, "from")
            && !word_is(&tokens, i + 3, "of")
        {
            i += 3;
            continue;
        }
        tokens.swap(kept, i);
        kept += 1;
        i += 1;
    }
    tokens.truncate(kept);
    tokens
}

fn word_is(tokens: &[Token], i: usize, w: &str) -> bool {
    matches!(tokens.get(i), Some(Token { tok: Tok::Word { lower, .. }, .. }) if *lower == w)
}

/// Words that end a metric phrase read backwards.
#[rustfmt::skip]
const NP_STOP: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "our", "their", "his", "her",
    "which", "who", "whose", "for", "in", "on", "at", "by", "with", "from", "during", "as", "than",
    "over", "under", "versus", "vs", "was", "were", "is", "are", "be", "been", "has", "have", "had",
    "will", "would", "reported", "reports", "report", "announced", "announces", "said", "says",
    "posted", "recorded", "records", "achieved", "generated", "delivered", "included", "includes",
    "including", "represents", "represented", "representing", "shipped", "won", "expects",
    "expected", "anticipates", "today", "compared", "comparing", "increased", "decreased", "rose",
    "fell", "grew", "declined", "and", "or", "but", "while", "also", "results", "reflecting",
    "reflected", "after", "before", "due", "related", "about", "approximately", "to", "of", "per",
    "with", "were", "up", "down", "into", "through", "it", "we", "they", "he", "she", "overall",
    "company", "there", "not", "no", "all", "each", "both",
];

/// Whether `w` is one of [`NP_STOP`]: hashed, where the list was searched
/// word by word for every word of a metric read backwards.
fn np_stop(w: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| NP_STOP.iter().copied().collect());
    SET.contains(w)
}

/// Words that start a comma-delimited insertion between a metric and its
/// link (`net loss, calculated in accordance with GAAP, was`).
#[rustfmt::skip]
const INSERTION_START: &[&str] = &[
    "calculated", "excluding", "including", "which", "as", "adjusted", "before", "after",
    "primarily", "compared", "on", "in", "determined", "prepared", "measured", "reflecting", "not",
    "or", "respectively", "also",
];

/// Links between a metric and its amount.
#[rustfmt::skip]
const COPULA: &[&str] = &[
    "was", "were", "is", "are", "totaled", "totalled", "totaling", "totalling", "reached",
    "equaled", "of", "be", "at", "amounted", "came",
];

/// Verbs and nouns of change and their direction.
fn change_word(w: &str) -> Option<ChangeKind> {
    Some(match w {
        "increased" | "increase" | "increases" | "increasing" | "rose" | "rise" | "grew"
        | "growth" | "gain" | "gained" | "climbed" | "improved" | "improvement" | "up"
        | "jumped" | "expanded" => ChangeKind::Increase,
        "decreased" | "decrease" | "decreases" | "decreasing" | "fell" | "declined" | "decline"
        | "dropped" | "drop" | "down" | "reduced" | "reduction" | "lower" | "contracted" => {
            ChangeKind::Decrease
        }
        "changed" | "change" => ChangeKind::Change,
        _ => return None,
    })
}

fn sign_of(words: &[&str]) -> ClaimSign {
    let neg = ["loss", "losses", "deficit", "benefit", "deficits"];
    let pos = ["income", "earnings", "profit", "profits", "gain", "gains"];
    if words.iter().any(|w| neg.contains(w)) {
        ClaimSign::Negative
    } else if words.iter().any(|w| pos.contains(w)) {
        ClaimSign::Positive
    } else {
        ClaimSign::Unstated
    }
}

/// A metric phrase found in the tokens.
#[derive(Clone, Debug)]
struct Metric {
    text: String,
    range: (usize, usize),
    sign: ClaimSign,
    /// Index of its first token.
    first: usize,
}

struct SentenceReader<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    mentions: &'a [MentionHit],
    periods: &'a [PeriodHit],
    sentence: (usize, usize),
    claims: Vec<Claim>,
}

impl<'a> SentenceReader<'a> {
    /// Token `i`'s lowercase word, or the empty word: borrowed from the
    /// paragraph, not from the reader, so it can be held while the reader
    /// changes.
    fn word(&self, i: usize) -> &'a str {
        match self.tokens.get(i) {
            Some(Token {
                tok: Tok::Word { lower, .. },
                ..
            }) => lower,
            _ => "",
        }
    }

    fn figure(&self, i: usize) -> Option<&MentionHit> {
        match self.tokens.get(i)?.tok {
            Tok::Figure(k) => self.mentions.get(k),
            _ => None,
        }
    }

    fn period(&self, i: usize) -> Option<&PeriodHit> {
        match self.tokens.get(i)?.tok {
            Tok::Period(k) => self.periods.get(k),
            _ => None,
        }
    }

    /// Figures listed before `respectively` (`$358 million and $6 million,
    /// respectively, from the divested businesses`): each belongs to a
    /// subject named elsewhere, not to the metric before them.
    fn respectively_lists(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for r in 0..self.tokens.len() {
            if self.word(r) != "respectively" {
                continue;
            }
            let mut j = r;
            while j > 0 {
                j -= 1;
                match &self.tokens[j].tok {
                    Tok::Figure(_) => out.push(j),
                    Tok::Punct(',') => {}
                    Tok::Word { lower, .. } if matches!(*lower, "and" | "or") => {}
                    _ => break,
                }
            }
        }
        out
    }

    fn read(&mut self) {
        let listed = self.respectively_lists();
        for i in 0..self.tokens.len() {
            if listed.contains(&i) {
                continue;
            }
            if self.figure(i).is_some() {
                self.read_figure(i);
            } else if matches!(self.word(i), "doubled" | "tripled") {
                self.read_multiple(i);
            }
        }
        self.share_periods();
    }

    /// The qualifier words just before token `i`: the qualifier and the
    /// index of its first token.
    fn qualifier_before(&self, i: usize) -> (Qualifier, usize) {
        let mut j = i;
        if j > 0 && matches!(self.word(j - 1), "a" | "an") {
            j -= 1;
        }
        let w1 = if j >= 1 { self.word(j - 1) } else { "" };
        let w2 = if j >= 2 { self.word(j - 2) } else { "" };
        let w3 = if j >= 3 { self.word(j - 3) } else { "" };
        let two = |q| (q, j - 2);
        match (w3, w2, w1) {
            ("in", "excess", "of") => return (Qualifier::MoreThan, j - 3),
            (_, "more", "than") | (_, "just", "over") | (_, "greater", "than") => {
                return two(Qualifier::MoreThan);
            }
            (_, "less", "than") | (_, "just", "under") | (_, "fewer", "than") => {
                return two(Qualifier::LessThan);
            }
            (_, "close", "to") => return two(Qualifier::Nearly),
            _ => {}
        }
        let q = match w1 {
            "over" => Qualifier::MoreThan,
            "under" => Qualifier::LessThan,
            "approximately" | "about" | "roughly" | "around" | "some" | "approx" => {
                Qualifier::Approximately
            }
            "nearly" | "almost" => Qualifier::Nearly,
            _ => return (Qualifier::Exact, i),
        };
        (q, j - 1)
    }

    /// Reads the metric phrase ending at token `end` (inclusive), backwards.
    fn metric_ending_at(&self, end: usize) -> Option<Metric> {
        let mut words: Vec<(&str, bool, (usize, usize))> = Vec::new();
        let mut i = end as isize;
        let mut acronym: Option<&str> = None;
        if let Some(Token {
            tok: Tok::Acronym(a),
            ..
        }) = self.tokens.get(end)
        {
            // Skip the expansion the acronym abbreviates.
            acronym = Some(a);
            let letters: Vec<char> = a.chars().rev().collect();
            let mut li = 0;
            let mut j = end as isize - 1;
            while j >= 0 && li < letters.len() {
                match &self.tokens[j as usize].tok {
                    Tok::Punct(',') => {}
                    Tok::Word { lower, .. } if matches!(*lower, "and" | "of" | "&") => {}
                    Tok::Word { lower, .. } if lower.starts_with(letters[li]) => li += 1,
                    _ => break,
                }
                j -= 1;
            }
            i = if li == letters.len() {
                j
            } else {
                end as isize - 1
            };
            if li != letters.len() {
                // Not an abbreviation of the words before: the acronym alone.
                i = -1;
            }
        }
        while i >= 0 {
            let t = &self.tokens[i as usize];
            let Tok::Word { lower, caps } = &t.tok else {
                break;
            };
            let inside = match *lower {
                // `applicable to holders of common stock`, `per basic and
                // diluted share`, `cost of revenue`.
                "to" => matches!(
                    self.word((i - 1).max(0) as usize),
                    "applicable" | "attributable" | "available"
                ),
                "of" => !words.is_empty() && i > 0 && !self.is_stop((i - 1) as usize),
                "per" => !words.is_empty(),
                "and" => {
                    (self.word(i as usize + 1) == "diluted"
                        && self.word((i - 1).max(0) as usize) == "basic")
                        || self.and_joins_metric(i as usize)
                }
                w => !np_stop(w) && !w.ends_with("'s") && !w.chars().all(|c| c.is_ascii_digit()),
            };
            if !inside {
                break;
            }
            words.push((lower, *caps, t.range));
            i -= 1;
        }
        words.reverse();
        // Connectors cannot start a metric.
        while words
            .first()
            .is_some_and(|(w, _, _)| matches!(*w, "of" | "to" | "per" | "and"))
        {
            words.remove(0);
        }
        let first = (i + 1) as usize;
        let mut names: Vec<&str> = words.iter().map(|(w, _, _)| *w).collect();
        let mut sign = sign_of(&names);
        // `EBITDA loss`, `EBITDA earnings`: the sign noun after an acronym is a
        // sign, not part of the metric.
        if names.len() >= 2
            && words[words.len() - 2].1
            && matches!(*names.last()?, "loss" | "earnings" | "income" | "profit")
        {
            names.pop();
        }
        if let Some(a) = &acronym {
            names.push(a);
        }
        if names.is_empty() {
            return None;
        }
        if sign == ClaimSign::Unstated {
            sign = sign_of(&names);
        }
        let start = words.first().map_or(self.tokens[end].range.0, |w| w.2.0);
        Some(Metric {
            text: names.join(" "),
            range: (start, self.tokens[end].range.1),
            sign,
            first,
        })
    }

    fn is_stop(&self, i: usize) -> bool {
        match &self.tokens[i].tok {
            Tok::Word { lower, .. } => np_stop(lower),
            _ => true,
        }
    }

    /// `Selling and administrative expenses were`: an `and` inside a metric
    /// that opens its clause.
    fn and_joins_metric(&self, i: usize) -> bool {
        let mut j = i;
        let mut n = 0;
        while j > 0 && n < 3 {
            j -= 1;
            match &self.tokens[j].tok {
                Tok::Word { lower, .. } if !np_stop(lower) => n += 1,
                Tok::Word { lower, .. } => {
                    return n > 0 && matches!(*lower, "the" | "its" | "our");
                }
                Tok::Punct(',') | Tok::Period(_) => return n > 0,
                _ => return false,
            }
        }
        j == 0 && n > 0
    }

    /// Walks back from token `i` (inclusive) over commas, period phrases with
    /// their preposition, auxiliaries and comma-delimited insertions; returns
    /// the index of the last token of the metric and the period skipped.
    fn skip_back(&self, mut i: isize) -> (isize, Option<usize>) {
        let mut period = None;
        while i >= 0 {
            let t = &self.tokens[i as usize];
            match &t.tok {
                Tok::Punct(',') => {
                    if let Some(c) = self.insertion_before(i as usize) {
                        i = c as isize - 1;
                    } else {
                        i -= 1;
                    }
                }
                Tok::Period(_) => {
                    if period.is_none() {
                        period = Some(i as usize);
                    }
                    i -= 1;
                    if matches!(
                        self.word(i.max(0) as usize),
                        "for" | "in" | "during" | "of" | "through"
                    ) {
                        i -= 1;
                    }
                }
                Tok::Word { lower, .. }
                    if matches!(
                        *lower,
                        "has"
                            | "have"
                            | "had"
                            | "been"
                            | "was"
                            | "were"
                            | "also"
                            | "again"
                            | "only"
                            | "each"
                            | "respectively"
                            | "together"
                    ) =>
                {
                    i -= 1;
                }
                _ => break,
            }
        }
        (i, period)
    }

    /// When the comma at `comma` closes an insertion (`, calculated in
    /// accordance with GAAP,`), the index of the comma that opens it.
    fn insertion_before(&self, comma: usize) -> Option<usize> {
        let open = (0..comma)
            .rev()
            .find(|&j| self.tokens[j].tok == Tok::Punct(','))?;
        let inner = &self.tokens[open + 1..comma];
        let starts = matches!(inner.first(), Some(Token { tok: Tok::Word { lower, .. }, .. }) if INSERTION_START.contains(lower));
        let figures = inner.iter().any(|t| matches!(t.tok, Tok::Figure(_)));
        (starts && !figures && !inner.is_empty()).then_some(open)
    }

    /// The metric a clause ending just before token `link` is about.
    fn subject_before(&self, link: usize) -> Option<(Metric, Option<usize>)> {
        let (end, period) = self.skip_back(link as isize - 1);
        if end < 0 {
            return None;
        }
        let end = end as usize;
        if matches!(self.word(end), "which" | "that") {
            // `..., which increased ...`: the phrase before the comma.
            let (e2, _) = self.skip_back(end as isize - 1);
            let m = self.metric_ending_at(e2.max(0) as usize)?;
            return Some((m, period));
        }
        self.metric_ending_at(end).map(|m| (m, period))
    }

    /// A period phrase following token `i`, after an optional comma, an `or
    /// $x per share` companion, and up to a dozen other tokens, stopping at
    /// another figure or a comparison word.
    fn trailing_period(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        let mut seen = 0;
        while j < self.tokens.len() && seen < 14 {
            match &self.tokens[j].tok {
                Tok::Period(_) => return Some(j),
                Tok::Figure(_) => {
                    // `or $1.05 per share ($1.04 per share on a diluted
                    // basis)`: per-share companions, the diluted one in
                    // parentheses.
                    let companion = matches!(self.tokens[j - 1].tok, Tok::Punct('('))
                        || self.word(j - 1) == "or";
                    let companion =
                        companion && self.figure(j).is_some_and(MentionHit::is_per_share);
                    if !companion {
                        return None;
                    }
                }
                Tok::Word { lower, .. }
                    if matches!(
                        *lower,
                        "compared"
                            | "versus"
                            | "vs"
                            | "and"
                            | "while"
                            | "but"
                            | "against"
                            | "from"
                            | "up"
                            | "down"
                    ) =>
                {
                    return None;
                }
                Tok::Punct(';') => return None,
                _ => {}
            }
            j += 1;
            seen += 1;
        }
        None
    }

    /// Whether token `first` follows a `compared with`, `compared to`,
    /// `versus` or `against` of its sentence with no period phrase between:
    /// the words from there on describe the other side of a comparison.
    fn on_compared_side(&self, first: usize) -> bool {
        // `compared with first-quarter 2021 profit per share`: the metric's
        // own period comes between the link and the metric.
        let first = match first.checked_sub(1) {
            Some(j) if matches!(self.tokens[j].tok, Tok::Period(_)) => j,
            _ => first,
        };
        for j in (0..first).rev() {
            match &self.tokens[j].tok {
                Tok::Period(_) | Tok::Punct(';') => return false,
                Tok::Word { lower, .. } => match *lower {
                    "versus" | "vs" | "against" => return true,
                    "with" | "to" if j > 0 && self.word(j - 1) == "compared" => return true,
                    _ => {}
                },
                _ => {}
            }
        }
        false
    }

    /// The period phrase that closes a list of compared figures after token
    /// `i` (`$2,334 million and net income of $269 million, or $0.65 per
    /// diluted share, for the first six months of 2025`): the first period
    /// phrase ahead, if no word that opens another clause comes first.
    fn list_trailing_period(&self, i: usize) -> Option<usize> {
        for j in i + 1..self.tokens.len().min(i + 40) {
            match &self.tokens[j].tok {
                Tok::Period(_) => return Some(j),
                Tok::Punct(';') => return None,
                Tok::Word { lower, .. }
                    if matches!(
                        *lower,
                        "compared"
                            | "versus"
                            | "vs"
                            | "while"
                            | "but"
                            | "against"
                            | "from"
                            | "up"
                            | "down"
                            | "increased"
                            | "decreased"
                            | "was"
                            | "were"
                    ) =>
                {
                    return None;
                }
                _ => {}
            }
        }
        None
    }

    /// The nearest period phrase before token `first` in the sentence that
    /// is not the base of a comparison (`an increase of 7% over fiscal 2025,
    /// and net income was ...` reads back to the sentence's own period).
    fn leading_period(&self, first: usize) -> Option<usize> {
        (0..first).rev().find(|&j| {
            matches!(self.tokens[j].tok, Tok::Period(_))
                && (j == 0
                    || !matches!(
                        self.word(j - 1),
                        "over" | "from" | "than" | "versus" | "vs" | "with" | "against"
                    ))
        })
    }

    fn period_of(&self, idx: Option<usize>) -> (Option<PeriodPhrase>, Option<(usize, usize)>) {
        match idx.and_then(|j| self.period(j)) {
            Some(p) => (Some(p.phrase.clone()), Some(p.range)),
            None => (None, None),
        }
    }

    fn push_claim(&mut self, metric: Metric, amount: Option<Amount>, period: Option<usize>) {
        let (period, period_range) = self.period_of(period);
        let mut sign = metric.sign;
        if sign == ClaimSign::Unstated
            && amount
                .as_ref()
                .is_some_and(|a| a.value.is_sign_negative() && !a.value.is_zero())
        {
            sign = ClaimSign::Negative;
        }
        self.claims.push(Claim {
            metric: metric.text,
            metric_range: metric.range,
            amount,
            sign,
            period,
            period_range,
            comparison: None,
            sentence_range: self.sentence,
            compared: false,
        });
    }

    /// The claim a trailing `an increase of 8%` is about: the last claim,
    /// unless that is a figure compared with an earlier one of the same
    /// metric (`A for the first quarter compared with B for the fourth
    /// quarter and C for the year-ago quarter, an increase of 23% from the
    /// year-ago quarter`), in which case the first of them, the figure the
    /// sentence reports.
    fn change_target(&self) -> Option<usize> {
        let last = self.claims.len().checked_sub(1)?;
        let l = &self.claims[last];
        let plain = |c: &Claim| {
            c.amount
                .as_ref()
                .is_some_and(|a| !a.per_share && !a.percent)
        };
        if !plain(l) {
            return Some(last);
        }
        let head = (0..last).find(|&k| {
            let c = &self.claims[k];
            c.metric_range == l.metric_range && plain(c) && c.comparison.is_none()
        });
        Some(head.unwrap_or(last))
    }

    /// `an increase of 8% compared with $28.8 million for ...`: a compared
    /// figure right after a change (its link starting at token
    /// `link_start`) is that change's base.
    fn attach_base(
        &mut self,
        link_start: usize,
        amount: &Amount,
        period: Option<PeriodPhrase>,
        period_range: Option<(usize, usize)>,
    ) {
        let mut j = link_start;
        while j > 0 && self.tokens[j - 1].tok == Tok::Punct(',') {
            j -= 1;
        }
        let Some(end) = j.checked_sub(1).map(|k| self.tokens[k].range.1) else {
            return;
        };
        if let Some(cmp) = self
            .claims
            .iter_mut()
            .rev()
            .filter_map(|c| c.comparison.as_mut())
            .find(|cmp| cmp.range.1 == end)
            && cmp.base.is_none()
            && cmp.base_period.is_none()
        {
            cmp.base = Some(amount.clone());
            cmp.base_period = period;
            cmp.base_period_range = period_range;
        }
    }

    /// The last claim whose amount is of the same nature as `hit`.
    fn last_like(&self, hit: &MentionHit) -> Option<usize> {
        (0..self.claims.len())
            .rev()
            .find(|&c| match &self.claims[c].amount {
                Some(a) => a.per_share == hit.is_per_share() && a.percent == hit.is_percent(),
                None => false,
            })
    }

    fn read_figure(&mut self, i: usize) {
        let hit = self.figure(i).cloned().expect("figure token");
        let amount = Amount::from_hit(&hit);
        let (qualifier, q) = self.qualifier_before(i);
        let link = q.checked_sub(1).map_or("", |k| self.word(k));
        let link2 = q.checked_sub(2).map_or("", |k| self.word(k));

        // `X% increase in DSL ports`, `8 percent sequential growth in revenue`.
        if hit.is_percent() && self.read_change_noun_after(i, &amount, qualifier) {
            return;
        }

        // A change verb: `increased 4.6 percent`, `up 12%`, `increased by 11%`.
        let verb_at = if link == "by" {
            q.checked_sub(2)
        } else {
            q.checked_sub(1)
        };
        let verb_kind = verb_at.and_then(|v| change_word(self.word(v)).map(|k| (v, k)));
        if let Some((v, kind)) = verb_kind
            && hit.is_percent()
            && !matches!(
                self.word(v),
                "increase"
                    | "decrease"
                    | "growth"
                    | "decline"
                    | "reduction"
                    | "improvement"
                    | "gain"
                    | "change"
                    | "rise"
                    | "drop"
            )
        {
            self.read_change(i, v, kind, amount, qualifier);
            return;
        }
        // `an increase of 8%`: a change of the previous claim.
        if link == "of"
            && let Some(kind) = change_word(link2)
        {
            let mut comparison =
                self.comparison(kind, Some(amount), qualifier, i, q.saturating_sub(2));
            if let Some(target) = self.change_target() {
                let last = self.claims.len() - 1;
                if target != last && comparison.base_period.is_none() {
                    // `A compared with B, an increase of 5%`: B is the base.
                    let b = &self.claims[last];
                    comparison.base = b.amount.clone();
                    comparison.base_period = b.period.clone();
                    comparison.base_period_range = b.period_range;
                }
                self.claims[target].comparison = Some(comparison);
            } else if let Some((m, p)) = self.subject_before(q.saturating_sub(2)) {
                let p = p.or_else(|| self.leading_period(m.first));
                self.push_claim(m, None, p);
                self.claims.last_mut().expect("pushed").comparison = Some(comparison);
            }
            return;
        }
        // `increased 4.6 percent to $1.1 billion`, `increased to 27.9 percent`.
        if link == "to" {
            if q >= 2 && self.figure(q - 2).is_some() {
                if let Some(c) = self.claims.last_mut()
                    && c.amount.is_none()
                {
                    c.amount = Some(amount);
                }
                return;
            }
            if let Some(kind) = change_word(link2) {
                if let Some((m, p)) = self.subject_before(q - 2) {
                    let p = p
                        .or_else(|| self.trailing_period(i))
                        .or_else(|| self.leading_period(m.first));
                    self.push_claim(m, Some(amount), p);
                    let comparison = self.comparison(kind, None, qualifier, i, q - 2);
                    self.claims.last_mut().expect("pushed").comparison = Some(comparison);
                }
                return;
            }
        }
        // `from $20.5 million`, `down from $23.9 billion`: the base of a change.
        if link == "from" {
            let kind = change_word(link2);
            self.set_base(amount, i, kind);
            return;
        }
        // `or $0.03 per share`: the per-share companion of the previous claim.
        if link == "or" && hit.is_per_share() {
            if let Some(c) = (0..self.claims.len()).rev().find(|&c| {
                self.claims[c]
                    .amount
                    .as_ref()
                    .is_some_and(|a| !a.per_share && !a.percent)
            }) {
                let base = self.claims[c].clone();
                let diluted = self
                    .text
                    .get(hit.range.0..hit.range.1)
                    .is_some_and(|t| t.to_ascii_lowercase().contains("diluted"));
                let metric = if base.metric.contains("share") {
                    base.metric.clone()
                } else if diluted {
                    format!("{} per diluted share", base.metric)
                } else {
                    format!("{} per share", base.metric)
                };
                let period = self.trailing_period(i);
                let (pp, pr) = self.period_of(period);
                self.claims.push(Claim {
                    metric,
                    metric_range: base.metric_range,
                    amount: Some(amount),
                    sign: base.sign,
                    period: pp.or(base.period),
                    period_range: pr.or(base.period_range),
                    comparison: None,
                    sentence_range: self.sentence,
                    compared: false,
                });
            }
            return;
        }
        // `compared with $53.2 million for ...`, `versus $20.5 million`, `and
        // $27.6 million`: the sentence's metric again.
        // `an increase of 5% over $56.7 million`: `over` opens the base,
        // it is no qualifier.
        let over_base = qualifier == Qualifier::MoreThan
            && self.word(q) == "over"
            && q > 0
            && self.figure(q - 1).is_some_and(MentionHit::is_percent);
        let compared = matches!(link, "with" | "to") && link2 == "compared";
        let continued = matches!(link, "versus" | "vs" | "and" | "or" | "against") || compared;
        if continued || over_base {
            let link_start = if over_base {
                q
            } else if compared {
                q - 2
            } else {
                q - 1
            };
            if let Some(c) = self.last_like(&hit) {
                let base = self.claims[c].clone();
                let period = self.trailing_period(i);
                let (pp, pr) = self.period_of(period);
                let mut sign = base.sign;
                if amount.value.is_sign_negative() && !amount.value.is_zero() {
                    sign = ClaimSign::Negative;
                }
                self.claims.push(Claim {
                    metric: base.metric,
                    metric_range: base.metric_range,
                    amount: Some(amount.clone()),
                    sign,
                    period: pp.clone(),
                    period_range: pr,
                    comparison: None,
                    sentence_range: self.sentence,
                    compared: link != "and" && link != "or",
                });
                if link != "and" && link != "or" {
                    self.attach_base(link_start, &amount, pp, pr);
                }
            }
            return;
        }
        // `net sales ... were $22.2 million`, `a net loss of $107.2 million`.
        if COPULA.contains(&link) || (link == "to" && link2 == "amounted") {
            let link_at = if link == "to" || (link == "at" && link2 == "in") {
                q - 2
            } else {
                q - 1
            };
            let Some((metric, between)) = (if link == "of" {
                self.metric_ending_at(q.saturating_sub(2))
                    .map(|m| (m, None))
            } else {
                self.subject_before(link_at)
            }) else {
                return;
            };
            if matches!(
                metric.text.as_str(),
                "increase" | "decrease" | "growth" | "decline"
            ) {
                return;
            }
            let base_of_change = metric.first > 0 && self.word(metric.first - 1) == "from";
            // `..., compared with revenues of $2,334 million and net income
            // of $269 million ... for the first six months of 2025`: the
            // compared side of a sentence never takes the sentence's
            // leading period; its own comes after the list, or none.
            let compared = self.on_compared_side(metric.first) || base_of_change;
            let period = if self.on_compared_side(metric.first) {
                // `compared with first-quarter 2021 profit per share of
                // $2.77`: a period right before the compared metric is its.
                let adjacent = metric
                    .first
                    .checked_sub(1)
                    .filter(|&j| matches!(self.tokens[j].tok, Tok::Period(_)));
                between
                    .or(adjacent)
                    .or_else(|| self.trailing_period(i))
                    .or_else(|| self.list_trailing_period(i))
            } else {
                // `revenue of $15.68 billion and net profit of $3.38
                // billion ... in the year-ago quarter`: a list's period
                // comes after its last figure.
                between
                    .or_else(|| self.trailing_period(i))
                    .or_else(|| self.leading_period(metric.first))
                    .or_else(|| self.list_trailing_period(i))
            };
            self.push_claim(metric, Some(amount.clone()), period);
            self.claims.last_mut().expect("pushed").compared = compared;
            if base_of_change {
                let n = self.claims.len();
                let (pp, pr) = (
                    self.claims[n - 1].period.clone(),
                    self.claims[n - 1].period_range,
                );
                if n >= 2
                    && let Some(cmp) = self.claims[n - 2].comparison.as_mut()
                    && cmp.base.is_none()
                {
                    cmp.base = Some(amount);
                    if cmp.base_period.is_none() {
                        cmp.base_period = pp;
                        cmp.base_period_range = pr;
                    }
                }
            }
        }
    }

    /// Builds a comparison whose change figure is token `i` (or word `i` for
    /// `doubled`), looking after it for its base period.
    fn comparison(
        &self,
        kind: ChangeKind,
        percent: Option<Amount>,
        qualifier: Qualifier,
        i: usize,
        start: usize,
    ) -> Comparison {
        let (base_period, base_period_range) = self.period_of(self.base_period_after(i));
        let (percent, amount) = match percent {
            Some(a) if a.percent => (Some(a), None),
            other => (None, other),
        };
        Comparison {
            kind,
            percent,
            amount,
            qualifier,
            base: None,
            base_period,
            base_period_range,
            range: (self.tokens[start].range.0, self.tokens[i].range.1),
        }
    }

    /// `over Q4 2005`, `from the year-ago quarter`, `compared with last
    /// quarter`, `sequential`: the base period of a change at token `i`.
    fn base_period_after(&self, i: usize) -> Option<usize> {
        for j in i + 1..self.tokens.len().min(i + 10) {
            match &self.tokens[j].tok {
                Tok::Period(_) => {
                    let prep = self.word(j - 1);
                    let relative = matches!(
                        self.period(j).map(|p| &p.phrase),
                        Some(PeriodPhrase::PriorQuarter | PeriodPhrase::YearAgoQuarter)
                    );
                    if relative
                        || matches!(
                            prep,
                            "over" | "from" | "with" | "to" | "versus" | "vs" | "than"
                        )
                    {
                        return Some(j);
                    }
                    return None;
                }
                Tok::Figure(_) | Tok::Punct(';') => return None,
                _ => {}
            }
        }
        // `sequential growth ... which increased by 11%`: a relative period
        // earlier in the sentence.
        (0..i).rev().find(|&j| {
            matches!(
                self.period(j).map(|p| &p.phrase),
                Some(PeriodPhrase::PriorQuarter | PeriodPhrase::YearAgoQuarter)
            )
        })
    }

    /// `more than a 20% increase in DSL ports over last quarter`.
    fn read_change_noun_after(&mut self, i: usize, amount: &Amount, qualifier: Qualifier) -> bool {
        let mut j = i + 1;
        let mut base = None;
        while j < self.tokens.len() {
            match &self.tokens[j].tok {
                Tok::Period(_) => base = Some(j),
                Tok::Word { lower, .. }
                    if matches!(*lower, "year" | "over" | "annual" | "organic" | "quarterly") => {}
                _ => break,
            }
            j += 1;
        }
        let Some(kind) = change_word(self.word(j)) else {
            return false;
        };
        if matches!(self.word(j), "up" | "down") {
            return false;
        }
        let noun = j;
        // The metric: `in <metric>` after the noun, else the claim before.
        let mut metric = None;
        if matches!(self.word(noun + 1), "in" | "of") {
            let mut e = noun + 2;
            while e < self.tokens.len()
                && matches!(&self.tokens[e].tok, Tok::Word { lower, .. } if !np_stop(lower))
            {
                e += 1;
            }
            if e > noun + 2 {
                metric = self.metric_ending_at(e - 1);
                j = e - 1;
            }
        }
        let mut comparison = self.comparison(kind, Some(amount.clone()), qualifier, i, i);
        comparison.range = (self.tokens[i].range.0, self.tokens[noun].range.1);
        if let Some(b) = base.or_else(|| self.base_period_after(j)) {
            let (p, r) = self.period_of(Some(b));
            comparison.base_period = p;
            comparison.base_period_range = r;
        }
        match metric {
            Some(m) => {
                let p = self.leading_period(i);
                let p = p.filter(|&p| Some(p) != base);
                self.push_claim(m, None, p);
                self.claims.last_mut().expect("pushed").comparison = Some(comparison);
            }
            None => match self.claims.last_mut() {
                Some(c) => c.comparison = Some(comparison),
                None => return false,
            },
        }
        true
    }

    /// `revenues ... increased 4.6 percent`, `which increased by more than 11%`.
    fn read_change(
        &mut self,
        i: usize,
        verb: usize,
        kind: ChangeKind,
        amount: Amount,
        qualifier: Qualifier,
    ) {
        let comparison = self.comparison(kind, Some(amount), qualifier, i, verb);
        match self.subject_before(verb) {
            Some((m, between)) => {
                let same = self
                    .claims
                    .last()
                    .is_some_and(|c| c.metric == m.text && c.comparison.is_none());
                if same {
                    self.claims.last_mut().expect("last").comparison = Some(comparison);
                    return;
                }
                let p = between.or_else(|| {
                    self.trailing_period(i)
                        .filter(|&p| Some(p) != self.base_period_after(i))
                });
                let p = p.or_else(|| {
                    self.leading_period(m.first).filter(|&p| {
                        !matches!(
                            self.period(p).map(|h| &h.phrase),
                            Some(PeriodPhrase::PriorQuarter | PeriodPhrase::YearAgoQuarter)
                        )
                    })
                });
                self.push_claim(m, None, p);
                self.claims.last_mut().expect("pushed").comparison = Some(comparison);
            }
            None => {
                if let Some(c) = self.claims.last_mut() {
                    c.comparison = Some(comparison);
                }
            }
        }
    }

    /// `nearly doubled`, `more than tripled`.
    fn read_multiple(&mut self, i: usize) {
        let percent = if self.word(i) == "doubled" { 100 } else { 200 };
        let (qualifier, q) = match (self.word(i.wrapping_sub(2)), self.word(i.wrapping_sub(1))) {
            ("more", "than") => (Qualifier::MoreThan, i - 2),
            (_, "nearly" | "almost") => (Qualifier::Nearly, i - 1),
            _ => (Qualifier::Approximately, i),
        };
        let amount = Amount {
            value: Decimal::from(percent),
            decimals: 0,
            scale: Scale::Units,
            per_share: false,
            percent: true,
            range: self.tokens[i].range,
        };
        let mut comparison = self.comparison(ChangeKind::Increase, Some(amount), qualifier, i, q);
        comparison.range = (self.tokens[q].range.0, self.tokens[i].range.1);
        if let Some((m, between)) = self.subject_before(q) {
            let p = between.or_else(|| self.leading_period(m.first));
            self.push_claim(m, None, p);
            self.claims.last_mut().expect("pushed").comparison = Some(comparison);
        }
    }

    /// `from $20.5 million`: the base of the latest change, or a new change
    /// of the latest claim (`down from $23.9 billion`).
    fn set_base(&mut self, amount: Amount, i: usize, kind: Option<ChangeKind>) {
        let period = self.trailing_period(i);
        let (pp, pr) = self.period_of(period);
        let Some(c) = self.claims.last_mut() else {
            return;
        };
        let cmp = c.comparison.get_or_insert_with(|| Comparison {
            kind: kind.unwrap_or(ChangeKind::Change),
            percent: None,
            amount: None,
            qualifier: Qualifier::Exact,
            base: None,
            base_period: None,
            base_period_range: None,
            range: amount.range,
        });
        if cmp.base.is_some() {
            return;
        }
        cmp.base = Some(amount.clone());
        if pp.is_some() {
            cmp.base_period = pp;
            cmp.base_period_range = pr;
        }
        // The base is a figure the release states for its period: a claim
        // of its own (`down 10% from $5,564 million in the first quarter
        // of 2025`). Without a stated base period it cannot be told which
        // period the figure is for, and no claim is made of it.
        let (Some(period), period_range) = (cmp.base_period.clone(), cmp.base_period_range) else {
            return;
        };
        let per_share = c.amount.as_ref().map_or_else(
            || c.metric.contains("share") || c.metric.contains("eps"),
            |a| a.per_share,
        );
        if amount.percent || amount.per_share != per_share || c.period.as_ref() == Some(&period) {
            return;
        }
        let sign = if amount.value.is_sign_negative() && !amount.value.is_zero() {
            ClaimSign::Negative
        } else {
            c.sign
        };
        let base = Claim {
            metric: c.metric.clone(),
            metric_range: c.metric_range,
            amount: Some(amount),
            sign,
            period: Some(period),
            period_range,
            comparison: None,
            sentence_range: self.sentence,
            compared: true,
        };
        self.claims.push(base);
    }

    /// A claim and its per-share companion state one period: give each the
    /// other's when one has none.
    fn share_periods(&mut self) {
        for k in 1..self.claims.len() {
            let (a, b) = self.claims.split_at_mut(k);
            let (prev, cur) = (&mut a[k - 1], &mut b[0]);
            let companion = cur.amount.as_ref().is_some_and(|x| x.per_share)
                && prev.amount.as_ref().is_some_and(|x| !x.per_share)
                && cur.metric_range == prev.metric_range;
            if companion && prev.period.is_none() && cur.period.is_some() {
                prev.period = cur.period.clone();
                prev.period_range = cur.period_range;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn q(n: u8, year: i32) -> Option<PeriodPhrase> {
        Some(PeriodPhrase::Quarter {
            n,
            year: Some(year),
            fiscal: false,
        })
    }

    /// A parsed paragraph read with the mentions the parser found gives
    /// the claims, sentences and periods of reading its text afresh: every
    /// paragraph of the bundled corpus, text and HTML.
    #[test]
    fn parsed_paragraphs_read_as_their_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut claims = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if !path.extension().is_some_and(|x| x == "txt" || x == "htm") {
                continue;
            }
            let doc = crate::parse::parse(&std::fs::read(&path).unwrap());
            for p in doc.exhibits.iter().flat_map(|e| e.paragraphs()) {
                let (a, b) = (read_parsed_paragraph(p), read_paragraph(&p.text));
                assert_eq!(a.claims, b.claims, "{}: {}", path.display(), p.text);
                assert_eq!(a.sentences, b.sentences);
                assert_eq!(a.periods, b.periods);
                claims += a.claims.len();
            }
        }
        assert!(claims > 100, "{claims}");
    }

    /// (metric, period, amount value, sign) of each claim.
    fn brief(text: &str) -> Vec<(String, Option<PeriodPhrase>, Option<Decimal>, ClaimSign)> {
        extract_claims(text)
            .into_iter()
            .map(|c| (c.metric, c.period, c.amount.map(|a| a.value), c.sign))
            .collect()
    }

    #[test]
    fn three_claims_in_one_sentence() {
        let t = "Revenue for the second quarter of 2011 was $18.4 million compared with $17.9 million \
                 for the first quarter of 2011 and $12.2 million for the second quarter of 2010.";
        let got = brief(t);
        use ClaimSign::Unstated;
        assert_eq!(
            got,
            vec![
                ("revenue".into(), q(2, 2011), Some(d("18400000")), Unstated),
                ("revenue".into(), q(1, 2011), Some(d("17900000")), Unstated),
                ("revenue".into(), q(2, 2010), Some(d("12200000")), Unstated),
            ]
        );
    }

    #[test]
    fn net_loss_and_per_share_companion() {
        let t = "Net loss for the second quarter of 2011, calculated in accordance with GAAP, was \
                 $2.4 million or $0.05 per share compared with a net loss of $9.8 million or $0.21 \
                 per share for the first quarter of 2011.";
        let got = brief(t);
        use ClaimSign::Negative;
        assert_eq!(
            got,
            vec![
                ("net loss".into(), q(2, 2011), Some(d("2400000")), Negative),
                (
                    "net loss per share".into(),
                    q(2, 2011),
                    Some(d("0.05")),
                    Negative
                ),
                ("net loss".into(), q(1, 2011), Some(d("9800000")), Negative),
                (
                    "net loss per share".into(),
                    q(1, 2011),
                    Some(d("0.21")),
                    Negative
                ),
            ]
        );
    }

    #[test]
    fn increase_from_a_stated_base() {
        let t = "Harbor Lights said that net sales for the quarter ended March 31, 2009, were $14.1 \
                 million, an increase of 6% from net sales of $13.3 million for the quarter ended \
                 December 31, 2008.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 2, "{claims:#?}");
        let c = &claims[0];
        assert_eq!(c.metric, "net sales");
        let qe = |y, m, dd| {
            PeriodPhrase::QuarterEnded(chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap())
        };
        assert_eq!(c.period, Some(qe(2009, 3, 31)));
        let cmp = c.comparison.as_ref().unwrap();
        assert_eq!(cmp.kind, ChangeKind::Increase);
        assert_eq!(cmp.qualifier, Qualifier::Exact);
        assert_eq!(cmp.percent.as_ref().unwrap().value, d("6"));
        assert_eq!(cmp.base.as_ref().unwrap().value, d("13300000"));
        assert_eq!(cmp.base_period, Some(qe(2008, 12, 31)));
        assert_eq!(claims[1].metric, "net sales");
        assert_eq!(claims[1].period, Some(qe(2008, 12, 31)));
    }

    #[test]
    fn the_base_of_a_change_is_a_claim_for_its_period() {
        let t = "Revenue for the first quarter of 2026 was $5,009 million, down 10% from $5,564 \
                 million in the first quarter of 2025. Net loss was $2.0 million, up from $1.7 \
                 million.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 3, "{claims:#?}");
        assert_eq!(claims[0].period, q(1, 2026));
        let base = &claims[1];
        assert_eq!(base.metric, "revenue");
        assert_eq!(base.amount.as_ref().unwrap().value, d("5564000000"));
        assert_eq!(base.period, q(1, 2025));
        assert!(base.comparison.is_none());
        // A base with no period of its own is no claim: its period is not known.
        assert_eq!(claims[2].metric, "net loss");
        assert_eq!(
            claims[2]
                .comparison
                .as_ref()
                .unwrap()
                .base
                .as_ref()
                .unwrap()
                .value,
            d("1700000")
        );
    }

    #[test]
    fn the_period_is_no_metric() {
        let claims = extract_claims("Net loss for the period was $589 million.");
        assert_eq!(claims.len(), 1, "{claims:#?}");
        assert_eq!(
            (claims[0].metric.as_str(), &claims[0].period),
            ("net loss", &None)
        );
        // `the period ended ...` is still a period phrase's business.
        let claims = extract_claims("Revenue for the period from inception was $2.0 million.");
        assert_ne!(claims.first().map(|c| c.metric.as_str()), Some("revenue"));
    }

    #[test]
    fn relative_subject_and_more_than() {
        let t = "\"We grew our Nimbus product line, which increased by more than 14% over Q2 2011,\" said the CEO.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 1, "{claims:#?}");
        assert_eq!(claims[0].metric, "nimbus product line");
        let cmp = claims[0].comparison.as_ref().unwrap();
        assert_eq!(cmp.qualifier, Qualifier::MoreThan);
        assert_eq!(cmp.percent.as_ref().unwrap().value, d("14"));
        assert_eq!(cmp.base_period, q(2, 2011));
    }

    #[test]
    fn change_noun_with_metric_after() {
        let t = "This represents more than a 15% increase in widget shipments over last quarter.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 1, "{claims:#?}");
        assert_eq!(claims[0].metric, "widget shipments");
        let cmp = claims[0].comparison.as_ref().unwrap();
        assert_eq!(cmp.kind, ChangeKind::Increase);
        assert_eq!(cmp.qualifier, Qualifier::MoreThan);
        assert_eq!(cmp.base_period, Some(PeriodPhrase::PriorQuarter));
    }

    #[test]
    fn up_down_and_doubled() {
        let t = "Subscription revenue was $4.2 million, up 12% from the year-ago quarter. \
                 Hardware sales fell 22.1% in the third quarter of 2012. \
                 Service revenue nearly doubled over the same quarter last year.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 3, "{claims:#?}");
        let c0 = claims[0].comparison.as_ref().unwrap();
        assert_eq!(
            (c0.kind, c0.percent.as_ref().unwrap().value),
            (ChangeKind::Increase, d("12"))
        );
        assert_eq!(c0.base_period, Some(PeriodPhrase::YearAgoQuarter));
        assert_eq!(claims[1].metric, "hardware sales");
        assert_eq!(claims[1].period, q(3, 2012));
        let c1 = claims[1].comparison.as_ref().unwrap();
        assert_eq!(
            (c1.kind, c1.percent.as_ref().unwrap().value),
            (ChangeKind::Decrease, d("22.1"))
        );
        assert_eq!(claims[2].metric, "service revenue");
        let c2 = claims[2].comparison.as_ref().unwrap();
        assert_eq!(
            (c2.qualifier, c2.percent.as_ref().unwrap().value),
            (Qualifier::Nearly, d("100"))
        );
        assert_eq!(c2.base_period, Some(PeriodPhrase::YearAgoQuarter));
    }

    #[test]
    fn acronym_metric_and_sign_nouns() {
        let t = "Adjusted earnings before interest, taxes, depreciation and amortization (EBITDA) was \
                 $0.6 million for the second quarter of 2011, compared to adjusted EBITDA earnings of \
                 $0.4 million for the first quarter of 2011 and adjusted EBITDA loss of $2.2 million \
                 for the second quarter of 2010.";
        let got = brief(t);
        use ClaimSign::*;
        assert_eq!(
            got,
            vec![
                (
                    "adjusted ebitda".into(),
                    q(2, 2011),
                    Some(d("600000")),
                    Unstated
                ),
                (
                    "adjusted ebitda".into(),
                    q(1, 2011),
                    Some(d("400000")),
                    Positive
                ),
                (
                    "adjusted ebitda".into(),
                    q(2, 2010),
                    Some(d("2200000")),
                    Negative
                ),
            ]
        );
    }

    #[test]
    fn bullet_list_with_versus() {
        let t = "Fourth Quarter Highlights --  Revenues of $9.1 million for the quarter ended \
                 December 31, 2008 versus $8.7 million for the quarter ended September 30, 2008. \
                 --  Net income per diluted share was $0.04";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 3, "{claims:#?}");
        assert_eq!(claims[0].metric, "revenues");
        assert_eq!(claims[1].metric, "revenues");
        assert_eq!(claims[1].amount.as_ref().unwrap().value, d("8700000"));
        assert_eq!(claims[2].metric, "net income per diluted share");
        assert!(claims[2].amount.as_ref().unwrap().per_share);
        assert_eq!(claims[2].sign, ClaimSign::Positive);
    }

    #[test]
    fn a_period_before_a_compared_metric_is_its_own() {
        let t = "First-quarter 2022 profit per share was $2.86, compared with first-quarter 2021 \
                 profit per share of $2.77.";
        let got = brief(t);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            matches!(
                got[1].1,
                Some(PeriodPhrase::Quarter {
                    n: 1,
                    year: Some(2021),
                    ..
                })
            ),
            "{got:#?}"
        );
        assert_eq!(got[1].2, Some(d("2.77")));
    }

    #[test]
    fn leading_period_and_applicable_to_common() {
        let t = "For the quarter ended June 30, 2009, net loss applicable to holders of common stock \
                 on a GAAP basis, was $3.1 million or $(0.22) per share.";
        let got = brief(t);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].0, "net loss applicable to holders of common stock");
        assert!(matches!(got[0].1, Some(PeriodPhrase::QuarterEnded(_))));
        assert_eq!(
            got[1].0,
            "net loss applicable to holders of common stock per share"
        );
        assert_eq!(got[1].2, Some(d("-0.22")));
        assert_eq!(got[1].3, ClaimSign::Negative);
    }

    #[test]
    fn percent_change_to_a_level() {
        let t = "Revenues for the third quarter increased 4.2 percent to $2.3 billion.";
        let claims = extract_claims(t);
        assert_eq!(claims.len(), 1, "{claims:#?}");
        assert_eq!(claims[0].metric, "revenues");
        assert_eq!(claims[0].amount.as_ref().unwrap().value, d("2300000000"));
        assert_eq!(
            claims[0]
                .comparison
                .as_ref()
                .unwrap()
                .percent
                .as_ref()
                .unwrap()
                .value,
            d("4.2")
        );
    }

    #[test]
    fn no_claims_from_call_details() {
        let t = "The call is at 4:30 p.m. Eastern Time; dial 800.555.0199 and enter passcode 55512345. \
                 No single customer represented over 10% of revenue.";
        assert!(extract_claims(t).is_empty(), "{:#?}", extract_claims(t));
    }

    #[test]
    fn sentence_splitting_keeps_abbreviations() {
        let t = "Acme Inc. (Nasdaq:ACME) reported on Sept. 30, 2004. Loss per U.S. GAAP share fell. -- Next";
        let s: Vec<&str> = sentences(t).into_iter().map(|(a, b)| &t[a..b]).collect();
        assert_eq!(
            s,
            vec![
                "Acme Inc. (Nasdaq:ACME) reported on Sept. 30, 2004.",
                "Loss per U.S. GAAP share fell.",
                "Next"
            ]
        );
    }

    /// Sentences cut byte by byte: every `--` bullet and every sentence end
    /// found walking the text, then the pieces between the cuts, trimmed.
    fn sentences_by_bytes(text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let space_or_end = |k: usize| b.get(k).is_none_or(|&c| c == b' ');
        // (where a piece ends, where the next starts)
        let mut cuts = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'-'
                && b.get(i + 1) == Some(&b'-')
                && (i == 0 || b[i - 1] == b' ')
                && space_or_end(i + 2)
            {
                cuts.push((i, i + 2));
                i += 2;
                continue;
            }
            if (b[i] == b';' || is_sentence_end(text, i)) && space_or_end(i + 1) {
                cuts.push((i + 1, i + 1));
            }
            i += 1;
        }
        cuts.push((b.len(), b.len()));
        let mut from = 0;
        cuts.into_iter()
            .filter_map(|(end, next)| {
                let piece = &text[from..end];
                let s = from + (piece.len() - piece.trim_start().len());
                let e = end - (piece.len() - piece.trim_end().len());
                from = next;
                (e > s).then_some((s, e))
            })
            .collect()
    }

    proptest::proptest! {
        /// Sentences found by searching for the bytes that can end them are
        /// those of a walk over every byte: abbreviations, initials,
        /// figures, bullets, clauses, and marks with no space after them.
        #[test]
        fn sentences_searched_for_are_those_walked_to(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Revenue", "rose", "5%.", "Inc.", "U.S.", "J.", "was", "$1.5", "million;",
                    "--", "-", "non-GAAP", "up!", "why?", "Sept.", "e.g.", "2025.", "a-b", ".",
                    "?!", ";", "x.y", "(Nasdaq:", "\"Q.\"", "é.",
                ]),
                0..20,
            ),
            glue in proptest::collection::vec(proptest::sample::select(vec![" ", "  ", "", "\n"]), 20),
        ) {
            let text: String = words.iter().zip(&glue).flat_map(|(w, g)| [*w, *g]).collect();
            proptest::prop_assert_eq!(sentences(&text), sentences_by_bytes(&text), "{:?}", text);
        }
    }

    proptest::proptest! {
        /// The cursor walk finds, at each byte of a growing position, the
        /// hit a scan of every range in its original order finds: the first
        /// that starts there and ends by the sentence's end, repeats and
        /// nested hits included.
        #[test]
        fn hits_found_by_cursor_are_those_scanned_for(
            ranges in proptest::collection::vec((0usize..40, 0usize..8), 0..30),
            from in 0usize..40,
            e in 0usize..50,
        ) {
            let ranges: Vec<(usize, usize)> = ranges.into_iter().map(|(s, l)| (s, s + l)).collect();
            let mut order: Vec<(usize, usize)> =
                ranges.iter().enumerate().map(|(k, r)| (r.0, k)).collect();
            order.sort_unstable();
            let mut cursor = HitStarts::cursor(&order, from);
            for i in from..e {
                let scanned = ranges.iter().position(|&(s, end)| s == i && end <= e);
                let found = HitStarts::at(&order, &mut cursor, |k| ranges[k].1, i, e);
                proptest::prop_assert_eq!(found, scanned, "{:?} at {}", ranges, i);
            }
        }
    }

    /// The basis test as first written: the first 48 characters copied
    /// into a string, then lowercased.
    fn non_gaap_basis_after_by_string(text: &str, at: usize) -> bool {
        let rest = text.get(at..).unwrap_or("");
        let rest = rest.trim_start().trim_start_matches(',').trim_start();
        let head: String = rest
            .chars()
            .take(48)
            .collect::<String>()
            .to_ascii_lowercase();
        names_other_basis(&head)
    }

    proptest::proptest! {
        /// Reading the basis from a buffer on the stack answers as the
        /// string did, for phrases built from the words it looks for and
        /// for multi-byte characters across the 48-character window.
        #[test]
        fn basis_after_reads_as_the_string_did(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "on", "a", "an", "On", "AN", "Non-GAAP", "non gaap", "adjusted",
                    "pro", "forma", "Pro-Forma", "constant", "currency", "basis", "Basis",
                    ",", " ", "é", "€uro", "ﬁscal", "x", "İ",
                ]),
                0..24,
            ),
            lead in "[ ,$0-9.]{0,6}",
        ) {
            let text = format!("{lead}{}", words.join(" "));
            for at in 0..=text.len() {
                if text.is_char_boundary(at) {
                    proptest::prop_assert_eq!(
                        non_gaap_basis_after(&text, at),
                        non_gaap_basis_after_by_string(&text, at),
                        "{:?} at {}", text, at
                    );
                }
            }
        }
    }

    /// The hashed stop words are the list's: every word of it, and no
    /// other (a metric's own words, any case but the list's).
    #[test]
    fn stop_words_are_the_lists() {
        for w in NP_STOP {
            assert!(np_stop(w), "{w}");
        }
        for w in ["revenue", "net", "income", "The", "", "thee", "margin"] {
            assert!(!np_stop(w), "{w}");
        }
    }

    #[test]
    fn basis_after_names_the_non_gaap_and_adjusted_bases() {
        assert!(non_gaap_basis_after(" on a Non-GAAP basis.", 0));
        assert!(non_gaap_basis_after(", on an adjusted basis", 0));
        assert!(!non_gaap_basis_after(" on a reported basis", 0));
        // "basis" past the 48th character is not read.
        let far = format!(" on an adjusted {}basis", "x".repeat(40));
        assert!(!non_gaap_basis_after(&far, 0));
    }
}
