//! The model of a fictional release: a company, its reporting period, its
//! statements (every total computed from the printed, rounded lines) and
//! its narrative (every claim computed from the printed table figures and
//! rounded to the precision it is stated at). Renderers (`text.rs`,
//! `html.rs`) lay the same model out as plain text or HTML.

use super::{Config, Rng, V, capitalize, made_up_word, round_div};

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const MONTH_END: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
pub const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];
const MONTH_WORDS: [&str; 5] = ["Three", "Six", "Nine", "Twelve", "Fifteen"];

/// A printed figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    Int(i64),
    /// A per-share amount in cents.
    Cents(i64),
    Nil,
    /// A percentage in units of its last printed digit: `Pct(91, 1)` is
    /// `9.1%`.
    Pct(i64, u8),
    /// `nm`: a percentage not meaningful (a prior figure of zero or less,
    /// or a change of sign).
    Nm,
}

/// A column computed across a row from the first two (period) columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XKind {
    /// Current less prior.
    Change,
    /// Current less prior, a cost's increase negative (`B/(W)`).
    BetterWorse,
    /// (current - prior) / prior at this many decimals, rounded half away
    /// from zero; `nm` when the prior is zero or less or the sign changes.
    Percent(u8),
}

/// A change or percent-change column after a statement's period columns.
#[derive(Clone, Debug)]
pub struct Extra {
    pub kind: XKind,
    /// The header, stacked: its lines bottom-aligned over the column.
    pub header: Vec<&'static str>,
}

#[derive(Clone, Debug)]
pub struct Line {
    /// Indentation depth: 0 flush, 1 an item under a heading, 2 a total.
    pub depth: usize,
    pub label: String,
    /// The label printed over two lines: the first part (no figures) and
    /// the continuation.
    pub wrap: Option<(String, String)>,
    /// A footnote marker printed after the label (`(1)`, `(a)`, `*`).
    pub marker: Option<&'static str>,
    pub vals: Vec<Val>,
    pub dollar: bool,
}

#[derive(Clone, Debug)]
pub enum MRow {
    Heading(usize, String),
    Line(Line),
    /// A rule under the row above: double for a grand total.
    Rule(bool),
    Blank,
}

/// A column header: a period (duration of `months` months, or an instant
/// when `months == 0`) ending on `year-month-day`.
#[derive(Clone, Debug)]
pub struct Col {
    pub months: usize,
    pub year: i32,
    pub month: usize,
    pub day: u32,
    /// A fiscal-quarter header (`Q1 2026`) is allowed for this column.
    pub fq: Option<(usize, i32)>,
}

impl Col {
    pub fn month_name(&self) -> &'static str {
        MONTHS[self.month]
    }
    pub fn abbrev(&self) -> String {
        let m = MONTHS[self.month];
        if m.len() <= 5 {
            m.to_string()
        } else if m == "September" {
            "Sept.".to_string()
        } else {
            format!("{}.", &m[..3])
        }
    }
    pub fn span_word(&self) -> String {
        if self.months == 0 {
            String::new()
        } else if self.months == 12 {
            "Year Ended".to_string()
        } else {
            format!("{} Months Ended", MONTH_WORDS[self.months / 3 - 1])
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Income,
    Segments,
    Ebitda,
    Balance,
    /// The income statement's lines down to net income for each quarter
    /// of the fiscal year so far and the year to date (variation
    /// `QuarterlyTrend`).
    Quarterly,
    /// Segments as columns beside a `Total` (or `Consolidated`) column for
    /// the current quarter (variation `SegmentColumns`).
    SegmentColumns,
}

/// Where an income statement line's figure comes from, so that a table of
/// other columns (the quarterly trend) prints the same lines.
#[derive(Clone, Copy)]
enum Src {
    Rev(Option<usize>),
    Cost(Option<usize>),
    Gp,
    Opex(Option<usize>),
    Oi,
    Other,
    Pretax,
    Tax,
    Ni,
}

impl Src {
    fn of(self, c: &IsCol) -> i64 {
        match self {
            Src::Rev(Some(i)) => c.revs[i],
            Src::Rev(None) => c.t.rev,
            Src::Cost(Some(i)) => c.costs[i],
            Src::Cost(None) => c.t.cost,
            Src::Gp => c.t.gp,
            Src::Opex(Some(i)) => c.opex[i],
            Src::Opex(None) => c.t.opex,
            Src::Oi => c.t.oi,
            Src::Other => c.t.other,
            Src::Pretax => c.t.pretax,
            Src::Tax => c.t.tax,
            Src::Ni => c.t.ni,
        }
    }
    /// A zero is printed as a dash on these lines.
    fn nil_when_zero(self) -> bool {
        matches!(self, Src::Opex(Some(_)) | Src::Other | Src::Tax)
    }
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub kind: Kind,
    pub title: String,
    pub cols: Vec<Col>,
    pub rows: Vec<MRow>,
    /// Carries per-share figures (scale line says "except per share").
    pub per_share: bool,
    /// Change and percent-change columns after the period columns (every
    /// line's `vals` holds the period figures, then these).
    pub extra: Vec<Extra>,
    /// An annotation line under a period column's header (`(As Restated)`).
    pub annot: Vec<Option<String>>,
    /// A segment-column table's column headers (`Americas`, ..., `Total`),
    /// under one period; empty for the other statements.
    pub members: Vec<String>,
}

/// A narrative piece: plain text, or a figure (just its digits, such as
/// `48.2`) that a table can verify (`true`) or not.
#[derive(Clone, Debug)]
pub enum Piece {
    Text(String),
    Fig(String, bool),
}

#[derive(Clone, Debug)]
pub struct Para {
    pub pieces: Vec<Piece>,
    /// A highlight bullet (`-- Net loss of $3.2 million`).
    pub bullet: bool,
}

impl Para {
    fn new() -> Para {
        Para {
            pieces: Vec::new(),
            bullet: false,
        }
    }
    fn t(&mut self, s: &str) -> &mut Self {
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_string()));
        }
        self
    }
    fn f(&mut self, s: &str) -> &mut Self {
        self.pieces.push(Piece::Fig(s.to_string(), true));
        self
    }
    pub fn plain(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(s) | Piece::Fig(s, _) => s.as_str(),
            })
            .collect()
    }
}

pub struct Model {
    pub full: String,
    pub legal: String,
    pub headline: String,
    pub paras: Vec<Para>,
    pub statements: Vec<Statement>,
    pub in_millions: bool,
    /// (statement index, label) of the total printed a unit off.
    pub off_by_one: Option<(usize, String)>,
    pub summary: Vec<String>,
    /// Variations actually applied.
    pub used: Vec<V>,
    /// The seed of the draws for change and percent-change columns (made
    /// after the model, see [`add_extras`]), when any of their variations
    /// is enabled.
    pub x_seed: Option<u64>,
    pub ticker: String,
}

/// Which release of a pair to build: the earlier one (a quarter and the
/// year-ago quarter) or the later one (the same quarter a year on, whose
/// year-ago column is the earlier release's current column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Earlier,
    Later,
}

#[derive(Clone, Copy, Default, Debug)]
struct Is {
    rev: i64,
    cost: i64,
    gp: i64,
    opex: i64,
    oi: i64,
    other: i64,
    pretax: i64,
    tax: i64,
    ni: i64,
    shares: i64,
    dil: i64,
}

#[derive(Clone)]
struct IsCol {
    revs: Vec<i64>,
    costs: Vec<i64>,
    opex: Vec<i64>,
    t: Is,
}

struct Shape {
    n_rev: usize,
    split_cost: bool,
    n_cost: usize,
    n_opex: usize,
    restructuring: Option<usize>,
    gm: i64,
    margin: i64,
    in_millions: bool,
}

fn is_col(r: &mut Rng, sh: &Shape, mag: i64, weights: &[i64], base_shares: Option<i64>) -> IsCol {
    let mut revs = Vec::new();
    for _ in 0..sh.n_rev {
        revs.push(mag * r.range(20, 100) / 100 / sh.n_rev as i64 + 1);
    }
    let rev: i64 = revs.iter().sum();
    let mut costs = Vec::new();
    if sh.split_cost {
        for v in &revs {
            costs.push(v * (100 - sh.gm + r.range(-5, 5)) / 100);
        }
    } else {
        let total = rev * (100 - sh.gm + r.range(-3, 3)) / 100;
        let mut left = total;
        for i in 0..sh.n_cost {
            let c = if i + 1 == sh.n_cost {
                left
            } else {
                total * r.range(20, 60) / 100
            };
            left -= c;
            costs.push(c);
        }
    }
    let cost: i64 = costs.iter().sum();
    let gp = rev - cost;
    let margin = sh.margin + r.range(-6, 6);
    let budget = (gp - rev * margin / 100).max(sh.n_opex as i64);
    let wsum: i64 = weights.iter().sum();
    let mut opex: Vec<i64> = weights.iter().map(|w| budget * w / wsum).collect();
    if let Some(i) = sh.restructuring
        && r.chance(0.3)
    {
        opex[i] = 0;
    }
    let opex_t: i64 = opex.iter().sum();
    let oi = gp - opex_t;
    let other = mag * r.range(-4, 3) / 100;
    let pretax = oi + other;
    let tax = if pretax > 0 {
        pretax * r.range(10, 30) / 100
    } else if r.chance(0.5) {
        0
    } else {
        r.range(0, (mag / 200).max(1))
    };
    let ni = pretax - tax;
    let eps_target = r.range(5, 300);
    let shares = match base_shares {
        Some(b) => b * r.range(92, 104) / 100,
        None => (ni.abs() * 100 / eps_target).max(if sh.in_millions { 20 } else { 2_000 }),
    };
    let dil = if ni > 0 {
        shares + shares * r.range(1, 5) / 100
    } else {
        shares
    };
    IsCol {
        revs,
        costs,
        opex,
        t: Is {
            rev,
            cost,
            gp,
            opex: opex_t,
            oi,
            other,
            pretax,
            tax,
            ni,
            shares,
            dil,
        },
    }
}

/// The sum of two columns, line by line (a year-to-date column from the
/// quarter and the earlier quarters).
fn add_cols(a: &IsCol, b: &IsCol) -> IsCol {
    let add = |x: &[i64], y: &[i64]| x.iter().zip(y).map(|(p, q)| p + q).collect::<Vec<_>>();
    let t = Is {
        rev: a.t.rev + b.t.rev,
        cost: a.t.cost + b.t.cost,
        gp: a.t.gp + b.t.gp,
        opex: a.t.opex + b.t.opex,
        oi: a.t.oi + b.t.oi,
        other: a.t.other + b.t.other,
        pretax: a.t.pretax + b.t.pretax,
        tax: a.t.tax + b.t.tax,
        ni: a.t.ni + b.t.ni,
        shares: (a.t.shares + b.t.shares) / 2,
        dil: if a.t.ni + b.t.ni > 0 {
            (a.t.dil.max(a.t.shares) + b.t.dil.max(b.t.shares)) / 2
        } else {
            (a.t.shares + b.t.shares) / 2
        },
    };
    IsCol {
        revs: add(&a.revs, &b.revs),
        costs: add(&a.costs, &b.costs),
        opex: add(&a.opex, &b.opex),
        t,
    }
}

pub fn eps(n: i64, s: i64) -> i64 {
    round_div(n * 100, s)
}

pub fn commas(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A stated amount in millions from a figure in thousands ("48.2"), or
/// from one in millions ("482").
fn millions(v: i64, in_millions: bool) -> String {
    if in_millions {
        commas(v.unsigned_abs())
    } else {
        let tenths = round_div(v.abs(), 100);
        format!("{}.{}", commas((tenths / 10) as u64), tenths % 10)
    }
}

fn cents(c: i64) -> String {
    format!("{}.{:02}", c.abs() / 100, c.abs() % 100)
}

fn sign_label(vals: &[i64], neg: &str, pos: &str, both: &str) -> String {
    if vals.iter().all(|&v| v < 0) {
        neg.to_string()
    } else if vals.iter().all(|&v| v >= 0) {
        pos.to_string()
    } else {
        both.to_string()
    }
}

const NOUNS: &[&str] = &[
    "Systems",
    "Networks",
    "Therapeutics",
    "Software",
    "Devices",
    "Materials",
    "Analytics",
    "Robotics",
    "Instruments",
    "Logistics",
    "Optics",
    "Semiconductor",
];
const CITIES: &[&str] = &[
    "ASHBURY, Ore.",
    "MERIDEN FALLS, Colo.",
    "NORTH PELHAM, Mass.",
    "LAKE ORVIN, Minn.",
    "SAN TELMO, Calif.",
    "BRANTWICK, Texas",
];

pub fn build(r: &mut Rng, cfg: &Config) -> Model {
    build_as(r, cfg, None)
}

/// Builds a release, or one release of a pair: with a `role`, both
/// releases draw the same company, shape and three yearly columns (next
/// year's quarter, this year's, last year's), and each shows its two.
pub fn build_as(r: &mut Rng, cfg: &Config, role: Option<Role>) -> Model {
    let pair = role.is_some();
    let later = role == Some(Role::Later);
    let x_seed = super::COLUMNS
        .iter()
        .any(|&v| cfg.enabled(v))
        .then(|| r.next_u64());
    let mut summary = Vec::new();
    let mut used: Vec<V> = Vec::new();
    let mut on = |r: &mut Rng, v: V, p: f64| -> bool {
        let yes = cfg.roll(r, v, p);
        if yes && !used.contains(&v) {
            used.push(v);
        }
        yes
    };

    // Company.
    let base = format!("{} {}", made_up_word(r), made_up_word(r));
    let noun = r.pick(NOUNS);
    let full = format!("{base} {noun}");
    let legal = format!("{full}, Inc.");

    // Period.
    let force_fws = cfg.forced == Some(V::FiscalWordsSequential);
    let force_fqs = cfg.forced == Some(V::FiscalQHeadersSequential);
    let fiscal_pool: &[usize] = if on(r, V::NarrFiscalQuarter, 0.3) || force_fws || force_fqs {
        &[5, 8, 0, 2]
    } else {
        &[11, 11, 11, 11, 5, 8]
    };
    let fiscal_end = r.pick(fiscal_pool);
    let calendar = fiscal_end == 11;
    // A pair's releases are a year apart, a quarter other than the
    // fourth (whose balance sheets would share a date).
    let q = if pair { r.usize(1, 3) } else { r.usize(1, 4) };
    let end_month = (fiscal_end + 3 * q) % 12;
    let cal_year = r.range(2020, 2027) as i32 + i32::from(later);
    // A year ending in January or February (a retail year starting in
    // February or March) is named after the year it starts in; any other
    // after the year it ends in.
    let fiscal_year = if fiscal_end <= 1 {
        if end_month > fiscal_end {
            cal_year
        } else {
            cal_year - 1
        }
    } else if end_month > fiscal_end {
        cal_year + 1
    } else {
        cal_year
    };
    let day = MONTH_END[end_month];
    let prior_fy_year = if fiscal_end < end_month {
        cal_year
    } else {
        cal_year - 1
    };
    summary.push(format!(
        "{} {day}, {cal_year} (Q{q} FY{fiscal_year})",
        MONTHS[end_month]
    ));
    let in_millions = r.chance(0.2);
    let mag: i64 = if in_millions {
        r.range(200, 9_000)
    } else {
        r.range(8_000, 900_000)
    };
    summary.push(if in_millions { "millions" } else { "thousands" }.to_string());

    // A quarterly trend table (variation `QuarterlyTrend`), drawn from
    // the change-column seed so that the default set's draws stay as they
    // were.
    let quarterly = !pair
        && q >= 2
        && x_seed.is_some_and(|s| cfg.roll(&mut Rng::new(s ^ 0x51AB_7EED), V::QuarterlyTrend, 0.6));

    // Columns of the income statement.
    let four = q >= 2
        && (on(r, V::FourColumns, 0.25) || cfg.forced == Some(V::WideCentredTitles))
        && !pair;
    let three = !four
        && !pair
        && (on(r, V::ThreeColumns, 0.15)
            || force_fqs
            || force_fws
            || cfg.forced == Some(V::AbbrevDecember));
    let qcol = |y: i32, m: usize, fy: i32, fq: usize| Col {
        months: 3,
        year: y,
        month: m,
        day: MONTH_END[m],
        fq: Some((fq, fy)),
    };
    let mut is_cols = vec![
        qcol(cal_year, end_month, fiscal_year, q),
        qcol(cal_year - 1, end_month, fiscal_year - 1, q),
    ];
    if three {
        let m = (end_month + 9) % 12;
        let y = if end_month < 3 {
            cal_year - 1
        } else {
            cal_year
        };
        let (pq, pfy) = if q == 1 {
            (4, fiscal_year - 1)
        } else {
            (q - 1, fiscal_year)
        };
        is_cols.push(qcol(y, m, pfy, pq));
        summary.push("sequential column".into());
    }
    if four {
        for y in [cal_year, cal_year - 1] {
            is_cols.push(Col {
                months: 3 * q,
                year: y,
                month: end_month,
                day,
                fq: None,
            });
        }
        summary.push("year-to-date columns".into());
    }
    let ncol = is_cols.len();

    // Income statement shape.
    let cost_labels = on(r, V::CostLabels, 0.3);
    let gp_all_costs = on(r, V::GrossProfitAllCosts, 0.25);
    let rev_pool = [
        "Product revenue",
        "Service revenue",
        "Subscription revenue",
        "License revenue",
        "Maintenance and support revenue",
        "Professional services revenue",
    ];
    let n_rev = r.pick(&[1usize, 2, 2, 3]);
    let rev_names = r.subset(&rev_pool, n_rev);
    let split_cost = n_rev == 2 && !gp_all_costs && r.chance(0.5);
    let n_cost = if gp_all_costs { r.usize(2, 3) } else { 1 };
    let sga = r.chance(0.3);
    let mut opex_pool: Vec<&str> = vec!["Research and development"];
    if sga {
        opex_pool.push("Selling, general and administrative");
    } else {
        opex_pool.push("Sales and marketing");
        opex_pool.push("General and administrative");
    }
    opex_pool.push("Amortization of intangible assets");
    opex_pool.push("Restructuring charges");
    let n_opex = r.usize(2, opex_pool.len());
    let opex_names = r.subset(&opex_pool, n_opex);
    let restructuring = opex_names
        .iter()
        .position(|n| n.starts_with("Restructuring"));
    let sh = Shape {
        n_rev,
        split_cost,
        n_cost,
        n_opex,
        restructuring,
        gm: r.range(25, 75),
        margin: r.range(-15, 30),
        in_millions,
    };
    let weights: Vec<i64> = (0..n_opex).map(|_| r.range(5, 40)).collect();
    let mut cols: Vec<IsCol> = Vec::new();
    let c0 = is_col(r, &sh, mag, &weights, None);
    let base_sh = Some(c0.t.shares);
    let prior_mag = mag * r.range(80, 125) / 100;
    let c1 = is_col(r, &sh, prior_mag, &weights, base_sh);
    cols.push(c0);
    cols.push(c1);
    if three {
        let m = mag * r.range(85, 115) / 100;
        cols.push(is_col(r, &sh, m, &weights, base_sh));
    }
    // The earlier quarters of this fiscal year, one by one, for the
    // quarterly trend table.
    let mut quarters: Vec<IsCol> = Vec::new();
    if quarterly {
        for i in 1..q {
            if three && i + 1 == q {
                // The sequential column is the quarter before this one.
                quarters.push(cols[2].clone());
                continue;
            }
            let m = mag * r.range(85, 115) / 100;
            quarters.push(is_col(r, &sh, m, &weights, base_sh));
        }
    }
    let earlier = quarters.split_first().map(|(first, rest)| {
        rest.iter()
            .fold(first.clone(), |e: IsCol, x: &IsCol| add_cols(&e, x))
    });
    // The year to date the quarterly table prints (the income statement's
    // when it prints one).
    let ytd = earlier.as_ref().map(|e| add_cols(&cols[0], e));
    if four {
        let e0 = match &earlier {
            Some(e) => e.clone(),
            None => is_col(r, &sh, mag * (q as i64 - 1), &weights, base_sh),
        };
        let e1 = is_col(r, &sh, prior_mag * (q as i64 - 1), &weights, base_sh);
        let y0 = add_cols(&cols[0], &e0);
        let y1 = add_cols(&cols[1], &e1);
        cols.push(y0);
        cols.push(y1);
    }
    // A pair draws next year's quarter too: every release of the pair
    // reads its labels off the three columns, and shows two.
    let mut all: Vec<Is> = cols.iter().map(|c| c.t).collect();
    // The quarters' figures decide the labels too (`Operating income
    // (loss)` over a quarter with a loss).
    all.extend(quarters.iter().chain(&ytd).map(|c| c.t));
    let sel: Vec<usize> = if pair {
        let next_mag = mag * r.range(80, 125) / 100;
        let cn = is_col(r, &sh, next_mag, &weights, base_sh);
        all.push(cn.t);
        let c1 = cols.pop().expect("two columns");
        let c0 = cols.pop().expect("two columns");
        if later {
            cols = vec![cn, c0];
            vec![2, 0]
        } else {
            cols = vec![c0, c1];
            vec![0, 1]
        }
    } else {
        (0..cols.len()).collect()
    };
    // The off-by-one total (rounded from unrounded amounts).
    let off_by_one = r.chance(0.1) && !pair && !quarterly;
    if off_by_one {
        let d = if r.chance(0.5) { 1 } else { -1 };
        let c = &mut cols[0].t;
        c.opex += d;
        c.oi -= d;
        c.pretax -= d;
        c.ni -= d;
        summary.push("off-by-one opex".to_string());
    }
    let t: Vec<Is> = cols.iter().map(|c| c.t).collect();
    let of = |f: fn(&Is) -> i64| t.iter().map(f).collect::<Vec<i64>>();
    let ni_v = of(|x| x.ni);
    // Labels read every column a release of the pair may show.
    let lab: &[Is] = if pair || quarterly { &all } else { &t };
    let of_lab = |f: fn(&Is) -> i64| lab.iter().map(f).collect::<Vec<i64>>();
    let oi_label = sign_label(
        &of_lab(|x| x.oi),
        r.pick(&["Operating loss", "Loss from operations"]),
        r.pick(&["Operating income", "Income from operations"]),
        r.pick(&["Operating income (loss)", "Income (loss) from operations"]),
    );
    let pretax_label = sign_label(
        &of_lab(|x| x.pretax),
        "Loss before income taxes",
        "Income before income taxes",
        "Income (loss) before income taxes",
    );
    let ni_label = sign_label(
        &of_lab(|x| x.ni),
        "Net loss",
        "Net income",
        "Net income (loss)",
    );
    let any_loss = of_lab(|x| x.ni).iter().any(|&v| v <= 0);

    let ints = |v: Vec<i64>| v.into_iter().map(Val::Int).collect::<Vec<Val>>();
    let nils = |v: Vec<i64>| {
        v.into_iter()
            .map(|x| if x == 0 { Val::Nil } else { Val::Int(x) })
            .collect::<Vec<Val>>()
    };
    let footnote = on(r, V::FootnoteMarkers, 0.25);
    let marker_kind = r.pick(&["(1)", "(a)", "*"]);
    let wrap_labels = on(r, V::WrappedLabels, 0.3);
    let line = |depth: usize, label: &str, vals: Vec<Val>, dollar: bool| {
        MRow::Line(Line {
            depth,
            label: label.to_string(),
            wrap: None,
            marker: None,
            vals,
            dollar,
        })
    };

    let mut rows: Vec<MRow> = Vec::new();
    let rev_single = r.pick(&["Revenue", "Net revenue", "Revenues", "Total revenue"]);
    if n_rev == 1 {
        rows.push(line(0, rev_single, ints(of(|x| x.rev)), true));
    } else {
        rows.push(MRow::Heading(0, "Revenue:".into()));
        for (i, name) in rev_names.iter().enumerate() {
            rows.push(line(
                1,
                name,
                ints(cols.iter().map(|c| c.revs[i]).collect()),
                i == 0,
            ));
        }
        rows.push(MRow::Rule(false));
        rows.push(line(2, "Total revenue", ints(of(|x| x.rev)), true));
    }
    if split_cost {
        rows.push(MRow::Heading(0, "Cost of revenue:".into()));
        for (i, name) in rev_names.iter().enumerate() {
            let name = name.replace(" revenue", "").to_lowercase();
            rows.push(line(
                1,
                &format!("Cost of {name} revenue"),
                ints(cols.iter().map(|c| c.costs[i]).collect()),
                false,
            ));
        }
        rows.push(MRow::Rule(false));
        rows.push(line(
            2,
            "Total cost of revenue",
            ints(of(|x| x.cost)),
            false,
        ));
    } else if n_cost > 1 {
        let pool: &[&str] = if cost_labels {
            &[
                "Cost of products",
                "Cost of services",
                "Cost of other revenue",
            ]
        } else {
            &[
                "Cost of product revenue",
                "Cost of service revenue",
                "Cost of other revenue",
            ]
        };
        for (i, name) in pool.iter().take(n_cost).enumerate() {
            rows.push(line(
                0,
                name,
                ints(cols.iter().map(|c| c.costs[i]).collect()),
                false,
            ));
        }
        summary.push("gross profit over every cost row".into());
    } else {
        let label = if cost_labels {
            r.pick(&["Cost of sales, buying and occupancy", "Cost of products"])
        } else {
            r.pick(&["Cost of revenue", "Cost of revenues", "Cost of sales"])
        };
        rows.push(line(0, label, ints(of(|x| x.cost)), false));
    }
    rows.push(MRow::Rule(false));
    let gp_label = if r.chance(0.8) {
        "Gross profit"
    } else {
        "Gross margin"
    };
    rows.push(line(0, gp_label, ints(of(|x| x.gp)), false));
    rows.push(MRow::Heading(0, "Operating expenses:".into()));
    for (i, name) in opex_names.iter().enumerate() {
        rows.push(line(
            1,
            name,
            nils(cols.iter().map(|c| c.opex[i]).collect()),
            false,
        ));
    }
    rows.push(MRow::Rule(false));
    let opex_label = "Total operating expenses";
    rows.push(line(2, opex_label, ints(of(|x| x.opex)), false));
    rows.push(MRow::Rule(false));
    rows.push(line(0, &oi_label, ints(of(|x| x.oi)), false));
    let other_label = if on(r, V::InterestIncomeOther, 0.2) {
        "Interest income and other, net"
    } else {
        r.pick(&[
            "Other income (expense), net",
            "Interest and other income (expense), net",
        ])
    };
    rows.push(line(0, other_label, nils(of(|x| x.other)), false));
    rows.push(MRow::Rule(false));
    rows.push(line(0, &pretax_label, ints(of(|x| x.pretax)), false));
    let tax_label = if on(r, V::TaxBenefitLabel, 0.2) {
        "Provision for (benefit from) income taxes"
    } else {
        r.pick(&[
            "Provision for income taxes",
            "Income tax provision",
            "Income tax expense",
        ])
    };
    rows.push(line(0, tax_label, nils(of(|x| x.tax)), false));
    rows.push(MRow::Rule(false));
    rows.push(line(0, &ni_label, ints(ni_v.clone()), true));
    rows.push(MRow::Rule(true));
    rows.push(MRow::Blank);
    let eps_b: Vec<Val> = t.iter().map(|x| Val::Cents(eps(x.ni, x.shares))).collect();
    let eps_d: Vec<Val> = t.iter().map(|x| Val::Cents(eps(x.ni, x.dil))).collect();
    let sh_b = ints(of(|x| x.shares));
    let sh_d = ints(of(|x| x.dil));
    let eps_heading = on(r, V::EpsHeading, 0.3);
    if any_loss {
        rows.push(line(
            0,
            &format!("{ni_label} per share - basic and diluted"),
            eps_b.clone(),
            true,
        ));
        rows.push(line(
            0,
            "Weighted average shares outstanding - basic and diluted",
            sh_b,
            false,
        ));
    } else if eps_heading {
        let dash = r.chance(0.3);
        let (b, d) = if dash {
            ("- basic", "- diluted")
        } else {
            ("Basic", "Diluted")
        };
        rows.push(MRow::Heading(0, format!("{ni_label} per share:")));
        rows.push(line(1, b, eps_b.clone(), true));
        rows.push(line(1, d, eps_d.clone(), true));
        rows.push(MRow::Blank);
        rows.push(MRow::Heading(
            0,
            "Weighted average shares used in computing per share amounts:".into(),
        ));
        rows.push(line(1, b, sh_b, false));
        rows.push(line(1, d, sh_d, false));
        summary.push(format!("eps heading ({b})"));
    } else {
        rows.push(line(
            0,
            &format!("{ni_label} per share - basic"),
            eps_b.clone(),
            true,
        ));
        rows.push(line(
            0,
            &format!("{ni_label} per share - diluted"),
            eps_d.clone(),
            true,
        ));
        rows.push(line(
            0,
            "Weighted average shares outstanding - basic",
            sh_b,
            false,
        ));
        rows.push(line(
            0,
            "Weighted average shares outstanding - diluted",
            sh_d,
            false,
        ));
    }
    // Footnote markers and wrapped labels on some line items.
    let mut n_marked = 0;
    for row in rows.iter_mut() {
        if let MRow::Line(l) = row {
            let item = l.depth == 1 || l.label.starts_with("Research");
            if footnote && n_marked == 0 && item && !l.label.starts_with("Basic") {
                l.marker = Some(marker_kind);
                n_marked += 1;
            }
        }
    }
    let long_title = on(r, V::LongTitles, 0.3);
    let is_title = if long_title {
        r.pick(&[
            "Unaudited Condensed Consolidated Statements of Operations and Comprehensive Income (Loss)",
            "Condensed Consolidated Statements of Operations (Unaudited, in thousands of dollars)",
        ])
    } else {
        r.pick(&[
            "Condensed Consolidated Statements of Operations",
            "Consolidated Statements of Income",
            "Condensed Consolidated Statements of Income (Loss)",
        ])
    }
    .to_string();
    let is_title = if long_title && in_millions {
        is_title.replace("thousands", "millions")
    } else {
        is_title
    };
    let mut statements = vec![Statement {
        kind: Kind::Income,
        title: is_title,
        cols: is_cols.clone(),
        rows,
        per_share: true,
        extra: Vec::new(),
        annot: Vec::new(),
        members: Vec::new(),
    }];

    // Quarterly trend: the income statement's lines down to net income for
    // each quarter of the fiscal year so far and the year to date, which
    // the quarters add up to.
    if quarterly {
        let mut srcs = Vec::new();
        if n_rev == 1 {
            srcs.push(Src::Rev(None));
        } else {
            srcs.extend((0..n_rev).map(|i| Src::Rev(Some(i))));
            srcs.push(Src::Rev(None));
        }
        if split_cost {
            srcs.extend((0..n_rev).map(|i| Src::Cost(Some(i))));
            srcs.push(Src::Cost(None));
        } else if n_cost > 1 {
            srcs.extend((0..n_cost).map(|i| Src::Cost(Some(i))));
        } else {
            srcs.push(Src::Cost(None));
        }
        srcs.push(Src::Gp);
        srcs.extend((0..n_opex).map(|i| Src::Opex(Some(i))));
        srcs.extend([
            Src::Opex(None),
            Src::Oi,
            Src::Other,
            Src::Pretax,
            Src::Tax,
            Src::Ni,
        ]);
        let qcols: Vec<&IsCol> = quarters.iter().chain([&cols[0]]).chain(&ytd).collect();
        let mut qrows = Vec::new();
        let mut k = 0;
        for row in &statements[0].rows {
            match row {
                MRow::Line(l) => {
                    let src = srcs[k];
                    let vals = qcols
                        .iter()
                        .map(|c| {
                            let v = src.of(c);
                            if v == 0 && src.nil_when_zero() {
                                Val::Nil
                            } else {
                                Val::Int(v)
                            }
                        })
                        .collect();
                    qrows.push(MRow::Line(Line {
                        vals,
                        marker: None,
                        wrap: None,
                        ..l.clone()
                    }));
                    k += 1;
                    if k == srcs.len() {
                        qrows.push(MRow::Rule(true));
                        break;
                    }
                }
                other => qrows.push(other.clone()),
            }
        }
        let mut qc: Vec<Col> = (1..=q)
            .map(|i| {
                let m = (fiscal_end + 3 * i) % 12;
                let year = if m > end_month {
                    cal_year - 1
                } else {
                    cal_year
                };
                Col {
                    months: 3,
                    year,
                    month: m,
                    day: MONTH_END[m],
                    fq: Some((i, fiscal_year)),
                }
            })
            .collect();
        qc.push(Col {
            months: 3 * q,
            year: cal_year,
            month: end_month,
            day,
            fq: None,
        });
        let title = r.pick(&[
            "Quarterly Results of Operations",
            "Selected Quarterly Financial Data",
            "Condensed Consolidated Statements of Operations by Quarter",
        ]);
        statements.push(Statement {
            kind: Kind::Quarterly,
            title: title.to_string(),
            cols: qc,
            rows: qrows,
            per_share: false,
            extra: Vec::new(),
            annot: Vec::new(),
            members: Vec::new(),
        });
        summary.push(format!("quarterly trend ({q} quarters)"));
    }

    // Segment table.
    if r.chance(0.3) && n_rev == 1 {
        let n = r.usize(2, 3);
        let names = r.subset(
            &["North America", "Europe", "Asia Pacific", "Rest of world"],
            n,
        );
        let mut left: Vec<i64> = of_lab(|x| x.rev);
        let mut srows = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let vals: Vec<i64> = if i + 1 == n {
                left.clone()
            } else {
                lab.iter().map(|x| x.rev * r.range(15, 45) / 100).collect()
            };
            for (l, v) in left.iter_mut().zip(&vals) {
                *l -= v;
            }
            let vals = sel.iter().map(|&k| vals[k]).collect();
            srows.push(line(1, name, ints(vals), i == 0));
        }
        srows.push(MRow::Rule(false));
        srows.push(line(0, "Total revenue", ints(of(|x| x.rev)), true));
        srows.push(MRow::Rule(true));
        statements.push(Statement {
            kind: Kind::Segments,
            title: "Revenue by Geography".into(),
            cols: is_cols.clone(),
            rows: srows,
            per_share: false,
            extra: Vec::new(),
            annot: Vec::new(),
            members: Vec::new(),
        });
        summary.push("segments".into());
    }

    // Segments as columns: revenue, operating income and capital spending of
    // each segment (and a corporate column) beside the total, which is the
    // income statement's figure for the quarter.
    let segcols = !pair
        && x_seed.is_some_and(|s| cfg.roll(&mut Rng::new(s ^ 0x5E6C_0015), V::SegmentColumns, 0.5));
    if segcols {
        let sets: [&[&str]; 4] = [
            &["Americas", "EMEA", "APAC"],
            &["Products", "Services"],
            &["Industrial", "Consumer", "Healthcare"],
            &["Cloud", "Devices", "Licensing"],
        ];
        let set = r.pick(&sets);
        let n = r.usize(2, set.len());
        let names = r.subset(set, n);
        let corporate = r.chance(0.5);
        let total_name = r.pick(&["Total", "Consolidated", "Total Company"]);
        let split = |r: &mut Rng, total: i64| -> Vec<i64> {
            let mut left = total;
            (0..n)
                .map(|i| {
                    if i + 1 == n {
                        left
                    } else {
                        let v = total * r.range(15, 45) / 100;
                        left -= v;
                        v
                    }
                })
                .collect()
        };
        let (rev, oi) = (t[0].rev, t[0].oi);
        let corp_oi = if corporate {
            -(rev * r.range(1, 6) / 100 + 1)
        } else {
            0
        };
        let corp_dep = if corporate { rev / 200 + 1 } else { 0 };
        let revs = split(r, rev);
        let ois = split(r, oi - corp_oi);
        let deps: Vec<i64> = revs.iter().map(|v| v * r.range(2, 8) / 100 + 1).collect();
        let dep_total: i64 = deps.iter().sum::<i64>() + corp_dep;
        let row = |vals: &[i64], corp: Option<i64>, total: i64| {
            let mut v: Vec<Val> = vals.iter().map(|&x| Val::Int(x)).collect();
            if corporate {
                v.push(corp.map_or(Val::Nil, Val::Int));
            }
            v.push(Val::Int(total));
            v
        };
        let rev_label = if n_rev == 1 {
            rev_single
        } else {
            "Total revenue"
        };
        let srows = vec![
            line(0, rev_label, row(&revs, None, rev), true),
            line(0, &oi_label, row(&ois, Some(corp_oi), oi), false),
            // Not depreciation: the EBITDA reconciliation's figure would
            // have to be the same.
            line(
                0,
                "Capital expenditures",
                row(&deps, Some(corp_dep), dep_total),
                false,
            ),
            MRow::Rule(true),
        ];
        let mut members: Vec<String> = names.iter().map(|m| m.to_string()).collect();
        if corporate {
            members.push("Corporate".to_string());
        }
        members.push(total_name.to_string());
        let title = r.pick(&[
            "Segment Information",
            "Segment Results",
            "Revenue and Operating Income by Segment",
        ]);
        statements.push(Statement {
            kind: Kind::SegmentColumns,
            title: title.to_string(),
            cols: vec![is_cols[0].clone(); members.len()],
            rows: srows,
            per_share: false,
            extra: Vec::new(),
            annot: Vec::new(),
            members,
        });
        summary.push(format!(
            "segment columns ({n}{})",
            if corporate { " and corporate" } else { "" }
        ));
    }

    // EBITDA reconciliation.
    let ebitda = r.chance(0.4);
    let mut eb_cur = 0;
    let mut eb_prior = 0;
    if ebitda {
        let mut interest = Vec::new();
        let mut dep = Vec::new();
        let mut sbc = Vec::new();
        let mut eb = Vec::new();
        for (i, x) in lab.iter().enumerate() {
            let m = if i >= 2 && four { mag * q as i64 } else { mag };
            let a = r.range(0, m / 50 + 1);
            let b = m * r.range(1, 8) / 100 + 1;
            let c = m * r.range(1, 6) / 100 + 1;
            interest.push(a);
            dep.push(b);
            sbc.push(c);
            eb.push(x.ni + x.tax + a + b + c);
        }
        let pick = |v: Vec<i64>| sel.iter().map(|&k| v[k]).collect::<Vec<i64>>();
        let (interest, dep, sbc, eb) = (pick(interest), pick(dep), pick(sbc), pick(eb));
        eb_cur = eb[0];
        eb_prior = eb[1];
        let tax_l = if tax_label.contains("benefit") {
            tax_label
        } else {
            "Provision for income taxes"
        };
        let erows = vec![
            line(0, &ni_label, ints(ni_v.clone()), true),
            line(1, "Interest expense, net", nils(interest), false),
            line(1, tax_l, nils(of(|x| x.tax)), false),
            line(1, "Depreciation and amortization", ints(dep), false),
            line(1, "Stock-based compensation", ints(sbc), false),
            MRow::Rule(false),
            line(0, "Adjusted EBITDA", ints(eb), true),
            MRow::Rule(true),
        ];
        let title = if long_title {
            format!("Unaudited Reconciliation of GAAP {ni_label} to Adjusted EBITDA")
        } else {
            format!("Reconciliation of GAAP {ni_label} to Adjusted EBITDA")
        };
        statements.push(Statement {
            kind: Kind::Ebitda,
            title,
            cols: is_cols.clone(),
            rows: erows,
            per_share: false,
            extra: Vec::new(),
            annot: Vec::new(),
            members: Vec::new(),
        });
        summary.push("ebitda".into());
    }

    // Balance sheet.
    let ytd_ni = if four {
        Some(t[2].ni)
    } else if q == 1 {
        Some(t[0].ni)
    } else {
        ytd.as_ref().map(|y| y.t.ni)
    };
    let (bs_rows, cash_cur) = if pair {
        // Both releases of a pair draw both balance sheets (no date in
        // common) and show their own.
        let ni = |k: usize| (q == 1).then_some(all[k].ni);
        let a = balance_sheet(r, mag, ni(0), &mut on, in_millions);
        let b = balance_sheet(r, mag, ni(2), &mut on, in_millions);
        if later { b } else { a }
    } else {
        balance_sheet(r, mag, ytd_ni, &mut on, in_millions)
    };
    let bs_cols = vec![
        Col {
            months: 0,
            year: cal_year,
            month: end_month,
            day,
            fq: None,
        },
        Col {
            months: 0,
            year: prior_fy_year,
            month: fiscal_end,
            day: MONTH_END[fiscal_end],
            fq: None,
        },
    ];
    statements.push(Statement {
        kind: Kind::Balance,
        title: "Condensed Consolidated Balance Sheets".into(),
        cols: bs_cols,
        rows: bs_rows,
        per_share: false,
        extra: Vec::new(),
        annot: Vec::new(),
        members: Vec::new(),
    });

    // Wrapped labels: the longest label of the income statement and of
    // the balance sheet, over two lines.
    if wrap_labels {
        for st in statements.iter_mut() {
            if !matches!(st.kind, Kind::Income | Kind::Balance) {
                continue;
            }
            let mut best: Option<usize> = None;
            for (i, row) in st.rows.iter().enumerate() {
                if let MRow::Line(l) = row
                    && l.label.split(' ').count() >= 4
                    && l.label.len() >= 24
                    && !l.label.contains(" per share")
                    && best.is_none()
                {
                    best = Some(i);
                }
            }
            if let Some(i) = best
                && let MRow::Line(l) = &mut st.rows[i]
            {
                let words: Vec<&str> = l.label.split(' ').collect();
                let k = words.len() / 2 + 1;
                let a = words[..k].join(" ");
                let b = words[k..].join(" ");
                l.wrap = Some((a, b));
            }
        }
    }

    // ------------------------------------------------------- narrative
    let m = |v: i64| millions(v, in_millions);
    let ord = ORDINALS[q - 1];
    // "fourth quarter of fiscal 2020" next to a sequential-quarter column:
    // a variation of its own.
    let fiscal_words = !calendar
        && (on(r, V::NarrFiscalQuarter, 0.7) || force_fws)
        && (!three || on(r, V::FiscalWordsSequential, 1.0));
    let (this_q, year_ago_q) = if calendar {
        (
            format!("{ord} quarter of {cal_year}"),
            format!("{ord} quarter of {}", cal_year - 1),
        )
    } else if fiscal_words {
        if r.chance(0.5) {
            (
                format!("{ord} quarter of fiscal {fiscal_year}"),
                format!("{ord} quarter of fiscal {}", fiscal_year - 1),
            )
        } else {
            (
                format!("fiscal {fiscal_year} {ord} quarter"),
                format!("fiscal {} {ord} quarter", fiscal_year - 1),
            )
        }
    } else {
        (
            format!("quarter ended {} {day}, {cal_year}", MONTHS[end_month]),
            format!(
                "quarter ended {} {day}, {}",
                MONTHS[end_month],
                cal_year - 1
            ),
        )
    };
    let year_ago = if on(r, V::NarrYearEarlier, 0.3) {
        r.pick(&[
            "a year earlier",
            "the year-ago period",
            "the year-ago quarter",
        ])
        .to_string()
    } else {
        format!("the {year_ago_q}")
    };
    let year_ago_for = if year_ago.starts_with("a year") {
        year_ago.clone()
    } else {
        format!("for {year_ago}")
    };
    let year_ago_in = if year_ago.starts_with("a year") {
        year_ago.clone()
    } else {
        format!("in {year_ago}")
    };
    let headline = if r.chance(0.5) {
        format!(
            "{} REPORTS {} QUARTER FISCAL {} RESULTS",
            full.to_uppercase(),
            ord.to_uppercase(),
            fiscal_year
        )
    } else {
        format!(
            "{full} Announces {} Quarter {} Financial Results",
            capitalize(ord),
            fiscal_year
        )
    };
    let mut paras = Vec::new();
    let city = r.pick(CITIES);
    let rel_month = MONTHS[(end_month + 1) % 12];
    let rel_year = if end_month == 11 {
        cal_year + 1
    } else {
        cal_year
    };
    let ticker: String = base
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(4)
        .collect();
    let mut p = Para::new();
    p.t(&format!(
        "{city}, {rel_month} {}, {rel_year} -- {legal} (Nasdaq: {ticker}) today announced \
         financial results for its fiscal {ord} quarter ended {} {day}, {cal_year}.",
        r.range(3, 27),
        MONTHS[end_month]
    ));
    paras.push(p);

    // Highlights.
    let t0 = t[0];
    let t1 = t[1];
    if on(r, V::NarrBullets, 0.25) {
        let mut b = Para::new();
        b.bullet = true;
        b.t("Revenue of $").f(&m(t0.rev)).t(" million");
        paras.push(b);
        if t0.ni.abs() >= if in_millions { 1 } else { 100 } {
            let mut b = Para::new();
            b.bullet = true;
            b.t(&format!("{} of $", capitalize(kind(t0.ni))))
                .f(&m(t0.ni.abs()))
                .t(" million");
            paras.push(b);
        }
    }

    let pct = |a: i64, b: i64| round_div((a - b) * 100, b.abs().max(1));
    let pct10 = |a: i64, b: i64| round_div((a - b) * 1000, b.abs().max(1));
    let p_rev = pct(t0.rev, t1.rev);
    let pct_ok = p_rev != 0 && m(t0.rev) != m(t1.rev);
    let up = if p_rev >= 0 { "up" } else { "down" };
    let inc = if p_rev >= 0 {
        "an increase"
    } else {
        "a decrease"
    };
    let mut p = Para::new();
    let decimal = on(r, V::NarrDecimalEnd, 0.25);
    let qual = on(r, V::NarrQualifiers, 0.25);
    let up_from = on(r, V::NarrUpFrom, 0.25);
    let rose_to = !up_from && on(r, V::NarrRoseTo, 0.25);
    let p10 = pct10(t0.rev, t1.rev);
    let pstr = |p: i64, p10: i64, decimal: bool| {
        if decimal {
            format!("{}.{}", p10.abs() / 10, p10.abs() % 10)
        } else {
            p.abs().to_string()
        }
    };
    if pct_ok && rose_to && p_rev > 0 {
        p.t(&format!("Revenue for the {this_q} rose "))
            .f(&pstr(p_rev, p10, decimal))
            .t("% to $")
            .f(&m(t0.rev))
            .t(" million from $")
            .f(&m(t1.rev))
            .t(&format!(" million {year_ago_in}."));
    } else if pct_ok && up_from {
        p.t(&format!("Revenue for the {this_q} was $"))
            .f(&m(t0.rev))
            .t(&format!(" million, {up} "))
            .f(&pstr(p_rev, p10, decimal))
            .t("% from $")
            .f(&m(t1.rev))
            .t(&format!(" million {year_ago_for}."));
    } else if pct_ok && qual && p_rev.abs() >= 2 {
        // "nearly N%" when the change is just under N, else "approximately".
        // "nearly N%" claims [0.9 N, N]: only when the change is within
        // that (from the unrounded figures, in tenths).
        let exact10 = p10.abs();
        let up10 = (exact10 + 9) / 10 * 10;
        let (word, n) = if exact10 % 10 != 0 && exact10 * 10 >= up10 * 9 + 5 {
            ("nearly", up10 / 10)
        } else {
            ("approximately", (exact10 + 5) / 10)
        };
        p.t("Total revenue was $")
            .f(&m(t0.rev))
            .t(&format!(
                " million for the {this_q}, {} {word} ",
                if p_rev >= 0 { "up" } else { "down" }
            ))
            .f(&n.to_string())
            .t(&format!("% compared with {year_ago}."));
    } else if pct_ok && decimal {
        p.t("Total revenue was $")
            .f(&m(t0.rev))
            .t(&format!(" million for the {this_q} compared with $"))
            .f(&m(t1.rev))
            .t(&format!(" million {year_ago_for}, {inc} of "))
            .f(&pstr(p_rev, p10, true))
            .t("%.");
    } else {
        match r.usize(0, 2) {
            0 if pct_ok => {
                p.t(&format!("Revenue for the {this_q} was $"))
                    .f(&m(t0.rev))
                    .t(&format!(" million, {up} "))
                    .f(&p_rev.abs().to_string())
                    .t("% from $")
                    .f(&m(t1.rev))
                    .t(&format!(" million in the {year_ago_q}."));
            }
            1 if pct_ok => {
                p.t("Total revenue was $")
                    .f(&m(t0.rev))
                    .t(&format!(" million for the {this_q} compared with $"))
                    .f(&m(t1.rev))
                    .t(&format!(" million for the {year_ago_q}, {inc} of "))
                    .f(&p_rev.abs().to_string())
                    .t("%.");
            }
            _ => {
                p.t(&format!("Revenue for the {this_q} was $"))
                    .f(&m(t0.rev))
                    .t(" million compared with $")
                    .f(&m(t1.rev))
                    .t(&format!(" million for the {year_ago_q}."));
            }
        }
    }
    if r.chance(0.5) {
        p.t(" Gross profit for the quarter was $")
            .f(&m(t0.gp))
            .t(" million.");
    }
    paras.push(p);

    let (e_cur, e_prior, per) = if any_loss {
        (eps(t0.ni, t0.shares), eps(t1.ni, t1.shares), "per share")
    } else {
        (eps(t0.ni, t0.dil), eps(t1.ni, t1.dil), "per diluted share")
    };
    let big = |v: i64| v != 0 && v.abs() >= if in_millions { 1 } else { 100 };
    if big(t0.ni) && big(t1.ni) {
        let mut p = Para::new();
        if on(r, V::NarrPeriodThenNetLoss, 0.3) {
            p.t(&format!(
                "{full} reported its results for the {this_q} on a consolidated basis. "
            ))
            .t(&format!("{} for the period was $", capitalize(kind(t0.ni))))
            .f(&m(t0.ni.abs()))
            .t(" million, or $")
            .f(&cents(e_cur))
            .t(&format!(" {per}."));
        } else {
            let a = if t1.ni < 0 { "a " } else { "" };
            p.t(&format!(
                "{} for the {this_q} was $",
                capitalize(kind(t0.ni))
            ))
            .f(&m(t0.ni.abs()))
            .t(" million, or $")
            .f(&cents(e_cur))
            .t(&format!(" {per}, compared with {a}{} of $", kind(t1.ni)))
            .f(&m(t1.ni.abs()))
            .t(" million, or $")
            .f(&cents(e_prior))
            .t(&format!(" {per}, {year_ago_in}."));
        }
        paras.push(p);
    }
    if ebitda && eb_cur > 0 && r.chance(0.6) {
        let mut p = Para::new();
        p.t(&format!("Adjusted EBITDA for the {this_q} was $"))
            .f(&m(eb_cur))
            .t(" million");
        if eb_prior > 0 {
            p.t(" compared with $").f(&m(eb_prior)).t(" million");
            p.t(&format!(" {year_ago_for}"));
        }
        p.t(".");
        paras.push(p);
    }
    if on(r, V::NarrBalanceSheet, 0.3) && cash_cur >= if in_millions { 1 } else { 100 } {
        let mut p = Para::new();
        p.t("Cash and cash equivalents were $")
            .f(&m(cash_cur))
            .t(&format!(
                " million at {} {day}, {cal_year}.",
                MONTHS[end_month]
            ));
        paras.push(p);
    }
    let mut p = Para::new();
    p.t(&format!(
        "{full} will host a conference call at 5:00 p.m. Eastern Time today. Dial \
         800.555.{:04} and enter passcode {}. {full} is a fictional company; the figures \
         in this release are generated test data.",
        r.range(100, 9999),
        r.range(1_000_000, 9_999_999)
    ));
    paras.push(p);

    let _ = ncol;
    if quarterly {
        used.push(V::QuarterlyTrend);
    }
    if segcols {
        used.push(V::SegmentColumns);
    }
    Model {
        full,
        legal,
        headline,
        paras,
        statements,
        in_millions,
        off_by_one: off_by_one.then(|| (0, opex_label.to_string())),
        summary,
        used,
        x_seed,
        ticker,
    }
}

fn kind(v: i64) -> &'static str {
    if v < 0 { "net loss" } else { "net income" }
}

#[derive(Clone, Copy)]
struct Fig {
    cur: i64,
    prior: i64,
}

type On<'a> = dyn FnMut(&mut Rng, V, f64) -> bool + 'a;

fn balance_sheet(
    r: &mut Rng,
    mag: i64,
    period_ni: Option<i64>,
    on: &mut On<'_>,
    _in_millions: bool,
) -> (Vec<MRow>, i64) {
    let bs_mag = mag * r.range(2, 6);
    let mk = |r: &mut Rng, share: i64| {
        let c = bs_mag * share / 1000 * r.range(70, 130) / 100 + 1;
        Fig {
            cur: c,
            prior: c * r.range(85, 115) / 100 + 1,
        }
    };
    let cl_pool = [
        "Accounts payable",
        "Accrued liabilities",
        "Deferred revenue",
        "Current portion of long-term debt",
    ];
    let n_cl = r.usize(2, 4);
    let cl_names = r.subset(&cl_pool, n_cl);
    let cls: Vec<Fig> = (0..n_cl).map(|_| mk(r, 60)).collect();
    let tcl = Fig {
        cur: cls.iter().map(|f| f.cur).sum(),
        prior: cls.iter().map(|f| f.prior).sum(),
    };
    let ll_pool = ["Long-term debt", "Other long-term liabilities"];
    let n_ll = r.usize(1, 2);
    let ll_names = r.subset(&ll_pool, n_ll);
    let lls: Vec<Fig> = (0..n_ll).map(|_| mk(r, 120)).collect();
    let tl = Fig {
        cur: tcl.cur + lls.iter().map(|f| f.cur).sum::<i64>(),
        prior: tcl.prior + lls.iter().map(|f| f.prior).sum::<i64>(),
    };
    let cs_cur = r.range(1, 300);
    let cs = Fig {
        cur: cs_cur,
        prior: (cs_cur - r.range(0, 2)).max(1),
    };
    let aoci = Fig {
        cur: bs_mag * r.range(-20, 10) / 1000,
        prior: bs_mag * r.range(-20, 10) / 1000,
    };
    // An accumulated deficit rolls forward by the net income of the period
    // between the two balance-sheet dates when a column shows that period.
    let deficit = r.chance(0.5);
    let ni_any = period_ni.unwrap_or(mag / 10);
    let re = if deficit {
        let prior = -(bs_mag * r.range(100, 900) / 1000) - 1;
        let cur = match period_ni {
            Some(n) => prior + n,
            None => prior + ni_any * r.range(2, 4),
        };
        Fig { cur, prior }
    } else {
        let prior = bs_mag * r.range(100, 600) / 1000 + 1;
        Fig {
            cur: prior + ni_any.max(0) * r.range(1, 3) / 2,
            prior,
        }
    };
    let apic_cur = (bs_mag * r.range(300, 900) / 1000).max(-re.cur + bs_mag / 5) + 1;
    let apic = Fig {
        cur: apic_cur,
        prior: (apic_cur * r.range(92, 100) / 100).max(-re.prior + bs_mag / 5),
    };
    let eq_lines = [cs, apic, aoci, re];
    let eq = Fig {
        cur: eq_lines.iter().map(|f| f.cur).sum(),
        prior: eq_lines.iter().map(|f| f.prior).sum(),
    };
    let tle = Fig {
        cur: tl.cur + eq.cur,
        prior: tl.prior + eq.prior,
    };
    let ca_pool = [
        "Accounts receivable, net",
        "Inventories",
        "Prepaid expenses and other current assets",
    ];
    let n_ca = r.usize(1, 3);
    let ca_names = r.subset(&ca_pool, n_ca);
    let nca_pool = [
        "Property and equipment, net",
        "Goodwill",
        "Intangible assets, net",
        "Other assets",
    ];
    let n_nca = r.usize(1, 4);
    let nca_names = r.subset(&nca_pool, n_nca);
    let n_assets = n_ca + n_nca;
    let w: Vec<i64> = (0..n_assets).map(|_| r.range(5, 30)).collect();
    let wsum: i64 = w.iter().sum::<i64>() + r.range(3, 20);
    let asset_lines: Vec<Fig> = w
        .iter()
        .map(|w| Fig {
            cur: tle.cur * w / wsum + 1,
            prior: tle.prior * w / wsum * r.range(90, 110) / 100 + 1,
        })
        .collect();
    let non_cash = Fig {
        cur: asset_lines.iter().map(|f| f.cur).sum(),
        prior: asset_lines.iter().map(|f| f.prior).sum(),
    };
    let cash = Fig {
        cur: tle.cur - non_cash.cur,
        prior: tle.prior - non_cash.prior,
    };
    let cash_ok = cash.cur > 0 && cash.prior > 0;
    let cash = if cash_ok {
        cash
    } else {
        Fig { cur: 1, prior: 1 }
    };
    let tca = Fig {
        cur: cash.cur + asset_lines[..n_ca].iter().map(|f| f.cur).sum::<i64>(),
        prior: cash.prior + asset_lines[..n_ca].iter().map(|f| f.prior).sum::<i64>(),
    };
    let ta = Fig {
        cur: tca.cur + asset_lines[n_ca..].iter().map(|f| f.cur).sum::<i64>(),
        prior: tca.prior + asset_lines[n_ca..].iter().map(|f| f.prior).sum::<i64>(),
    };
    let (tl, tle) = if cash_ok {
        (tl, tle)
    } else {
        (
            Fig {
                cur: tl.cur + ta.cur - tle.cur,
                prior: tl.prior + ta.prior - tle.prior,
            },
            ta,
        )
    };
    let d = |f: &Fig| vec![Val::Int(f.cur), Val::Int(f.prior)];
    let nil = |f: &Fig| {
        let c = |v: i64| if v == 0 { Val::Nil } else { Val::Int(v) };
        vec![c(f.cur), c(f.prior)]
    };
    let line = |depth: usize, label: &str, vals: Vec<Val>, dollar: bool| {
        MRow::Line(Line {
            depth,
            label: label.to_string(),
            wrap: None,
            marker: None,
            vals,
            dollar,
        })
    };
    let holders = if on(r, V::ShareholdersEquity, 0.4) {
        "shareholders'"
    } else {
        "stockholders'"
    };
    let mut rows = vec![
        MRow::Heading(r.usize(10, 20), "ASSETS".into()),
        MRow::Heading(0, "Current assets:".into()),
        line(1, "Cash and cash equivalents", d(&cash), true),
    ];
    for (i, name) in ca_names.iter().enumerate() {
        rows.push(line(1, name, d(&asset_lines[i]), false));
    }
    rows.push(MRow::Rule(false));
    rows.push(line(2, "Total current assets", d(&tca), false));
    for (i, name) in nca_names.iter().enumerate() {
        rows.push(line(0, name, d(&asset_lines[n_ca + i]), false));
    }
    rows.push(MRow::Rule(false));
    rows.push(line(2, "Total assets", d(&ta), true));
    rows.push(MRow::Rule(true));
    rows.push(MRow::Blank);
    rows.push(MRow::Heading(
        r.usize(4, 12),
        format!("LIABILITIES AND {} EQUITY", holders.to_uppercase()),
    ));
    rows.push(MRow::Heading(0, "Current liabilities:".into()));
    for (i, name) in cl_names.iter().enumerate() {
        rows.push(line(1, name, d(&cls[i]), i == 0));
    }
    rows.push(MRow::Rule(false));
    rows.push(line(2, "Total current liabilities", d(&tcl), false));
    let ll_c = tl.cur - tcl.cur;
    let ll_p = tl.prior - tcl.prior;
    for (i, name) in ll_names.iter().enumerate() {
        let f = if i + 1 == n_ll {
            Fig {
                cur: ll_c - lls[..i].iter().map(|f| f.cur).sum::<i64>(),
                prior: ll_p - lls[..i].iter().map(|f| f.prior).sum::<i64>(),
            }
        } else {
            lls[i]
        };
        rows.push(line(0, name, d(&f), false));
    }
    rows.push(MRow::Rule(false));
    rows.push(line(2, "Total liabilities", d(&tl), false));
    rows.push(MRow::Heading(
        0,
        format!("{}:", capitalize(&format!("{holders} equity"))),
    ));
    rows.push(line(1, "Common stock", d(&cs), false));
    rows.push(line(1, "Additional paid-in capital", d(&apic), false));
    rows.push(line(
        1,
        "Accumulated other comprehensive income (loss)",
        nil(&aoci),
        false,
    ));
    rows.push(line(
        1,
        if deficit {
            "Accumulated deficit"
        } else {
            "Retained earnings"
        },
        d(&re),
        false,
    ));
    rows.push(MRow::Rule(false));
    rows.push(line(2, &format!("Total {holders} equity"), d(&eq), false));
    rows.push(MRow::Rule(false));
    rows.push(line(
        2,
        &format!("Total liabilities and {holders} equity"),
        d(&tle),
        true,
    ));
    rows.push(MRow::Rule(true));
    (rows, cash.cur)
}

/// Whether a line is a cost, printed negative in a better/worse column
/// when it grows: rows under `Operating expenses:` or `Cost of revenue:`,
/// their totals, cost of revenue and the tax provision.
fn is_cost(label: &str, under_cost_heading: bool) -> bool {
    under_cost_heading
        || label.starts_with("Cost of")
        || label.starts_with("Total cost")
        || label.starts_with("Total operating expenses")
        || label.starts_with("Provision")
        || label.starts_with("Income tax")
}

/// The figure a change is computed from: a printed dash is zero.
fn amount(v: Val) -> Option<(i64, bool)> {
    match v {
        Val::Int(x) => Some((x, false)),
        Val::Cents(c) => Some((c, true)),
        Val::Nil => Some((0, false)),
        Val::Pct(..) | Val::Nm => None,
    }
}

/// One row's figure in an extra column, from its printed current and prior
/// figures (the first two values).
fn extra_val(kind: XKind, cur: Val, prior: Val, cost: bool) -> Val {
    let (Some((c, cc)), Some((p, pc))) = (amount(cur), amount(prior)) else {
        return Val::Nil;
    };
    let cents = cc || pc;
    match kind {
        XKind::Change | XKind::BetterWorse => {
            let d = if kind == XKind::BetterWorse && cost {
                p - c
            } else {
                c - p
            };
            if d == 0 {
                Val::Nil
            } else if cents {
                Val::Cents(d)
            } else {
                Val::Int(d)
            }
        }
        XKind::Percent(dec) => {
            if matches!(prior, Val::Nil) || p <= 0 || c < 0 {
                Val::Nm
            } else {
                let scale = 10i64.pow(u32::from(dec));
                Val::Pct(round_div((c - p) * 100 * scale, p), dec)
            }
        }
    }
}

/// Adds change and percent-change columns (variations `ChangeColumns`,
/// `PercentChangeColumns`, `BetterWorseColumns`) to the statements with
/// two period columns (income statement, segment table, EBITDA
/// reconciliation), computed from the printed figures. Run after every
/// edit of the printed figures, before rendering; draws from its own PRNG
/// (`Model::x_seed`), so a pair's two releases get the same columns.
pub fn add_extras(model: &mut Model, cfg: &Config) {
    let Some(seed) = model.x_seed else {
        return;
    };
    let r = &mut Rng::new(seed);
    for st in model.statements.iter_mut() {
        let bw = st.kind == Kind::Income && cfg.roll(r, V::BetterWorseColumns, 0.3);
        // `nm` and a bare `%` need a percent column (and a change column).
        let needs = |v: V| cfg.forced == Some(v);
        let change = !bw
            && (cfg.roll(r, V::ChangeColumns, 0.6)
                || needs(V::BarePercentHeader)
                || needs(V::LoneChangeHeaderLine));
        let pct = cfg.roll(r, V::PercentChangeColumns, 0.6)
            || needs(V::NmText)
            || needs(V::BarePercentHeader);
        let change_header = r.pick(&[
            &["$ Change"][..],
            &["Change"][..],
            &["Increase", "(Decrease)"][..],
        ]);
        let change_header = if needs(V::LoneChangeHeaderLine) {
            &["Increase", "(Decrease)"][..]
        } else {
            change_header
        };
        let bw_header = r.pick(&[&["B/(W)"][..], &["Better", "(Worse)"][..]]);
        let pct_header = r.pick(&[
            &["% Change"][..],
            &["% Chg"][..],
            &["Percent", "Change"][..],
        ]);
        let bare = change && cfg.roll(r, V::BarePercentHeader, 0.3);
        let pct_header = if bare { &["%"][..] } else { pct_header };
        let dec = r.pick(&[1u8, 1, 0]);
        if st.kind == Kind::Balance || st.cols.len() != 2 {
            continue;
        }
        let mut extra = Vec::new();
        if bw {
            extra.push(Extra {
                kind: XKind::BetterWorse,
                header: bw_header.to_vec(),
            });
            model.used.push(V::BetterWorseColumns);
        } else if change {
            extra.push(Extra {
                kind: XKind::Change,
                header: change_header.to_vec(),
            });
            model.used.push(V::ChangeColumns);
        }
        if pct {
            if bare {
                model.used.push(V::BarePercentHeader);
            }
            extra.push(Extra {
                kind: XKind::Percent(dec),
                header: pct_header.to_vec(),
            });
            model.used.push(V::PercentChangeColumns);
        }
        if extra.is_empty() {
            continue;
        }
        model.summary.push(format!(
            "{:?} columns {:?}",
            st.kind,
            extra.iter().map(|x| x.kind).collect::<Vec<_>>()
        ));
        let mut under_cost = false;
        for row in st.rows.iter_mut() {
            match row {
                MRow::Heading(_, h) => {
                    under_cost = h.starts_with("Operating expenses") || h.starts_with("Cost of");
                }
                MRow::Line(l) => {
                    if l.depth != 1 {
                        under_cost = false;
                    }
                    let cost = is_cost(&l.label, under_cost && l.depth == 1);
                    let (cur, prior) = (l.vals[0], l.vals[1]);
                    for x in &extra {
                        l.vals.push(extra_val(x.kind, cur, prior, cost));
                    }
                }
                _ => {}
            }
        }
        st.extra = extra;
    }
}

/// The label of the income statement's operating expense lines whose
/// year-ago figures (column 1) print at least `min`.
pub fn opex_lines(model: &Model, min: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut under = false;
    for row in &model.statements[0].rows {
        match row {
            MRow::Heading(_, h) => under = h.starts_with("Operating expenses"),
            MRow::Line(l) => {
                if under && l.depth == 1 && matches!(l.vals[1], Val::Int(v) if v >= min) {
                    out.push(l.label.clone());
                }
                if l.depth != 1 {
                    under = false;
                }
            }
            _ => {}
        }
    }
    out
}

/// Adds `d` to the year-ago figure (column 1) of the income statement line
/// `label`.
pub fn move_year_ago(model: &mut Model, label: &str, d: i64) {
    for row in model.statements[0].rows.iter_mut() {
        if let MRow::Line(l) = row
            && l.label == label
            && let Val::Int(v) = l.vals[1]
        {
            l.vals[1] = Val::Int(v + d);
        }
    }
}
