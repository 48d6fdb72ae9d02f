//! The spanned abstract syntax tree of a release.
//!
//! The parser (`crate::parse`) produces these types; every later layer reads
//! them. Each node carries the [`Span`] of the bytes it came from, so a finding
//! can always point at the exact characters in the original file.
//!
//! **Architecture Invariant:** the AST holds no interpretation beyond what
//! is printed: a cell is a signed decimal with its printed precision, a column
//! is a period; which concept a row is belongs to `crate::facts`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::span::Span;

/// A whole input file: one or more exhibits plus what the parser could not
/// understand.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    pub span: Span,
    /// `PlainText` or `Html` for a bare exhibit, `Submission` for a full
    /// EDGAR submission file wrapping several `<DOCUMENT>`s.
    pub kind: DocumentKind,
    pub exhibits: Vec<Exhibit>,
    /// Regions the parser could not understand; parsing never fails as a whole.
    pub issues: Vec<ParseIssue>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    PlainText,
    /// A bare HTML exhibit.
    Html,
    Submission,
}

/// One press-release exhibit (the whole file for a plain-text exhibit, one
/// `<DOCUMENT>` of type EX-99* for a submission file).
#[derive(Clone, Debug, Serialize)]
pub struct Exhibit {
    pub span: Span,
    /// The `<TYPE>` of the `<DOCUMENT>` (`EX-99.1`), when wrapped.
    pub doc_type: Option<String>,
    /// Read by the HTML front end (else by the plain-text one).
    pub html: bool,
    pub blocks: Vec<Block>,
}

impl Exhibit {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }

    /// The paragraphs before the first table: the release's lead.
    pub fn lead_paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().map_while(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// Narrative text: consecutive non-blank lines that are not part of a table.
#[derive(Clone, Debug, Serialize)]
pub struct Paragraph {
    pub span: Span,
    /// The paragraph's lines joined by single spaces, leading and trailing
    /// whitespace of each line removed. Use [`Paragraph::source_span`] to map
    /// a byte range of `text` back to the file.
    pub text: String,
    /// `(position in text, offset in file)` at the start of each joined line;
    /// within a line, text and file bytes correspond one to one.
    #[serde(skip)]
    pub line_starts: Vec<(usize, usize)>,
    /// Where each run of `line_starts` ends in the file, when runs are not
    /// plain lines: an HTML character reference is a run of its own, one
    /// decoded character for several bytes (`&#37;`). Empty for text.
    #[serde(skip)]
    pub run_ends: Vec<usize>,
    pub mentions: Vec<Mention>,
}

impl Paragraph {
    /// The file span of `text[start..end]`.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let to_file = |pos: usize| -> usize {
            let i = match self.line_starts.binary_search_by(|&(t, _)| t.cmp(&pos)) {
                Ok(i) => i,
                Err(0) => 0,
                Err(i) => i - 1,
            };
            match self.line_starts.get(i) {
                Some(&(t, f)) => f + (pos - t.min(pos)),
                None => self.span.offset,
            }
        };
        let s = to_file(start);
        if end <= start {
            return Span::range(s, s);
        }
        // A range that ends with its run ends where the run ends in the
        // file (the whole `&#37;`), else after its last character's byte.
        let run = self
            .line_starts
            .partition_point(|&(t, _)| t < end)
            .saturating_sub(1);
        let run_end_text = self
            .line_starts
            .get(run + 1)
            .map_or(self.text.len(), |&(t, _)| t);
        let e = match self.run_ends.get(run) {
            Some(&e) if end >= run_end_text => e,
            _ => to_file(end - 1) + 1,
        };
        Span::range(s, e.max(s))
    }
}

/// A number found in narrative text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mention {
    pub span: Span,
    /// Byte range of the mention in [`Paragraph::text`].
    pub text_range: (usize, usize),
    pub kind: MentionKind,
    /// The value in the units the text states, scale applied
    /// (`$52.7 million` is 52,700,000; `$(0.12)` is -0.12; `8%` is 8).
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Digits printed after the decimal point (`52.7` has 1).
    pub decimals: u32,
    /// Multiplier applied to the printed number (1, 1e3, 1e6, 1e9).
    pub scale: Scale,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MentionKind {
    /// A money amount; `per_share` for `$0.03 per share` and bare `$(0.12)`.
    Money {
        per_share: bool,
    },
    Percent,
    /// A plain count (`296,000 DSL ports`).
    Count,
    Date {
        date: NaiveDate,
    },
}

impl MentionKind {
    /// A money amount or a percentage: the figures a narrative claim is
    /// read from.
    pub fn is_figure(&self) -> bool {
        matches!(self, MentionKind::Money { .. } | MentionKind::Percent)
    }
}

/// Multiplier stated by a table's scale line or a narrative scale word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    #[default]
    Units,
    Thousands,
    Millions,
    Billions,
}

impl Scale {
    pub fn factor(self) -> Decimal {
        match self {
            Scale::Units => Decimal::ONE,
            Scale::Thousands => Decimal::from(1_000),
            Scale::Millions => Decimal::from(1_000_000),
            Scale::Billions => Decimal::from(1_000_000_000),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::Units => "units",
            Scale::Thousands => "thousands",
            Scale::Millions => "millions",
            Scale::Billions => "billions",
        }
    }
}

/// A financial table.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub span: Span,
    /// Title lines above the header (company, statement name), in order.
    pub title: Vec<TextLine>,
    /// The scale line (`(In thousands, except per share data)`), if any.
    pub scale: Option<ScaleLine>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Footnotes printed below or inside the table (`(a) ...`, `<FN>`).
    pub footnotes: Vec<TextLine>,
}

impl Table {
    /// The figure of row `r`, column `c` when a sum can use it: not a
    /// percentage, not in basis points, not beyond the figures tieout
    /// reads.
    pub fn summable(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows[r]
            .cells
            .get(c)
            .and_then(Option::as_ref)
            .filter(|x| !x.basis_points && !x.out_of_range && !x.percent)
    }

    /// The title lines joined by ` / `.
    pub fn title_text(&self) -> String {
        self.title
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    pub fn scale(&self) -> Scale {
        self.scale.as_ref().map_or(Scale::Units, |s| s.scale)
    }
}

/// One line of text with its span (title, footnote).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextLine {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScaleLine {
    pub span: Span,
    pub scale: Scale,
    /// `except per share data`: per-share rows are in units whatever the scale.
    pub except_per_share: bool,
    /// Share counts are stated in a scale of their own (`shares in millions`).
    pub shares_scale: Option<Scale>,
}

/// A column of a table and the period it reports.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// Union of the header text spans stacked over this column (empty span
    /// when the column has no header).
    pub span: Span,
    /// Header pieces from top to bottom, spanning headers included.
    pub header: Vec<TextLine>,
    pub kind: ColumnKind,
    /// The period, for `ColumnKind::Period` columns whose header could be dated.
    pub period: Option<Period>,
    /// `(unaudited)`, `(As Restated)`, ...
    pub annotations: Vec<String>,
    /// Header words beyond the period (`Domestic`, `Sears Canada`): the
    /// segment or breakdown this column reports. `None` for the entity as a
    /// whole.
    pub member: Option<String>,
    /// Horizontal extent in display columns (tabs expanded), for alignment.
    #[serde(skip)]
    pub extent: (usize, usize),
}

impl Column {
    /// A column spanning display columns `extent`, with no header yet: a
    /// period column until its header says otherwise.
    pub fn at(extent: (usize, usize)) -> Column {
        Column {
            span: Span::default(),
            header: Vec::new(),
            kind: ColumnKind::Period,
            period: None,
            annotations: Vec::new(),
            member: None,
            extent,
        }
    }

    pub fn header_text(&self) -> String {
        self.header
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Values for a reporting period.
    Period,
    /// A change between two other columns (`Change`, `Increase (Decrease)`).
    Change,
    /// A percentage column (`% Change`, `% of revenue`).
    Percent,
    /// Anything else (segment names in a segment table, ...).
    Other,
}

/// The period a column reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Period {
    /// A balance-sheet date.
    Instant { date: NaiveDate },
    /// A flow period from `start` to `end`, both inclusive.
    Duration {
        start: NaiveDate,
        end: NaiveDate,
        length: PeriodLength,
    },
}

impl Period {
    pub fn end(&self) -> NaiveDate {
        match *self {
            Period::Instant { date } => date,
            Period::Duration { end, .. } => end,
        }
    }

    pub fn is_instant(&self) -> bool {
        matches!(self, Period::Instant { .. })
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Instant { date } => write!(f, "as of {date}"),
            Period::Duration { end, length, .. } => write!(f, "{length} ended {end}"),
        }
    }
}

/// How a duration was stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "unit", content = "count", rename_all = "snake_case")]
pub enum PeriodLength {
    Months(u32),
    Weeks(u32),
}

impl std::fmt::Display for PeriodLength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeriodLength::Months(n) => write!(f, "{n} months"),
            PeriodLength::Weeks(n) => write!(f, "{n} weeks"),
        }
    }
}

/// A row of a table: a section heading or a line of values.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// From the first label line to the end of the last cell.
    pub span: Span,
    /// The label, wrapped lines joined by single spaces, footnote markers
    /// removed. Shared (not copied) by the row's facts.
    pub label: std::sync::Arc<str>,
    /// Span of the label's last line's text (the line the values sit on), or
    /// of the whole label when it has one line.
    pub label_span: Span,
    /// Footnote markers split off the label: `(a)`, `(1)`, `*`.
    pub markers: Vec<String>,
    /// Indentation of the label's first line, in display columns.
    pub indent: usize,
    pub kind: RowKind,
    pub rule_above: RuleKind,
    pub rule_below: RuleKind,
    /// One slot per table column.
    pub cells: Vec<Option<Cell>>,
}

impl Row {
    pub fn has_values(&self) -> bool {
        self.cells.iter().any(Option::is_some)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A heading without values (`Operating expenses:`).
    Heading,
    /// A row with at least one value.
    Values,
}

/// The kind of rule line printed above or below a row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    #[default]
    None,
    Single,
    Double,
}

/// One printed value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    pub span: Span,
    /// Signed value as printed (no scale applied); nil marks are zero.
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Digits after the decimal point as printed.
    pub decimals: u32,
    /// A currency mark (`$`) was printed with the value.
    pub currency: bool,
    /// A `%` was printed with the value.
    pub percent: bool,
    /// The cell was a nil mark (`-`, `--`, `—`).
    pub nil: bool,
    /// The value is in basis points (`32 bps`, `(427) bp`): a change of a
    /// ratio, which no rule compares yet; it makes no fact.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub basis_points: bool,
    /// The figure's value is unknown: it has more digits than tieout reads
    /// (15 before the point, 17 after), or a form the cell grammar does not
    /// read (`((139))`). Its value is zero here, it makes no fact and takes
    /// part in no total; a parse issue says so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub out_of_range: bool,
}

/// A region the parser could not understand.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParseIssue {
    pub span: Span,
    pub kind: ParseIssueKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseIssueKind {
    /// A value does not line up with any column of its table.
    UnalignedCell,
    /// A period column whose header could not be dated.
    UndatedColumn,
    /// The file is not a release the parser can read (binary, empty ...).
    Unreadable,
    /// A format tieout does not read.
    Unsupported,
    /// A submission file with no EX-99 document.
    NoExhibit,
    /// A figure with more digits than tieout reads (see `Cell::out_of_range`).
    FigureOutOfRange,
    /// A region beyond the sizes tieout reads (a row of more figures or
    /// bytes than a table row holds, a table of more rows or columns than
    /// the HTML grid takes): its figures were not read.
    TooLarge,
}
