//! The assertion language: its grammar, parser, AST and evaluator.
//!
//! A rule of kind `assert` states one relation between printed figures, e.g.
//! `gross_profit == revenue - cost_of_revenue - cost_of_revenue_stock_comp?`.
//!
//! ```text
//! assertion = expr cmp expr
//! cmp       = "==" | "<=" | ">=" | "<" | ">"
//! expr      = term (("+" | "-") term)*
//! term      = unary (("*" | "/") unary)*
//! unary     = "-" unary | atom
//! atom      = number | call | ref | "(" expr ")"
//! call      = "abs" "(" expr ")"
//! ref       = concept optional? selector?
//! concept   = [a-z][a-z0-9_]*
//! optional  = "?"
//! selector  = "@" ("start" | "end")
//! number    = [0-9]+ ("." [0-9]+)?
//! ```
//!
//! Whitespace is allowed between tokens. Parsing never panics; a malformed
//! assertion yields an [`ExprError`] carrying the byte offset of the problem
//! in the expression string, so the loader can point into the YAML.
//!
//! Evaluation ([`evaluate`]) reads operands through the [`Env`] trait and
//! computes both sides twice: on the printed values and on the intervals the
//! printed values stand for (see [`super::interval`]).

use std::fmt;
use std::str::FromStr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1, multispace0, satisfy};
use nom::combinator::{cut, eof, opt, peek, recognize, value};
use nom::error::{ErrorKind, ParseError};
use nom::sequence::{pair, preceded};
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::interval::Interval;
use crate::rules::ConceptId;
use crate::span::Span;

// ---------------------------------------------------------------------------
// AST

/// `lhs cmp rhs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    pub lhs: Expr,
    pub cmp: Cmp,
    pub rhs: Expr,
    /// Every concept reference of both sides, in reading order: gathered
    /// once when the assertion is parsed, read for every binding. Nothing
    /// changes the sides after parsing; a caller that did would have to
    /// parse the assertion again.
    refs: Vec<ConceptRef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Le,
    Ge,
    Lt,
    Gt,
}

impl Cmp {
    /// The comparison with its sides swapped (`a <= b` is `b >= a`).
    pub fn flipped(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Eq,
            Cmp::Le => Cmp::Ge,
            Cmp::Ge => Cmp::Le,
            Cmp::Lt => Cmp::Gt,
            Cmp::Gt => Cmp::Lt,
        }
    }

    /// What a failure shows between the sides: `≠` for `==`, `<` for `>=`.
    pub fn failed_symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "≠",
            Cmp::Ge => "<",
            Cmp::Le => ">",
            Cmp::Gt => "≤",
            Cmp::Lt => "≥",
        }
    }

    /// What a check that holds shows between the sides: `=`, or `≈` for
    /// an equality that holds within its tolerance.
    pub fn held_symbol(self, exact: bool) -> &'static str {
        match self {
            Cmp::Eq if exact => "=",
            Cmp::Eq => "≈",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Gt => ">",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div => 2,
        }
    }
}

/// Functions callable in an assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Abs,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// An exact constant.
    Number(Decimal),
    Ref(ConceptRef),
    Neg(Box<Expr>),
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Call {
        func: Func,
        arg: Box<Expr>,
    },
}

/// `accumulated_deficit@end`, `redeemable_preferred?`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConceptRef {
    /// The concepts a lookup tries, interned once when the expression is
    /// read: the name, then its [`stand_ins`] in order. A fact index keyed
    /// by interned names finds them by pointer, hashing no characters.
    candidates: Box<[ConceptId]>,
    /// `?`: an absent fact counts as an exact zero instead of skipping the rule.
    pub optional: bool,
    pub selector: Option<Selector>,
    /// Byte range of the concept name in the expression string.
    pub span: Span,
}

impl ConceptRef {
    /// The concept named, interned.
    pub fn id(&self) -> ConceptId {
        // Never empty: the name comes first.
        self.candidates[0]
    }

    /// The concept's name as written (`accumulated_deficit`).
    pub fn name(&self) -> &'static str {
        self.id().as_str()
    }

    /// The concepts a lookup tries, interned: the name, then its
    /// [`stand_ins`] in order.
    pub fn candidates(&self) -> &[ConceptId] {
        &self.candidates
    }
}

/// The concepts a reference falls back to, in order, when the release
/// prints no row of its own concept.
pub fn stand_ins(concept: &str) -> &'static [&'static str] {
    match concept {
        // Without a preferred-stock line, net income is what common holders
        // get.
        "net_income_to_common" => &["net_income"],
        // Without a diluted numerator row, diluted EPS divides what basic
        // EPS divides.
        "net_income_for_diluted_eps" => &["net_income_to_common", "net_income"],
        _ => &[],
    }
}

/// For roll-scope rules: the value at the start or the end of the duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    Start,
    End,
}

impl Selector {
    pub fn as_str(self) -> &'static str {
        match self {
            Selector::Start => "start",
            Selector::End => "end",
        }
    }
}

impl Assertion {
    /// Every concept reference, lhs first, in reading order.
    pub fn concepts(&self) -> std::slice::Iter<'_, ConceptRef> {
        self.refs.iter()
    }

    /// `lhs cmp rhs`, its references gathered.
    fn new(lhs: Expr, cmp: Cmp, rhs: Expr) -> Assertion {
        let mut refs = Vec::new();
        lhs.collect_refs(&mut refs);
        rhs.collect_refs(&mut refs);
        let refs = refs.into_iter().cloned().collect();
        Assertion {
            lhs,
            cmp,
            rhs,
            refs,
        }
    }
}

impl Expr {
    /// Every concept reference in reading order.
    pub fn concepts(&self) -> impl Iterator<Item = &ConceptRef> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out.into_iter()
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a ConceptRef>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(r) => out.push(r),
            Expr::Neg(e) | Expr::Call { arg: e, .. } => e.collect_refs(out),
            Expr::Binary { lhs, rhs, .. } => {
                lhs.collect_refs(out);
                rhs.collect_refs(out);
            }
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary { op, .. } => op.precedence(),
            _ => 3,
        }
    }

    fn shift_spans(&mut self, total: usize) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(r) => r.span.offset = total - r.span.offset,
            Expr::Neg(e) | Expr::Call { arg: e, .. } => e.shift_spans(total),
            Expr::Binary { lhs, rhs, .. } => {
                lhs.shift_spans(total);
                rhs.shift_spans(total);
            }
        }
    }
}

impl fmt::Display for ConceptRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        if self.optional {
            f.write_str("?")?;
        }
        if let Some(s) = self.selector {
            write!(f, "@{}", s.as_str())?;
        }
        Ok(())
    }
}

/// Prints the expression with the fewest parentheses that keep its meaning.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Ref(r) => write!(f, "{r}"),
            Expr::Neg(e) if e.precedence() < 3 => write!(f, "-({e})"),
            Expr::Neg(e) => write!(f, "-{e}"),
            Expr::Call {
                func: Func::Abs,
                arg,
            } => write!(f, "abs({arg})"),
            Expr::Binary { op, lhs, rhs } => {
                if lhs.precedence() < op.precedence() {
                    write!(f, "({lhs})")?;
                } else {
                    write!(f, "{lhs}")?;
                }
                write!(f, " {} ", op.as_str())?;
                // The right operand of a left-associative operator needs
                // parentheses at equal precedence: a - (b - c).
                if rhs.precedence() <= op.precedence() {
                    write!(f, "({rhs})")
                } else {
                    write!(f, "{rhs}")
                }
            }
        }
    }
}

impl fmt::Display for Assertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.lhs, self.cmp.as_str(), self.rhs)
    }
}

// ---------------------------------------------------------------------------
// Errors

/// A malformed assertion: where, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ExprError {
    /// Byte offset in the expression string.
    pub offset: usize,
    /// Length of the offending text (at least 1 unless at end of input).
    pub len: usize,
    pub kind: ExprErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExprErrorKind {
    #[error("expected a number, a concept name, `abs(...)` or `(` here")]
    ExpectedOperand,
    #[error("expected a comparison (`==`, `<=`, `>=`, `<` or `>`) here")]
    ExpectedComparison,
    #[error("expected `)` to close a parenthesis")]
    UnclosedParen,
    #[error("expected `start` or `end` after `@`")]
    BadSelector,
    #[error("this number does not fit a 96-bit decimal")]
    BadNumber,
    #[error("unknown function `{0}`; the only function is `abs`")]
    UnknownFunction(String),
    #[error("unexpected text after the assertion; an assertion has exactly one comparison")]
    TrailingInput,
    #[error(
        "the expression nests deeper than {MAX_DEPTH} levels (parentheses, `abs(`, unary minus signs)"
    )]
    TooDeep,
    #[error("the expression has more than {MAX_OPERATORS} operators")]
    TooLong,
}

/// The deepest nesting of parentheses, `abs(` calls and unary minus signs an
/// expression may have, and the most operators: far beyond any real rule,
/// and small enough that parsing, evaluating and printing (all recursive)
/// stay within any thread's stack.
pub const MAX_DEPTH: usize = 64;
pub const MAX_OPERATORS: usize = 1_000;

/// Refuses, before parsing, an expression that would nest or chain beyond
/// [`MAX_DEPTH`] or [`MAX_OPERATORS`]: the byte offset where the limit is
/// crossed, and which limit.
fn check_limits(src: &str) -> Result<(), ExprError> {
    let mut depth = 0usize;
    let mut operators = 0usize;
    // Minus signs in a row (blanks between them allowed): each after the
    // first is one more level of unary nesting.
    let mut minus_run = 0usize;
    for (at, c) in src.char_indices() {
        let crossed = match c {
            '(' => {
                depth += 1;
                minus_run = 0;
                (depth + minus_run > MAX_DEPTH).then_some(ExprErrorKind::TooDeep)
            }
            ')' => {
                depth = depth.saturating_sub(1);
                minus_run = 0;
                None
            }
            '-' => {
                minus_run += 1;
                operators += 1;
                if depth + minus_run > MAX_DEPTH {
                    Some(ExprErrorKind::TooDeep)
                } else {
                    (operators > MAX_OPERATORS).then_some(ExprErrorKind::TooLong)
                }
            }
            '+' | '*' | '/' => {
                minus_run = 0;
                operators += 1;
                (operators > MAX_OPERATORS).then_some(ExprErrorKind::TooLong)
            }
            c if c.is_whitespace() => None,
            _ => {
                minus_run = 0;
                None
            }
        };
        if let Some(kind) = crossed {
            return Err(ExprError {
                offset: at,
                len: c.len_utf8(),
                kind,
            });
        }
    }
    Ok(())
}

/// The nom error type: the furthest position reached and, once known, what
/// was expected there.
#[derive(Debug)]
struct PErr<'a> {
    input: &'a str,
    kind: Option<ExprErrorKind>,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PErr { input, kind: None }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Between the branches of an `alt`, keep the error that got furthest.
    fn or(self, other: Self) -> Self {
        match self.input.len().cmp(&other.input.len()) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal if other.kind.is_none() => self,
            std::cmp::Ordering::Equal => other,
        }
    }
}

type PResult<'a, O> = IResult<&'a str, O, PErr<'a>>;

fn fail<O>(input: &str, kind: ExprErrorKind) -> PResult<'_, O> {
    Err(nom::Err::Failure(PErr {
        input,
        kind: Some(kind),
    }))
}

/// Names what `p` expected when it fails without saying so itself.
fn expecting<'a, O>(
    kind: ExprErrorKind,
    mut p: impl Parser<&'a str, Output = O, Error = PErr<'a>>,
) -> impl FnMut(&'a str) -> PResult<'a, O> {
    move |i| {
        p.parse(i).map_err(|e| {
            e.map(|mut err| {
                if err.kind.is_none() {
                    err.kind = Some(kind.clone());
                }
                err
            })
        })
    }
}

/// `p` after optional whitespace.
fn token<'a, O>(
    p: impl Parser<&'a str, Output = O, Error = PErr<'a>>,
) -> impl Parser<&'a str, Output = O, Error = PErr<'a>> {
    preceded(multispace0, p)
}

// ---------------------------------------------------------------------------
// Parser

/// Parses one assertion; the whole string must be consumed.
pub fn parse_assertion(src: &str) -> Result<Assertion, ExprError> {
    check_limits(src)?;
    match assertion(src) {
        Ok((_, (mut lhs, cmp, mut rhs))) => {
            lhs.shift_spans(src.len());
            rhs.shift_spans(src.len());
            Ok(Assertion::new(lhs, cmp, rhs))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_expr_error(src, e)),
        // Complete parsers never ask for more input.
        Err(nom::Err::Incomplete(_)) => Err(ExprError {
            offset: src.len(),
            len: 0,
            kind: ExprErrorKind::ExpectedOperand,
        }),
    }
}

/// Parses one expression (no comparison); the whole string must be consumed.
pub fn parse_expr(src: &str) -> Result<Expr, ExprError> {
    check_limits(src)?;
    let wrapped = |i| -> PResult<'_, Expr> {
        let (i, e) = expr(i)?;
        let (i, _) = expecting(ExprErrorKind::TrailingInput, token(eof))(i)?;
        Ok((i, e))
    };
    match wrapped(src) {
        Ok((_, mut e)) => {
            e.shift_spans(src.len());
            Ok(e)
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_expr_error(src, e)),
        Err(nom::Err::Incomplete(_)) => Err(ExprError {
            offset: src.len(),
            len: 0,
            kind: ExprErrorKind::ExpectedOperand,
        }),
    }
}

fn to_expr_error(src: &str, e: PErr<'_>) -> ExprError {
    // Point at the whole offending word, or at one character.
    let rest = e.input;
    let word = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let len = if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    ExprError {
        offset: src.len() - rest.len(),
        len,
        kind: e.kind.unwrap_or(ExprErrorKind::ExpectedOperand),
    }
}

/// `assertion = expr cmp expr`
///
/// Spans in the returned sides hold the *remaining length* at the concept;
/// [`parse_assertion`] turns them into offsets once the total is known,
/// then makes the [`Assertion`].
fn assertion(i: &str) -> PResult<'_, (Expr, Cmp, Expr)> {
    let (i, lhs) = expr(i)?;
    // After a complete left-hand side only a comparison may follow.
    let (i, cmp) = cut(expecting(ExprErrorKind::ExpectedComparison, token(cmp))).parse(i)?;
    let (i, rhs) = cut(expr).parse(i)?;
    let (i, _) = cut(expecting(ExprErrorKind::TrailingInput, token(eof))).parse(i)?;
    Ok((i, (lhs, cmp, rhs)))
}

/// `cmp = "==" | "<=" | ">=" | "<" | ">"`
fn cmp(i: &str) -> PResult<'_, Cmp> {
    alt((
        value(Cmp::Eq, tag("==")),
        value(Cmp::Le, tag("<=")),
        value(Cmp::Ge, tag(">=")),
        value(Cmp::Lt, tag("<")),
        value(Cmp::Gt, tag(">")),
    ))
    .parse(i)
}

/// `expr = term (("+" | "-") term)*`
fn expr(i: &str) -> PResult<'_, Expr> {
    let (mut i, mut acc) = term(i)?;
    loop {
        let op = token(alt((
            value(BinOp::Add, char('+')),
            value(BinOp::Sub, char('-')),
        )))
        .parse(i);
        let Ok((rest, op)) = op else {
            return Ok((i, acc));
        };
        // An operator must be followed by an operand.
        let (rest, rhs) = cut(term).parse(rest)?;
        acc = Expr::Binary {
            op,
            lhs: Box::new(acc),
            rhs: Box::new(rhs),
        };
        i = rest;
    }
}

/// `term = unary (("*" | "/") unary)*`
fn term(i: &str) -> PResult<'_, Expr> {
    let (mut i, mut acc) = unary(i)?;
    loop {
        let op = token(alt((
            value(BinOp::Mul, char('*')),
            value(BinOp::Div, char('/')),
        )))
        .parse(i);
        let Ok((rest, op)) = op else {
            return Ok((i, acc));
        };
        let (rest, rhs) = cut(unary).parse(rest)?;
        acc = Expr::Binary {
            op,
            lhs: Box::new(acc),
            rhs: Box::new(rhs),
        };
        i = rest;
    }
}

/// `unary = "-" unary | atom`
fn unary(i: &str) -> PResult<'_, Expr> {
    if let Ok((rest, _)) = token(char::<&str, PErr<'_>>('-')).parse(i) {
        let (rest, e) = cut(unary).parse(rest)?;
        return Ok((rest, Expr::Neg(Box::new(e))));
    }
    atom(i)
}

/// `atom = number | call | ref | "(" expr ")"`
fn atom(i: &str) -> PResult<'_, Expr> {
    expecting(
        ExprErrorKind::ExpectedOperand,
        token(alt((number, parenthesized, call_or_ref))),
    )(i)
}

/// `number = [0-9]+ ("." [0-9]+)?`
fn number(i: &str) -> PResult<'_, Expr> {
    let (rest, text) = recognize(pair(digit1, opt(pair(char('.'), digit1)))).parse(i)?;
    match Decimal::from_str(text) {
        Ok(d) => Ok((rest, Expr::Number(d))),
        Err(_) => fail(i, ExprErrorKind::BadNumber),
    }
}

/// `"(" expr ")"`
fn parenthesized(i: &str) -> PResult<'_, Expr> {
    let (i, _) = char('(').parse(i)?;
    // Once `(` is seen this can only be a parenthesized expression.
    let (i, e) = cut(expr).parse(i)?;
    let (i, _) = cut(expecting(ExprErrorKind::UnclosedParen, token(char(')')))).parse(i)?;
    Ok((i, e))
}

/// `concept = [a-z][a-z0-9_]*`
fn identifier(i: &str) -> PResult<'_, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_lowercase()),
        take_while(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
    ))
    .parse(i)
}

/// `call = "abs" "(" expr ")"` and `ref = concept optional? selector?`
///
/// Both start with an identifier; a following `(` makes it a call.
fn call_or_ref(i: &str) -> PResult<'_, Expr> {
    let start = i;
    let (i, name) = identifier(i)?;
    if peek(token(char::<&str, PErr<'_>>('('))).parse(i).is_ok() {
        if name != "abs" {
            return fail(start, ExprErrorKind::UnknownFunction(name.to_string()));
        }
        let (i, arg) = cut(token(parenthesized)).parse(i)?;
        return Ok((
            i,
            Expr::Call {
                func: Func::Abs,
                arg: Box::new(arg),
            },
        ));
    }
    // optional = "?"
    let (i, q) = opt(token(char('?'))).parse(i)?;
    // selector = "@" ("start" | "end")
    let (i, selector) = opt(preceded(
        token(char('@')),
        cut(expecting(ExprErrorKind::BadSelector, token(selector_word))),
    ))
    .parse(i)?;
    Ok((
        i,
        Expr::Ref(ConceptRef {
            candidates: std::iter::once(name)
                .chain(stand_ins(name).iter().copied())
                .map(ConceptId::from)
                .collect(),
            optional: q.is_some(),
            selector,
            // Remaining length for now; see `assertion`.
            span: Span::new(start.len(), name.len()),
        }),
    ))
}

fn selector_word(i: &str) -> PResult<'_, Selector> {
    let (rest, word) = identifier(i)?;
    match word {
        "start" => Ok((rest, Selector::Start)),
        "end" => Ok((rest, Selector::End)),
        _ => Err(nom::Err::Error(PErr {
            input: i,
            kind: None,
        })),
    }
}

// ---------------------------------------------------------------------------
// Evaluation

/// One figure bound to a concept reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand<'f> {
    /// What the printed figure stands for, in units.
    pub interval: Interval,
    /// The value in units, scale applied.
    pub printed: Decimal,
    /// Where the figure is printed.
    pub span: Span,
    /// The row label the figure is printed on (`Total assets`).
    pub label: &'f str,
    /// The figure as printed (`386830` for `386,830` in thousands).
    pub shown: Decimal,
}

impl Operand<'_> {
    /// Moves the figure by `delta` units, interval and all; `false` (and
    /// unmoved) when that leaves Decimal's range.
    fn nudge(&mut self, delta: Decimal) -> bool {
        match (
            self.printed.checked_add(delta),
            self.interval.lo.checked_add(delta),
            self.interval.hi.checked_add(delta),
        ) {
            (Some(printed), Some(lo), Some(hi)) => {
                self.printed = printed;
                self.interval = Interval { lo, hi };
                true
            }
            _ => false,
        }
    }

    /// A label for diagnostics, e.g. `Total assets: 386,830`.
    pub fn text(&self) -> String {
        format!(
            "{}: {}",
            self.label,
            crate::facts::format_amount(self.shown)
        )
    }
}

/// Where evaluation finds facts. The rule engine implements it for one
/// binding (one period, one table...).
pub trait Env<'f> {
    /// The fact for `r`, or `None` when the document does not state it.
    fn lookup(&self, r: &ConceptRef) -> Option<Operand<'f>>;

    /// Whether `concept`'s term may be taken with either sign, because
    /// presentations differ (a tax expense printed as `(32)` or as `32`).
    fn sign_either(&self, concept: &ConceptRef) -> bool {
        let _ = concept;
        false
    }

    /// Whether an optional reference that [`Env::lookup`] did not find is
    /// still printed where the binding looks (its row is in the table, but
    /// this column's cell is blank or could not be read): then its value is
    /// unknown, not absent, and the assertion cannot be evaluated.
    fn printed_without_value(&self, r: &ConceptRef) -> bool {
        let _ = r;
        false
    }
}

/// How far apart two sides may be and still agree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Tolerance {
    /// The two sides agree when their rounding intervals intersect.
    #[default]
    Rounding,
    /// `|lhs - rhs| <= t` on printed values, in units.
    Absolute(Decimal),
    /// `|lhs - rhs| <= t × max(|lhs|, |rhs|)` on printed values.
    Relative(Decimal),
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::Rounding => f.write_str("rounding"),
            Tolerance::Absolute(t) => write!(f, "absolute {t}"),
            Tolerance::Relative(t) => write!(f, "relative {t}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome<'f> {
    /// The rule does not apply: these required concepts are absent. An
    /// empty list means the arithmetic is undefined for these figures
    /// (a division by a figure that may be zero, or an overflow).
    Skipped {
        missing: Vec<String>,
    },
    Holds,
    Fails(Failure<'f>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Failure<'f> {
    /// The left-hand side computed on printed values.
    pub lhs: Decimal,
    /// The right-hand side computed on printed values.
    pub rhs: Decimal,
    /// `lhs - rhs`.
    pub difference: Decimal,
    /// The tolerance actually allowed (for rounding: half the sum of the
    /// two sides' interval widths).
    pub allowed: Decimal,
    /// Every operand used, lhs first, keyed by the reference as written
    /// (`accumulated_deficit@end`).
    pub operands: Vec<(String, Operand<'f>)>,
}

/// The most sign-either terms tried in every combination (2^8 evaluations).
const MAX_SIGN_CHOICES: usize = 8;

#[derive(Clone, Copy)]
struct Value {
    interval: Interval,
    printed: Decimal,
}

struct Bound<'f> {
    /// The operand for each reference in reading order (`None`: optional and absent).
    operands: Vec<Option<Operand<'f>>>,
    /// Concepts whose sign may flip, in first-seen order.
    flippable: Vec<ConceptId>,
}

/// Looks up every reference of `a`: the operands in reading order and the
/// concepts whose sign may flip, or the required concepts that are absent.
/// Unless `name_missing`, the first absent concept stops the lookups and
/// none is named.
fn bind<'a, 'f>(
    a: &'a Assertion,
    env: &dyn Env<'f>,
    name_missing: bool,
) -> Result<(&'a [ConceptRef], Bound<'f>), Vec<String>> {
    let refs = a.concepts().as_slice();
    // Sized at the first operand kept: an assertion whose first concept is
    // absent allocates nothing.
    let mut operands = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for r in refs {
        let found = env.lookup(r);
        if found.is_none() && (!r.optional || env.printed_without_value(r)) {
            if !name_missing {
                return Err(missing);
            }
            let name = r.to_string();
            if !missing.contains(&name) {
                missing.push(name);
            }
        }
        if operands.capacity() == 0 {
            operands.reserve_exact(refs.len());
        }
        operands.push(found);
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut flippable: Vec<ConceptId> = Vec::new();
    for (r, op) in refs.iter().zip(&operands) {
        if op.is_some() && !flippable.contains(&r.id()) && env.sign_either(r) {
            flippable.push(r.id());
        }
    }
    flippable.truncate(MAX_SIGN_CHOICES);
    Ok((
        refs,
        Bound {
            operands,
            flippable,
        },
    ))
}

/// An assertion that holds, as a reviewer's view shows it: both sides on
/// the printed figures, under the signs with which it holds, and every
/// operand keyed by the reference as written (as in [`Failure`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Held<'f> {
    pub lhs: Decimal,
    pub rhs: Decimal,
    /// Whether the figures as printed hold (no sign was tried the other way).
    pub as_printed: bool,
    pub operands: Vec<(String, Operand<'f>)>,
}

/// What [`evaluate`] found, with the figures, when `a` holds; `None`
/// otherwise. Only the reviewer's view calls it, so a check that only needs
/// the outcome allocates nothing for it.
pub fn held<'f>(a: &Assertion, env: &dyn Env<'f>, tol: &Tolerance) -> Option<Held<'f>> {
    let (refs, bound) = bind(a, env, false).ok()?;
    for choice in 0..(1u32 << bound.flippable.len()) {
        if let Some((l, r)) = sides(a, &bound, choice)
            && compare_holds(a.cmp, l, r, tol)
        {
            let operands = refs
                .iter()
                .zip(&bound.operands)
                .filter_map(|(r, op)| op.clone().map(|op| (r.to_string(), op)))
                .collect();
            return Some(Held {
                lhs: l.printed,
                rhs: r.printed,
                as_printed: choice == 0,
                operands,
            });
        }
    }
    None
}

/// Evaluates `a` against `env`.
pub fn evaluate<'f>(a: &Assertion, env: &dyn Env<'f>, tol: &Tolerance) -> Outcome<'f> {
    match bind(a, env, true) {
        Ok((refs, bound)) => evaluate_bound(a, refs, &bound, tol),
        Err(missing) => Outcome::Skipped { missing },
    }
}

/// An assertion that held, with its figures looked up: which of them it
/// checks ([`checked_operands`]) is worked out when asked, if ever.
pub struct HeldAssertion<'a, 'f> {
    assertion: &'a Assertion,
    bound: Bound<'f>,
    tolerance: &'a Tolerance,
}

impl HeldAssertion<'_, '_> {
    /// The [`checked_operands`] other than those `known` says are already
    /// accounted for: those are neither moved nor returned. A caller that
    /// only gathers the union of checked figures passes the figures it
    /// already holds, and the union comes out the same.
    pub fn checked_except(mut self, known: impl Fn(Span) -> bool) -> Vec<Span> {
        checked_bound(self.assertion, &mut self.bound, self.tolerance, &known)
    }
}

/// [`evaluate`], and when the assertion holds, the assertion with its
/// figures bound, to ask for its checked operands later. A skipped
/// assertion's missing concepts are not named: the first absent one stops
/// the lookups.
pub fn evaluate_held<'a, 'f>(
    a: &'a Assertion,
    env: &dyn Env<'f>,
    tol: &'a Tolerance,
) -> (Outcome<'f>, Option<HeldAssertion<'a, 'f>>) {
    let (refs, bound) = match bind(a, env, false) {
        Ok(b) => b,
        Err(missing) => return (Outcome::Skipped { missing }, None),
    };
    match evaluate_bound(a, refs, &bound, tol) {
        Outcome::Holds => (
            Outcome::Holds,
            Some(HeldAssertion {
                assertion: a,
                bound,
                tolerance: tol,
            }),
        ),
        other => (other, None),
    }
}

fn evaluate_bound<'f>(
    a: &Assertion,
    refs: &[ConceptRef],
    bound: &Bound<'f>,
    tol: &Tolerance,
) -> Outcome<'f> {
    // Choice 0 is the figures as printed; it is the one a failure reports.
    let Some((lhs, rhs)) = sides(a, bound, 0) else {
        return Outcome::Skipped {
            missing: Vec::new(),
        };
    };
    if compare_holds(a.cmp, lhs, rhs, tol) {
        return Outcome::Holds;
    }
    for choice in 1..(1u32 << bound.flippable.len()) {
        if let Some((l, r)) = sides(a, bound, choice)
            && compare_holds(a.cmp, l, r, tol)
        {
            return Outcome::Holds;
        }
    }
    let allowed = compare(a.cmp, lhs, rhs, tol).1;
    let operands = refs
        .iter()
        .zip(&bound.operands)
        .filter_map(|(r, op)| op.clone().map(|op| (r.to_string(), op)))
        .collect();
    Outcome::Fails(Failure {
        lhs: lhs.printed,
        rhs: rhs.printed,
        difference: lhs.printed.saturating_sub(rhs.printed),
        allowed,
        operands,
    })
}

/// The spans of the operands of `operands`, each once, with the unit of
/// its last printed digit.
fn operand_spans(operands: &[Option<Operand>]) -> Vec<(Span, Decimal)> {
    let mut spans: Vec<(Span, Decimal)> = operands
        .iter()
        .flatten()
        .map(|o| (o.span, o.interval.hi - o.interval.lo))
        .collect();
    spans.sort();
    spans.dedup_by_key(|(s, _)| *s);
    spans
}

/// The operands of an assertion that holds whose last printed digit it
/// checks: changed by one unit of that digit either way, the assertion no
/// longer holds. A weighted share count whose last digit moves earnings per
/// share by less than the half cent EPS is printed to is read by the
/// assertion but not checked by it: a reviewer must not take it as ticked.
pub fn checked_operands(a: &Assertion, env: &dyn Env, tol: &Tolerance) -> Vec<Span> {
    match bind(a, env, false) {
        Ok((_, mut bound)) => checked_bound(a, &mut bound, tol, &|_| false),
        // Not evaluated at all: no nudge makes it hold.
        Err(_) => {
            let found: Vec<Option<Operand>> = a.concepts().map(|r| env.lookup(r)).collect();
            operand_spans(&found).into_iter().map(|(s, _)| s).collect()
        }
    }
}

/// [`checked_operands`] of bound operands, but for those `known` names.
/// Each other figure in turn is moved by a unit either way in place and put
/// back.
fn checked_bound(
    a: &Assertion,
    bound: &mut Bound<'_>,
    tol: &Tolerance,
    known: &dyn Fn(Span) -> bool,
) -> Vec<Span> {
    // Most assertions that hold check figures a footing tied already.
    if bound.operands.iter().flatten().all(|o| known(o.span)) {
        return Vec::new();
    }
    let saved: Vec<Option<(Decimal, Interval)>> = bound
        .operands
        .iter()
        .map(|o| o.as_ref().map(|o| (o.printed, o.interval)))
        .collect();
    operand_spans(&bound.operands)
        .into_iter()
        .filter(|&(span, unit)| {
            if known(span) {
                return false;
            }
            unit.is_zero()
                || [unit, -unit].into_iter().all(|delta| {
                    let mut moved = true;
                    for o in bound.operands.iter_mut().flatten() {
                        if o.span == span {
                            moved &= o.nudge(delta);
                        }
                    }
                    // A figure that cannot move (beyond Decimal) is not one
                    // the assertion can be said to check by holding.
                    let broken = !moved || !holds(a, bound, tol);
                    for (o, saved) in bound.operands.iter_mut().zip(&saved) {
                        if let (Some(o), Some((printed, interval))) = (o, saved)
                            && o.span == span
                        {
                            o.printed = *printed;
                            o.interval = *interval;
                        }
                    }
                    broken
                })
        })
        .map(|(span, _)| span)
        .collect()
}

/// Whether `a` holds on `bound` under some choice of signs.
fn holds(a: &Assertion, bound: &Bound<'_>, tol: &Tolerance) -> bool {
    (0..(1u32 << bound.flippable.len()))
        .any(|choice| sides(a, bound, choice).is_some_and(|(l, r)| compare_holds(a.cmp, l, r, tol)))
}

/// Both sides under one sign choice (bit k set: flip `flippable[k]`).
fn sides(a: &Assertion, bound: &Bound<'_>, choice: u32) -> Option<(Value, Value)> {
    let mut next = 0;
    let lhs = eval(&a.lhs, bound, choice, &mut next)?;
    let rhs = eval(&a.rhs, bound, choice, &mut next)?;
    Some((lhs, rhs))
}

fn eval(e: &Expr, bound: &Bound<'_>, choice: u32, next: &mut usize) -> Option<Value> {
    match e {
        Expr::Number(n) => Some(Value {
            interval: Interval::exact(*n),
            printed: *n,
        }),
        Expr::Ref(r) => {
            let slot = bound.operands.get(*next)?;
            *next += 1;
            let Some(op) = slot else {
                return Some(Value {
                    interval: Interval::exact(Decimal::ZERO),
                    printed: Decimal::ZERO,
                });
            };
            let flip = bound
                .flippable
                .iter()
                .position(|&c| c == r.id())
                .is_some_and(|k| choice & (1 << k) != 0);
            Some(if flip {
                Value {
                    interval: op.interval.neg(),
                    printed: -op.printed,
                }
            } else {
                Value {
                    interval: op.interval,
                    printed: op.printed,
                }
            })
        }
        Expr::Neg(inner) => {
            let v = eval(inner, bound, choice, next)?;
            Some(Value {
                interval: v.interval.neg(),
                printed: -v.printed,
            })
        }
        Expr::Call {
            func: Func::Abs,
            arg,
        } => {
            let v = eval(arg, bound, choice, next)?;
            Some(Value {
                interval: v.interval.abs(),
                printed: v.printed.abs(),
            })
        }
        Expr::Binary { op, lhs, rhs } => {
            let l = eval(lhs, bound, choice, next)?;
            let r = eval(rhs, bound, choice, next)?;
            let (interval, printed) = match op {
                BinOp::Add => (
                    l.interval.add(r.interval)?,
                    l.printed.checked_add(r.printed)?,
                ),
                BinOp::Sub => (
                    l.interval.sub(r.interval)?,
                    l.printed.checked_sub(r.printed)?,
                ),
                BinOp::Mul => (
                    l.interval.mul(r.interval)?,
                    l.printed.checked_mul(r.printed)?,
                ),
                BinOp::Div => (
                    l.interval.div(r.interval)?,
                    l.printed.checked_div(r.printed)?,
                ),
            };
            Some(Value { interval, printed })
        }
    }
}

/// Whether `lhs cmp rhs` holds under `tol`, and the tolerance allowed.
fn compare(cmp: Cmp, lhs: Value, rhs: Value, tol: &Tolerance) -> (bool, Decimal) {
    match tol {
        Tolerance::Rounding => {
            let (l, r) = (lhs.interval, rhs.interval);
            let allowed = l.width().saturating_add(r.width()) / Decimal::TWO;
            (holds_within_rounding(cmp, l, r), allowed)
        }
        Tolerance::Absolute(t) => (
            compare_printed(cmp, lhs.printed, rhs.printed, t.abs()),
            t.abs(),
        ),
        Tolerance::Relative(t) => {
            let allowed = t
                .abs()
                .saturating_mul(lhs.printed.abs().max(rhs.printed.abs()));
            (
                compare_printed(cmp, lhs.printed, rhs.printed, allowed),
                allowed,
            )
        }
    }
}

/// [`compare`]'s answer alone: the rounding allowance, a division, is
/// worked out only for a failure's message.
fn compare_holds(cmp: Cmp, lhs: Value, rhs: Value, tol: &Tolerance) -> bool {
    match tol {
        Tolerance::Rounding => holds_within_rounding(cmp, lhs.interval, rhs.interval),
        _ => compare(cmp, lhs, rhs, tol).0,
    }
}

/// Permissive: holds when some pair of values in the intervals satisfies
/// the comparison.
fn holds_within_rounding(cmp: Cmp, l: Interval, r: Interval) -> bool {
    match cmp {
        Cmp::Eq => l.intersects(r),
        Cmp::Le => l.lo <= r.hi,
        Cmp::Lt => l.lo < r.hi,
        Cmp::Ge => l.hi >= r.lo,
        Cmp::Gt => l.hi > r.lo,
    }
}

fn compare_printed(cmp: Cmp, l: Decimal, r: Decimal, allowed: Decimal) -> bool {
    let diff = l.saturating_sub(r);
    match cmp {
        Cmp::Eq => diff.abs() <= allowed,
        Cmp::Le => diff <= allowed,
        Cmp::Lt => diff < allowed,
        Cmp::Ge => diff >= -allowed,
        Cmp::Gt => diff > -allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn p(s: &str) -> Assertion {
        parse_assertion(s).unwrap_or_else(|e| panic!("{s}: {e} at {}", e.offset))
    }

    fn err(s: &str) -> ExprError {
        parse_assertion(s).expect_err(s)
    }

    #[test]
    fn multiplication_binds_tighter_than_addition() {
        assert_eq!(p("a + b * c == d").to_string(), "a + b * c == d");
        assert_eq!(p("(a + b) * c == d").to_string(), "(a + b) * c == d");
        let a = p("a - b - c == d");
        // Left associative: (a - b) - c.
        let Expr::Binary { op, lhs, .. } = &a.lhs else {
            panic!("{a:?}")
        };
        assert_eq!(*op, BinOp::Sub);
        assert!(matches!(**lhs, Expr::Binary { op: BinOp::Sub, .. }));
        assert_eq!(p("a - (b - c) == d").to_string(), "a - (b - c) == d");
        assert_eq!(
            p("-a * 2 >= abs(b / c)").to_string(),
            "-a * 2 >= abs(b / c)"
        );
        assert_eq!(p("--a<b").to_string(), "--a < b");
    }

    #[test]
    fn every_comparison_parses() {
        for (src, cmp) in [
            ("a==b", Cmp::Eq),
            ("a<=b", Cmp::Le),
            ("a>=b", Cmp::Ge),
            ("a<b", Cmp::Lt),
            ("a>b", Cmp::Gt),
        ] {
            assert_eq!(p(src).cmp, cmp, "{src}");
        }
    }

    #[test]
    fn optional_and_selector_are_recorded_with_spans() {
        let src = "accumulated_deficit@end - accumulated_deficit @ start == net_income + x ?";
        let a = p(src);
        let refs: Vec<_> = a.concepts().collect();
        assert_eq!(refs.len(), 4);
        assert_eq!(refs[0].selector, Some(Selector::End));
        assert_eq!(refs[1].selector, Some(Selector::Start));
        assert!(!refs[2].optional);
        assert!(refs[3].optional);
        for r in &refs {
            let s = r.span;
            assert_eq!(&src[s.offset..s.end()], r.name());
        }
        assert_eq!(refs[3].to_string(), "x?");
        assert_eq!(refs[0].to_string(), "accumulated_deficit@end");
    }

    #[test]
    fn numbers_are_exact_decimals() {
        let a = p("a == 0.5 * b + 12");
        assert_eq!(a.to_string(), "a == 0.5 * b + 12");
    }

    #[test]
    fn errors_carry_offsets_and_sentences() {
        let cases = [
            ("revenue - == x", 10, ExprErrorKind::ExpectedOperand),
            ("revenue x", 8, ExprErrorKind::ExpectedComparison),
            ("revenue", 7, ExprErrorKind::ExpectedComparison),
            ("(a + b == c", 7, ExprErrorKind::UnclosedParen),
            ("a@middle == b", 2, ExprErrorKind::BadSelector),
            (
                "sqrt(a) == b",
                0,
                ExprErrorKind::UnknownFunction("sqrt".into()),
            ),
            ("a == b == c", 7, ExprErrorKind::TrailingInput),
            ("Revenue == b", 0, ExprErrorKind::ExpectedOperand),
            ("a == ", 5, ExprErrorKind::ExpectedOperand),
            (
                "a == 99999999999999999999999999999999",
                5,
                ExprErrorKind::BadNumber,
            ),
        ];
        for (src, offset, kind) in cases {
            let e = err(src);
            assert_eq!((e.offset, &e.kind), (offset, &kind), "{src}: {e}");
        }
        let e = err("a@middle == b");
        assert_eq!(&"a@middle == b"[e.offset..e.offset + e.len], "middle");
        assert_eq!(
            err("revenue x").to_string(),
            "expected a comparison (`==`, `<=`, `>=`, `<` or `>`) here"
        );
    }

    #[test]
    fn parse_expr_accepts_a_bare_expression() {
        assert_eq!(parse_expr(" a + b? ").unwrap().to_string(), "a + b?");
        assert_eq!(parse_expr("a +").unwrap_err().offset, 3);
    }

    /// Figures in thousands, as the facts layer would bind them.
    struct Facts {
        values: HashMap<&'static str, (Decimal, u32, Decimal)>,
        either: Vec<&'static str>,
    }

    impl Facts {
        fn new(pairs: &[(&'static str, &str)]) -> Facts {
            let values = pairs
                .iter()
                .map(|(k, v)| {
                    let decimals = v.split('.').nth(1).map_or(0, |f| f.len() as u32);
                    let scale = if decimals > 0 {
                        Decimal::ONE
                    } else {
                        Decimal::from(1000)
                    };
                    (*k, (d(v), decimals, scale))
                })
                .collect();
            Facts {
                values,
                either: Vec::new(),
            }
        }
    }

    impl Env<'static> for Facts {
        fn lookup(&self, r: &ConceptRef) -> Option<Operand<'static>> {
            let key = match r.selector {
                Some(s) => format!("{}@{}", r.name(), s.as_str()),
                None => r.name().to_string(),
            };
            let (&label, &(v, dec, scale)) = self.values.get_key_value(key.as_str())?;
            Some(Operand {
                interval: Interval::from_printed(v, dec, scale),
                printed: v * scale,
                span: Span::default(),
                label,
                shown: v,
            })
        }
        fn sign_either(&self, concept: &ConceptRef) -> bool {
            self.either.contains(&concept.name())
        }
    }

    fn run(src: &str, facts: &Facts) -> Outcome<'static> {
        evaluate(&p(src), facts, &Tolerance::Rounding)
    }

    /// `Facts` with each figure at its own span (its key's position in
    /// `order`).
    struct Placed<'a>(&'a Facts, &'a [&'a str]);

    impl Env<'static> for Placed<'_> {
        fn lookup(&self, r: &ConceptRef) -> Option<Operand<'static>> {
            let mut o = self.0.lookup(r)?;
            let at = self.1.iter().position(|k| *k == r.name())?;
            o.span = Span::new(at * 10, 5);
            Some(o)
        }
    }

    #[test]
    fn a_figure_is_checked_when_its_last_digit_would_break_the_assertion() {
        let order = ["eps_basic", "net_income_to_common", "weighted_shares_basic"];
        let f = Facts::new(&[
            ("eps_basic", "-0.12"),
            ("net_income_to_common", "-1894"),
            ("weighted_shares_basic", "15210"),
        ]);
        let a =
            parse_assertion("eps_basic == net_income_to_common / weighted_shares_basic").unwrap();
        let env = Placed(&f, &order);
        assert_eq!(evaluate(&a, &env, &Tolerance::Rounding), Outcome::Holds);
        // (0.13) or (0.11) would not hold; 1,893 or 15,211 still would.
        let checked = checked_operands(&a, &env, &Tolerance::Rounding);
        assert_eq!(checked, vec![Span::new(0, 5)]);
        // A difference of rounded figures allows a unit either way; held to
        // the printed figures exactly, it checks every term.
        let order = ["gross_profit", "revenue", "cost_of_revenue"];
        let f = Facts::new(&[
            ("revenue", "52686"),
            ("cost_of_revenue", "32825"),
            ("gross_profit", "19861"),
        ]);
        let a = parse_assertion("gross_profit == revenue - cost_of_revenue").unwrap();
        let env = Placed(&f, &order);
        assert!(checked_operands(&a, &env, &Tolerance::Rounding).is_empty());
        let exact = Tolerance::Absolute(Decimal::ZERO);
        assert_eq!(
            checked_operands(&a, &env, &exact),
            vec![Span::new(0, 5), Span::new(10, 5), Span::new(20, 5)]
        );
        // Held, the figures it checks are asked for later, leaving out
        // those already known: the rest come out as before.
        let held = |tol| match evaluate_held(&a, &env, tol) {
            (Outcome::Holds, Some(h)) => h,
            other => panic!("expected a held assertion, got {:?}", other.0),
        };
        assert_eq!(
            held(&exact).checked_except(|s| s == Span::new(10, 5)),
            vec![Span::new(0, 5), Span::new(20, 5)]
        );
        assert_eq!(
            held(&exact).checked_except(|_| false),
            checked_operands(&a, &env, &exact)
        );
        assert!(
            held(&Tolerance::Rounding)
                .checked_except(|_| false)
                .is_empty()
        );
        // An assertion that fails holds nothing to ask about.
        let broken = Facts::new(&[
            ("revenue", "52686"),
            ("cost_of_revenue", "32825"),
            ("gross_profit", "19000"),
        ]);
        let env = Placed(&broken, &order);
        assert!(evaluate_held(&a, &env, &exact).1.is_none());
    }

    #[test]
    fn seed_000_gross_profit_holds() {
        let f = Facts::new(&[
            ("revenue", "52686"),
            ("cost_of_revenue", "32504"),
            ("cost_of_revenue_stock_comp", "321"),
            ("gross_profit", "19861"),
        ]);
        let rule = "gross_profit == revenue - cost_of_revenue - cost_of_revenue_stock_comp?";
        assert_eq!(run(rule, &f), Outcome::Holds);
    }

    #[test]
    fn absent_optional_counts_as_zero_and_absent_required_skips() {
        let f = Facts::new(&[("revenue", "52686"), ("cost_of_revenue", "32504")]);
        assert_eq!(
            run("gross_profit == revenue - cost_of_revenue - other?", &f),
            Outcome::Skipped {
                missing: vec!["gross_profit".into()]
            }
        );
        let f = Facts::new(&[
            ("revenue", "52686"),
            ("cost_of_revenue", "32504"),
            ("gross_profit", "19861"),
        ]);
        let Outcome::Fails(fail) = run("gross_profit == revenue - cost_of_revenue - other?", &f)
        else {
            panic!()
        };
        assert_eq!(fail.lhs, d("19861000"));
        assert_eq!(fail.rhs, d("20182000"));
        assert_eq!(fail.difference, d("-321000"));
        // Three intervals of width 1,000: (1,000 + 2,000) / 2.
        assert_eq!(fail.allowed, d("1500"));
        let names: Vec<_> = fail.operands.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["gross_profit", "revenue", "cost_of_revenue"]);
    }

    #[test]
    fn seed_001_tax_benefit_holds_with_sign_either() {
        // Loss before taxes (4,958), income tax (benefit) provision (3,064), net loss (1,894).
        let mut f = Facts::new(&[
            ("pretax_income", "-4958"),
            ("income_tax", "-3064"),
            ("net_income", "-1894"),
        ]);
        let rule = "pretax_income - income_tax == net_income";
        assert_eq!(run(rule, &f), Outcome::Holds);
        // The same tax printed as a positive deduction line needs sign either.
        f.values
            .insert("income_tax", (d("3064"), 0, Decimal::from(1000)));
        assert!(matches!(run(rule, &f), Outcome::Fails(_)));
        f.either.push("income_tax");
        assert_eq!(run(rule, &f), Outcome::Holds);
        // A real mismatch reports the as-printed choice.
        f.values
            .insert("net_income", (d("-1900"), 0, Decimal::from(1000)));
        let Outcome::Fails(fail) = run(rule, &f) else {
            panic!()
        };
        assert_eq!(fail.rhs, d("-1900000"));
        assert_eq!(fail.lhs, d("-8022000"));
    }

    #[test]
    fn seed_001_eps_holds_within_rounding() {
        let f = Facts::new(&[
            ("eps_basic", "-0.12"),
            ("net_income_to_common", "-1894"),
            ("weighted_shares_basic", "15210"),
        ]);
        assert_eq!(
            run(
                "eps_basic == net_income_to_common / weighted_shares_basic",
                &f
            ),
            Outcome::Holds
        );
        let f = Facts::new(&[
            ("eps_basic", "-0.14"),
            ("net_income_to_common", "-1894"),
            ("weighted_shares_basic", "15210"),
        ]);
        assert!(matches!(
            run(
                "eps_basic == net_income_to_common / weighted_shares_basic",
                &f
            ),
            Outcome::Fails(_)
        ));
    }

    #[test]
    fn division_by_zero_is_skipped_without_missing_concepts() {
        let f = Facts::new(&[("a", "1"), ("b", "0"), ("c", "1")]);
        assert_eq!(
            run("c == a / b", &f),
            Outcome::Skipped {
                missing: Vec::new()
            }
        );
    }

    #[test]
    fn roll_selectors_look_up_both_ends() {
        // DOMAIN.md §3: -762,198 - (-758,294) = -3,904.
        let f = Facts::new(&[
            ("accumulated_deficit@end", "-762198"),
            ("accumulated_deficit@start", "-758294"),
            ("net_income", "-3904"),
        ]);
        assert_eq!(
            run(
                "accumulated_deficit@end - accumulated_deficit@start == net_income",
                &f
            ),
            Outcome::Holds
        );
    }

    #[test]
    fn inequalities_and_printed_tolerances() {
        let f = Facts::new(&[("ytd", "100"), ("quarter", "101")]);
        // Rounding is permissive at the bounds but not beyond them.
        assert_eq!(run("ytd >= quarter", &f), Outcome::Holds);
        let f = Facts::new(&[("ytd", "100"), ("quarter", "102")]);
        assert!(matches!(run("ytd >= quarter", &f), Outcome::Fails(_)));
        assert_eq!(run("ytd < quarter", &f), Outcome::Holds);

        let a = p("ytd == quarter");
        assert_eq!(
            evaluate(&a, &f, &Tolerance::Absolute(d("2000"))),
            Outcome::Holds
        );
        let Outcome::Fails(fail) = evaluate(&a, &f, &Tolerance::Absolute(d("1999"))) else {
            panic!()
        };
        assert_eq!(fail.allowed, d("1999"));
        assert_eq!(
            evaluate(&a, &f, &Tolerance::Relative(d("0.02"))),
            Outcome::Holds
        );
        assert!(matches!(
            evaluate(&a, &f, &Tolerance::Relative(d("0.01"))),
            Outcome::Fails(_)
        ));
    }
}
