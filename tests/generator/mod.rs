//! A seeded, deterministic generator of consistent fictional plain-text
//! earnings releases, for the metamorphic tests of `generated_releases.rs`.
//!
//! Every release is made of made-up company names and figures that tie:
//! the line items are drawn first, every total is computed from the
//! printed (rounded) lines, and every narrative claim is computed from the
//! printed table figures and rounded to the precision it is stated at. A
//! release may carry one deliberate off-by-one total (`Release::off_by_one`),
//! as filings that round each figure from unrounded amounts do.
//!
//! Layout variations (chosen by the PRNG): label column width, column
//! widths and gaps, `$` attached / detached / absent, negatives as `(123)`
//! or `-123`, nil as `—`, `-` or `--`, scale lines (thousands or millions,
//! several wordings), column headers (a spanning `Three Months Ended` over
//! stacked `March` / `31,` / year lines or over `March 31,` + years,
//! `Quarter Ended` per column, `Q1 2026` per column), rule lines (per
//! column segments or one line, `---` / `===`), indentation of line items
//! (1-4 spaces), `Total ...` labels or plain ones, `(unaudited)` lines and
//! annotations, title lines (company name in capitals or not, statement
//! names), calendar and fiscal (June / September year end) quarters of
//! 2019-2027, net losses, nil rows, an optional EBITDA reconciliation and
//! an optional revenue-by-segment table.

#![allow(dead_code)]

/// splitmix64: tiny, seedable, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_F00D)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi);
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    pub fn usize(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as i64, hi as i64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.usize(0, xs.len() - 1)]
    }
    /// `k` distinct elements of `xs`, in their order in `xs`.
    pub fn subset<T: Clone>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        for i in (1..idx.len()).rev() {
            let j = self.usize(0, i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort();
        chosen.into_iter().map(|i| xs[i].clone()).collect()
    }
}

/// One generated release.
pub struct Release {
    pub seed: u64,
    pub text: String,
    /// The total printed one unit off the sum of its printed lines, if any:
    /// its label and the byte range of its row.
    pub off_by_one: Option<(String, std::ops::Range<usize>)>,
    /// A one-line summary of the choices made, for debugging.
    pub summary: String,
}

// ---------------------------------------------------------------- tables

#[derive(Clone, Copy)]
enum Cell {
    Int(i64),
    /// A per-share amount in cents.
    Cents(i64),
    Nil,
}

enum Row {
    Heading(usize, String),
    Line {
        indent: usize,
        label: String,
        cells: [Cell; 2],
        dollar: bool,
    },
    Rule(bool),
    Blank,
}

struct Style {
    label_w: usize,
    col_w: usize,
    gap: usize,
    /// 0: attached `$48,215`, 1: detached `$  48,215`, 2: no `$`.
    dollar: u8,
    parens: bool,
    nil: &'static str,
    /// Rules drawn as one segment per column (else one line over all).
    segments: bool,
    double_rules: bool,
}

impl Style {
    fn random(r: &mut Rng) -> Style {
        Style {
            label_w: 0,
            col_w: r.usize(10, 14),
            gap: r.usize(1, 5),
            dollar: r.pick(&[0u8, 0, 1, 1, 2]),
            parens: r.chance(0.8),
            nil: r.pick(&["\u{2014}", "-", "--"]),
            segments: r.chance(0.6),
            double_rules: r.chance(0.85),
        }
    }
    fn col_start(&self, c: usize) -> usize {
        self.label_w + self.gap + c * (self.col_w + 1 + self.gap)
    }
    fn width(&self) -> usize {
        self.col_start(2) - self.gap
    }
}

fn commas(v: u64) -> String {
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

fn pad_to(line: &mut String, col: usize) {
    let n = line.chars().count();
    for _ in n..col {
        line.push(' ');
    }
}

/// A figure in a column field of `col_w` characters plus one for `)`.
fn render_cell(st: &Style, cell: Cell, dollar: bool) -> String {
    let (neg, digits) = match cell {
        Cell::Nil => (false, st.nil.to_string()),
        Cell::Int(v) => (v < 0, commas(v.unsigned_abs())),
        Cell::Cents(c) => (
            c < 0,
            format!("{}.{:02}", c.unsigned_abs() / 100, c.unsigned_abs() % 100),
        ),
    };
    let dollar = dollar && st.dollar != 2 && !matches!(cell, Cell::Nil);
    let mut body = String::new();
    if neg && st.parens {
        body.push('(');
    } else if neg {
        body.push('-');
    }
    if dollar && st.dollar == 0 {
        body.insert(0, '$');
    }
    body.push_str(&digits);
    let n = body.chars().count();
    let mut out = String::new();
    if dollar && st.dollar == 1 {
        out.push('$');
        for _ in (n + 1)..st.col_w {
            out.push(' ');
        }
    } else {
        for _ in n..st.col_w {
            out.push(' ');
        }
    }
    out.push_str(&body);
    out.push(if neg && st.parens { ')' } else { ' ' });
    out
}

fn render_rows(
    st: &Style,
    rows: &[Row],
    out: &mut String,
    marks: &mut Vec<(String, usize, usize)>,
) {
    for row in rows {
        let mut line = String::new();
        match row {
            Row::Blank => {}
            Row::Heading(ind, l) => {
                line.push_str(&" ".repeat(*ind));
                line.push_str(l);
            }
            Row::Rule(double) => {
                let ch = if *double && st.double_rules { '=' } else { '-' };
                if st.segments {
                    for c in 0..2 {
                        pad_to(&mut line, st.col_start(c));
                        line.push_str(&ch.to_string().repeat(st.col_w + 1));
                    }
                } else {
                    pad_to(&mut line, st.col_start(0));
                    let w = st.width() - st.col_start(0);
                    line.push_str(&ch.to_string().repeat(w));
                }
            }
            Row::Line {
                indent,
                label,
                cells,
                dollar,
            } => {
                line.push_str(&" ".repeat(*indent));
                line.push_str(label);
                for (c, cell) in cells.iter().enumerate() {
                    pad_to(&mut line, st.col_start(c));
                    line.push_str(&render_cell(st, *cell, *dollar));
                }
            }
        }
        let start = out.len();
        out.push_str(line.trim_end());
        if let Row::Line { label, .. } = row {
            marks.push((label.clone(), start, out.len()));
        }
        out.push('\n');
    }
}

// ----------------------------------------------------------------- names

const SYLLABLES: &[&str] = &[
    "kel", "vor", "tam", "bri", "zan", "quil", "mor", "dra", "fen", "lux", "ora", "pel", "tri",
    "sol", "var", "nex", "ith", "cor", "wyn", "ald", "ber", "cas", "dun", "el", "gar", "hol",
];
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

fn made_up_word(r: &mut Rng) -> String {
    let n = r.usize(2, 3);
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(r.pick(SYLLABLES));
    }
    let mut c = w.chars();
    let first = c.next().unwrap().to_ascii_uppercase();
    format!("{first}{}", c.as_str())
}

// --------------------------------------------------------------- periods

const MONTHS: [&str; 12] = [
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
const MONTH_END: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

fn round_div(n: i64, d: i64) -> i64 {
    // Round half away from zero.
    let q = (2 * n.abs() + d.abs()) / (2 * d.abs());
    if (n < 0) != (d < 0) { -q } else { q }
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

// -------------------------------------------------------------- generate

#[derive(Clone, Copy)]
struct Fig {
    cur: i64,
    prior: i64,
}

fn grow(r: &mut Rng, v: i64) -> i64 {
    // The year-ago figure: -25%..+20% from the current one.
    v * r.range(80, 125) / 100
}

pub fn generate(seed: u64) -> Release {
    let r = &mut Rng::new(seed);
    let mut summary = Vec::new();

    // Company.
    let base = format!("{} {}", made_up_word(r), made_up_word(r));
    let noun = r.pick(NOUNS);
    let short = base.clone();
    let full = format!("{base} {noun}");
    let legal = format!("{full}, Inc.");

    // Period: quarter end month and fiscal quarter number.
    let fiscal_end: usize = r.pick(&[11usize, 11, 11, 11, 5, 8]); // Dec, Jun, Sep
    let q = r.usize(1, 4);
    let end_month = (fiscal_end + 3 * q) % 12;
    let cal_year = r.range(2020, 2027) as i32;
    // Fiscal year named after the year it ends in.
    let fiscal_year = if end_month > fiscal_end {
        cal_year + 1
    } else {
        cal_year
    };
    let day = MONTH_END[end_month];
    let month = MONTHS[end_month];
    let calendar = fiscal_end == 11;
    let prior_fy_month = MONTHS[fiscal_end];
    let prior_fy_day = MONTH_END[fiscal_end];
    let prior_fy_year = if fiscal_end < end_month {
        cal_year
    } else {
        cal_year - 1
    };
    let first_fiscal_quarter = q == 1;
    summary.push(format!("{month} {day}, {cal_year} (Q{q} FY{fiscal_year})"));

    let in_millions = r.chance(0.2);
    let mag: i64 = if in_millions {
        r.range(200, 9_000)
    } else {
        r.range(8_000, 900_000)
    };
    summary.push(if in_millions { "millions" } else { "thousands" }.to_string());

    // Revenue lines.
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
    let mut revs = Vec::new();
    for _ in 0..n_rev {
        let c = mag * r.range(20, 100) / 100 / n_rev as i64 + 1;
        let p = grow(r, c);
        revs.push(Fig { cur: c, prior: p });
    }
    let rev = Fig {
        cur: revs.iter().map(|f| f.cur).sum(),
        prior: revs.iter().map(|f| f.prior).sum(),
    };
    // Costs.
    let split_cost = n_rev == 2 && r.chance(0.5);
    let mut costs = Vec::new();
    let gm = r.range(25, 75);
    if split_cost {
        for f in &revs {
            costs.push(Fig {
                cur: f.cur * (100 - gm + r.range(-5, 5)) / 100,
                prior: f.prior * (100 - gm + r.range(-5, 5)) / 100,
            });
        }
    } else {
        costs.push(Fig {
            cur: rev.cur * (100 - gm) / 100,
            prior: rev.prior * (100 - gm + r.range(-3, 3)) / 100,
        });
    }
    let cost = Fig {
        cur: costs.iter().map(|f| f.cur).sum(),
        prior: costs.iter().map(|f| f.prior).sum(),
    };
    let gp = Fig {
        cur: rev.cur - cost.cur,
        prior: rev.prior - cost.prior,
    };
    // Operating expenses.
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
    let margin = r.range(-15, 30); // operating margin, percent of revenue
    let opex_budget_cur = (gp.cur - rev.cur * margin / 100).max(n_opex as i64);
    let opex_budget_prior =
        (gp.prior - rev.prior * (margin + r.range(-8, 8)) / 100).max(n_opex as i64);
    let mut opex = Vec::new();
    let weights: Vec<i64> = (0..n_opex).map(|_| r.range(5, 40)).collect();
    let wsum: i64 = weights.iter().sum();
    for (i, w) in weights.iter().enumerate() {
        let mut c = opex_budget_cur * w / wsum;
        let mut p = opex_budget_prior * w / wsum;
        if opex_names[i].starts_with("Restructuring") && r.chance(0.5) {
            if r.chance(0.5) {
                c = 0;
            } else {
                p = 0;
            }
        }
        opex.push(Fig { cur: c, prior: p });
    }
    let mut opex_total = Fig {
        cur: opex.iter().map(|f| f.cur).sum(),
        prior: opex.iter().map(|f| f.prior).sum(),
    };
    // The off-by-one total (rounded from unrounded amounts).
    let off_by_one = r.chance(0.1);
    let off_delta = if r.chance(0.5) { 1 } else { -1 };
    if off_by_one {
        opex_total.cur += off_delta;
        summary.push("off-by-one opex".to_string());
    }
    let oi = Fig {
        cur: gp.cur - opex_total.cur,
        prior: gp.prior - opex_total.prior,
    };
    let other = Fig {
        cur: mag * r.range(-4, 3) / 100,
        prior: mag * r.range(-4, 3) / 100,
    };
    let pretax = Fig {
        cur: oi.cur + other.cur,
        prior: oi.prior + other.prior,
    };
    let tax_of = |r: &mut Rng, p: i64| {
        if p > 0 {
            p * r.range(10, 30) / 100
        } else if r.chance(0.5) {
            0
        } else {
            r.range(0, (mag / 200).max(1))
        }
    };
    let tax = Fig {
        cur: tax_of(r, pretax.cur),
        prior: tax_of(r, pretax.prior),
    };
    let ni = Fig {
        cur: pretax.cur - tax.cur,
        prior: pretax.prior - tax.prior,
    };
    // Shares (in the table's scale) and EPS in cents.
    let eps_target = r.range(5, 300); // cents of |net income| per share, roughly
    let shares_cur = (ni.cur.abs() * 100 / eps_target).max(if in_millions { 20 } else { 2_000 });
    let shares_prior = shares_cur * r.range(90, 100) / 100;
    let dil = |r: &mut Rng, s: i64, n: i64| {
        if n > 0 {
            s + s * r.range(1, 5) / 100
        } else {
            s
        }
    };
    let dil_cur = dil(r, shares_cur, ni.cur);
    let dil_prior = dil(r, shares_prior, ni.prior);
    let eps = |n: i64, s: i64| round_div(n * 100, s);
    let any_loss = ni.cur <= 0 || ni.prior <= 0;

    // Labels by sign.
    let both_neg = |f: &Fig| f.cur < 0 && f.prior < 0;
    let both_pos = |f: &Fig| f.cur >= 0 && f.prior >= 0;
    let oi_label = if both_neg(&oi) {
        r.pick(&["Operating loss", "Loss from operations"])
    } else if both_pos(&oi) {
        r.pick(&["Operating income", "Income from operations"])
    } else {
        r.pick(&["Operating income (loss)", "Income (loss) from operations"])
    };
    let pretax_label = if both_neg(&pretax) {
        "Loss before income taxes"
    } else if both_pos(&pretax) {
        "Income before income taxes"
    } else {
        "Income (loss) before income taxes"
    };
    let ni_label = if both_neg(&ni) {
        "Net loss"
    } else if both_pos(&ni) {
        "Net income"
    } else {
        "Net income (loss)"
    };

    // ---------------------------------------------------------- layout
    let mut st = Style::random(r);
    let ind = r.usize(1, 4);
    let tot_ind = if r.chance(0.5) {
        ind
    } else {
        ind + r.usize(1, 3)
    };
    let mut is_rows: Vec<Row> = Vec::new();
    let d = |f: &Fig| [Cell::Int(f.cur), Cell::Int(f.prior)];
    let nil = |f: &Fig| {
        let c = |v: i64| if v == 0 { Cell::Nil } else { Cell::Int(v) };
        [c(f.cur), c(f.prior)]
    };
    let line = |indent: usize, label: &str, cells: [Cell; 2], dollar: bool| Row::Line {
        indent,
        label: label.to_string(),
        cells,
        dollar,
    };
    let rev_label_single = r.pick(&["Revenue", "Net revenue", "Revenues", "Total revenue"]);
    if n_rev == 1 {
        is_rows.push(line(0, rev_label_single, d(&rev), true));
    } else {
        is_rows.push(Row::Heading(0, "Revenue:".into()));
        for (i, f) in revs.iter().enumerate() {
            is_rows.push(line(ind, rev_names[i], d(f), i == 0));
        }
        is_rows.push(Row::Rule(false));
        is_rows.push(line(tot_ind, "Total revenue", d(&rev), true));
    }
    if split_cost {
        is_rows.push(Row::Heading(0, "Cost of revenue:".into()));
        for (i, f) in costs.iter().enumerate() {
            let name = rev_names[i].replace(" revenue", "").to_lowercase();
            is_rows.push(line(ind, &format!("Cost of {name} revenue"), d(f), false));
        }
        is_rows.push(Row::Rule(false));
        is_rows.push(line(tot_ind, "Total cost of revenue", d(&cost), false));
    } else {
        is_rows.push(line(
            0,
            r.pick(&["Cost of revenue", "Cost of revenues", "Cost of sales"]),
            d(&cost),
            false,
        ));
    }
    is_rows.push(Row::Rule(false));
    is_rows.push(line(
        0,
        if r.chance(0.8) {
            "Gross profit"
        } else {
            "Gross margin"
        },
        d(&gp),
        false,
    ));
    is_rows.push(Row::Heading(0, "Operating expenses:".into()));
    for (i, f) in opex.iter().enumerate() {
        is_rows.push(line(ind, opex_names[i], nil(f), false));
    }
    is_rows.push(Row::Rule(false));
    let opex_label = "Total operating expenses";
    is_rows.push(line(tot_ind, opex_label, d(&opex_total), false));
    is_rows.push(Row::Rule(false));
    is_rows.push(line(0, oi_label, d(&oi), false));
    is_rows.push(line(
        0,
        r.pick(&[
            "Other income (expense), net",
            "Interest and other income (expense), net",
        ]),
        nil(&other),
        false,
    ));
    is_rows.push(Row::Rule(false));
    is_rows.push(line(0, pretax_label, d(&pretax), false));
    is_rows.push(line(
        0,
        r.pick(&[
            "Provision for income taxes",
            "Income tax provision",
            "Income tax expense",
        ]),
        nil(&tax),
        false,
    ));
    is_rows.push(Row::Rule(false));
    is_rows.push(line(0, ni_label, d(&ni), true));
    is_rows.push(Row::Rule(true));
    is_rows.push(Row::Blank);
    let eps_c = [
        Cell::Cents(eps(ni.cur, shares_cur)),
        Cell::Cents(eps(ni.prior, shares_prior)),
    ];
    let eps_d = [
        Cell::Cents(eps(ni.cur, dil_cur)),
        Cell::Cents(eps(ni.prior, dil_prior)),
    ];
    let word = if both_neg(&ni) {
        "Net loss"
    } else if both_pos(&ni) {
        "Net income"
    } else {
        "Net income (loss)"
    };
    if any_loss {
        is_rows.push(line(
            0,
            &format!("{word} per share - basic and diluted"),
            eps_c,
            true,
        ));
        is_rows.push(line(
            0,
            "Weighted average shares outstanding - basic and diluted",
            [Cell::Int(shares_cur), Cell::Int(shares_prior)],
            false,
        ));
    } else {
        is_rows.push(line(0, &format!("{word} per share - basic"), eps_c, true));
        is_rows.push(line(0, &format!("{word} per share - diluted"), eps_d, true));
        is_rows.push(line(
            0,
            "Weighted average shares outstanding - basic",
            [Cell::Int(shares_cur), Cell::Int(shares_prior)],
            false,
        ));
        is_rows.push(line(
            0,
            "Weighted average shares outstanding - diluted",
            [Cell::Int(dil_cur), Cell::Int(dil_prior)],
            false,
        ));
    }

    // ---------------------------------------------------- balance sheet
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
    let cs = Fig {
        cur: r.range(1, 300),
        prior: 0,
    };
    let cs = Fig {
        cur: cs.cur,
        prior: (cs.cur - r.range(0, 2)).max(1),
    };
    let aoci = Fig {
        cur: bs_mag * r.range(-20, 10) / 1000,
        prior: bs_mag * r.range(-20, 10) / 1000,
    };
    // Accumulated deficit rolls forward by net income between the two
    // balance-sheet dates when those are one quarter apart.
    let deficit = r.chance(0.5);
    let re = if deficit {
        let prior = -(bs_mag * r.range(100, 900) / 1000) - 1;
        let cur = if first_fiscal_quarter {
            prior + ni.cur
        } else {
            prior + ni.cur * r.range(2, 4)
        };
        Fig { cur, prior }
    } else {
        let prior = bs_mag * r.range(100, 600) / 1000 + 1;
        Fig {
            cur: prior + ni.cur.max(0) * r.range(1, 3) / 2,
            prior,
        }
    };
    // Paid-in capital keeps equity positive.
    let apic = Fig {
        cur: (bs_mag * r.range(300, 900) / 1000).max(-re.cur + bs_mag / 5) + 1,
        prior: 0,
    };
    let apic = Fig {
        cur: apic.cur,
        prior: (apic.cur * r.range(92, 100) / 100).max(-re.prior + bs_mag / 5),
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
    // Assets: lines by weight, cash takes the remainder.
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
    // If the weights left no cash, the liabilities absorb the gap.
    let (tl, tle, other_ll_adj) = if cash_ok {
        (tl, tle, 0)
    } else {
        let adj_c = ta.cur - tle.cur;
        let adj_p = ta.prior - tle.prior;
        (
            Fig {
                cur: tl.cur + adj_c,
                prior: tl.prior + adj_p,
            },
            Fig {
                cur: ta.cur,
                prior: ta.prior,
            },
            1,
        )
    };
    let _ = other_ll_adj;
    let mut bs_rows: Vec<Row> = Vec::new();
    let bs_ind = r.usize(1, 4);
    bs_rows.push(Row::Heading(r.usize(10, 20), "ASSETS".into()));
    bs_rows.push(Row::Heading(0, "Current assets:".into()));
    bs_rows.push(line(bs_ind, "Cash and cash equivalents", d(&cash), true));
    for (i, name) in ca_names.iter().enumerate() {
        bs_rows.push(line(bs_ind, name, d(&asset_lines[i]), false));
    }
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(bs_ind + 2, "Total current assets", d(&tca), false));
    for (i, name) in nca_names.iter().enumerate() {
        bs_rows.push(line(0, name, d(&asset_lines[n_ca + i]), false));
    }
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(bs_ind + 2, "Total assets", d(&ta), true));
    bs_rows.push(Row::Rule(true));
    bs_rows.push(Row::Blank);
    bs_rows.push(Row::Heading(
        r.usize(4, 12),
        "LIABILITIES AND STOCKHOLDERS' EQUITY".into(),
    ));
    bs_rows.push(Row::Heading(0, "Current liabilities:".into()));
    for (i, name) in cl_names.iter().enumerate() {
        bs_rows.push(line(bs_ind, name, d(&cls[i]), i == 0));
    }
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(
        bs_ind + 2,
        "Total current liabilities",
        d(&tcl),
        false,
    ));
    let ll_total_c = tl.cur - tcl.cur;
    let ll_total_p = tl.prior - tcl.prior;
    // The last long-term line absorbs any adjustment.
    for (i, name) in ll_names.iter().enumerate() {
        let f = if i + 1 == n_ll {
            Fig {
                cur: ll_total_c - lls[..i].iter().map(|f| f.cur).sum::<i64>(),
                prior: ll_total_p - lls[..i].iter().map(|f| f.prior).sum::<i64>(),
            }
        } else {
            Fig {
                cur: lls[i].cur,
                prior: lls[i].prior,
            }
        };
        bs_rows.push(line(0, name, d(&f), false));
    }
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(bs_ind + 2, "Total liabilities", d(&tl), false));
    bs_rows.push(Row::Heading(0, "Stockholders' equity:".into()));
    bs_rows.push(line(bs_ind, "Common stock", d(&cs), false));
    bs_rows.push(line(bs_ind, "Additional paid-in capital", d(&apic), false));
    bs_rows.push(line(
        bs_ind,
        "Accumulated other comprehensive income (loss)",
        nil(&aoci),
        false,
    ));
    bs_rows.push(line(
        bs_ind,
        if deficit {
            "Accumulated deficit"
        } else {
            "Retained earnings"
        },
        d(&re),
        false,
    ));
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(
        bs_ind + 2,
        "Total stockholders' equity",
        d(&eq),
        false,
    ));
    bs_rows.push(Row::Rule(false));
    bs_rows.push(line(
        bs_ind + 2,
        "Total liabilities and stockholders' equity",
        d(&tle),
        true,
    ));
    bs_rows.push(Row::Rule(true));

    // ----------------------------------------------------- EBITDA table
    let ebitda = r.chance(0.4);
    let interest = Fig {
        cur: r.range(0, mag / 50 + 1),
        prior: r.range(0, mag / 50 + 1),
    };
    let dep = Fig {
        cur: mag * r.range(1, 8) / 100 + 1,
        prior: mag * r.range(1, 8) / 100 + 1,
    };
    let sbc = Fig {
        cur: mag * r.range(1, 6) / 100 + 1,
        prior: mag * r.range(1, 6) / 100 + 1,
    };
    let eb = Fig {
        cur: ni.cur + tax.cur + interest.cur + dep.cur + sbc.cur,
        prior: ni.prior + tax.prior + interest.prior + dep.prior + sbc.prior,
    };
    let mut eb_rows = Vec::new();
    if ebitda {
        eb_rows.push(line(0, ni_label, d(&ni), true));
        eb_rows.push(line(ind, "Interest expense, net", nil(&interest), false));
        eb_rows.push(line(ind, "Provision for income taxes", nil(&tax), false));
        eb_rows.push(line(ind, "Depreciation and amortization", d(&dep), false));
        eb_rows.push(line(ind, "Stock-based compensation", d(&sbc), false));
        eb_rows.push(Row::Rule(false));
        eb_rows.push(line(0, "Adjusted EBITDA", d(&eb), true));
        eb_rows.push(Row::Rule(true));
    }

    // ----------------------------------------------------------- headers
    let longest = is_rows
        .iter()
        .chain(bs_rows.iter())
        .chain(eb_rows.iter())
        .filter_map(|row| match row {
            Row::Line { indent, label, .. } => Some(indent + label.len()),
            Row::Heading(i, l) => Some(i + l.len()),
            _ => None,
        })
        .max()
        .unwrap_or(40);
    st.label_w = longest + r.usize(1, 8);
    let header_style = r.pick(&[0u8, 0, 0, 1, 1, 2, 3]);
    if header_style == 2 {
        st.col_w = st.col_w.max(14);
    }
    // A column is at least as wide as its widest header piece
    // ("September 30," and "December 31," over the balance sheet).
    let prior_fy_w = MONTHS[fiscal_end].len() + 4;
    st.col_w = st.col_w.max(month.len() + 4).max(prior_fy_w).max(11);
    summary.push(format!(
        "header {header_style}, col {} gap {} dollar {} parens {} nil {:?} segments {}",
        st.col_w, st.gap, st.dollar, st.parens, st.nil, st.segments
    ));
    let abbrev = &month[..3];
    let years = [cal_year, cal_year - 1];
    let mut is_header: Vec<Vec<String>> = Vec::new(); // lines of [span or per column]
    let span_line = |st: &Style, text: &str| {
        let from = st.col_start(0);
        let w = st.width() - from;
        let n = text.chars().count();
        let mut l = " ".repeat(from + w.saturating_sub(n) / 2);
        l.push_str(text);
        l
    };
    let per_col = |st: &Style, texts: [&str; 2]| {
        let mut l = String::new();
        for (c, t) in texts.iter().enumerate() {
            let end = st.col_start(c) + st.col_w;
            let n = t.chars().count();
            pad_to(&mut l, end.saturating_sub(n));
            l.push_str(t);
        }
        l
    };
    let rule_under = |st: &Style| {
        let mut l = String::new();
        pad_to(&mut l, st.col_start(0));
        l.push_str(&"-".repeat(st.width() - st.col_start(0)));
        l
    };
    let ys = [years[0].to_string(), years[1].to_string()];
    match header_style {
        0 => {
            let head = if r.chance(0.5) {
                "Three Months Ended".to_string()
            } else {
                format!("Three Months Ended {month} {day},")
            };
            is_header.push(vec![span_line(&st, &head)]);
            if r.chance(0.4) {
                is_header.push(vec![rule_under(&st)]);
            }
            if !head.contains(',') {
                let md = format!("{month} {day},");
                is_header.push(vec![per_col(&st, [&md, &md])]);
            }
            is_header.push(vec![per_col(&st, [&ys[0], &ys[1]])]);
        }
        1 => {
            is_header.push(vec![span_line(&st, "Three Months Ended")]);
            is_header.push(vec![per_col(&st, [month, month])]);
            let dd = format!("{day},");
            is_header.push(vec![per_col(&st, [&dd, &dd])]);
            is_header.push(vec![per_col(&st, [&ys[0], &ys[1]])]);
        }
        2 => {
            is_header.push(vec![per_col(&st, ["Quarter Ended", "Quarter Ended"])]);
            let a = format!("{abbrev}. {day}, {}", ys[0]);
            let b = format!("{abbrev}. {day}, {}", ys[1]);
            let (a, b) = if month.len() <= 5 {
                (
                    format!("{month} {day}, {}", ys[0]),
                    format!("{month} {day}, {}", ys[1]),
                )
            } else {
                (a, b)
            };
            is_header.push(vec![per_col(&st, [&a, &b])]);
        }
        _ => {
            let a = format!("Q{q} {}", fiscal_year);
            let b = format!("Q{q} {}", fiscal_year - 1);
            is_header.push(vec![per_col(&st, [&a, &b])]);
        }
    }
    let unaudited_line = r.chance(0.4);
    if !unaudited_line && r.chance(0.3) {
        is_header.push(vec![per_col(&st, ["(unaudited)", "(unaudited)"])]);
    }
    is_header.push(vec![rule_under(&st)]);

    let bs_header_style = r.usize(0, 1);
    let mut bs_header: Vec<String> = Vec::new();
    let prior_md = format!("{prior_fy_month} {prior_fy_day},");
    let cur_md = format!("{month} {day},");
    let py = prior_fy_year.to_string();
    if bs_header_style == 0 || st.col_w < 14 {
        bs_header.push(per_col(&st, [&cur_md, &prior_md]));
        bs_header.push(per_col(&st, [&ys[0], &py]));
    } else {
        let a = format!("{abbrev}. {day}, {}", ys[0]);
        let b = format!("{}. {prior_fy_day}, {py}", &prior_fy_month[..3]);
        bs_header.push(per_col(&st, [&a, &b]));
    }
    if r.chance(0.4) {
        bs_header.push(per_col(&st, ["(unaudited)", ""]));
    }
    bs_header.push(rule_under(&st));

    // ------------------------------------------------------------ text
    let mut out = String::new();
    let mut marks = Vec::new();
    let ord = ORDINALS[q - 1];
    let (this_q, year_ago_q) = if calendar {
        (
            format!("{ord} quarter of {cal_year}"),
            format!("{ord} quarter of {}", cal_year - 1),
        )
    } else {
        (
            format!("quarter ended {month} {day}, {cal_year}"),
            format!("quarter ended {month} {day}, {}", cal_year - 1),
        )
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
    out.push_str(&headline);
    out.push_str("\n\n");
    let city = r.pick(CITIES);
    let rel_month = MONTHS[(end_month + 1) % 12];
    let rel_year = if end_month == 11 {
        cal_year + 1
    } else {
        cal_year
    };
    out.push_str(&wrap(
        &format!(
            "{city}, {rel_month} {}, {rel_year} -- {legal} (Nasdaq: {}) today announced \
             financial results for its fiscal {ord} quarter ended {month} {day}, {cal_year}.",
            r.range(3, 27),
            short
                .to_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .take(4)
                .collect::<String>(),
        ),
        r.usize(70, 84),
    ));
    out.push('\n');
    let width = r.usize(70, 84);
    let m = |v: i64| millions(v, in_millions);
    let pct = |a: i64, b: i64| round_div((a - b) * 100, b.abs().max(1));
    let mut para = String::new();
    let p = pct(rev.cur, rev.prior);
    let up = if p >= 0 { "up" } else { "down" };
    let inc = if p >= 0 { "an increase" } else { "a decrease" };
    let pct_ok = p != 0 && millions(rev.cur, in_millions) != millions(rev.prior, in_millions);
    match r.usize(0, 2) {
        0 if pct_ok => para.push_str(&format!(
            "Revenue for the {this_q} was ${} million, {up} {}% from ${} million in the {year_ago_q}.",
            m(rev.cur),
            p.abs(),
            m(rev.prior)
        )),
        1 if pct_ok => para.push_str(&format!(
            "Total revenue was ${} million for the {this_q} compared with ${} million for the \
             {year_ago_q}, {inc} of {}%.",
            m(rev.cur),
            m(rev.prior),
            p.abs()
        )),
        _ => para.push_str(&format!(
            "Revenue for the {this_q} was ${} million compared with ${} million for the {year_ago_q}.",
            m(rev.cur),
            m(rev.prior)
        )),
    }
    if r.chance(0.5) {
        para.push_str(&format!(
            " Gross profit for the quarter was ${} million.",
            m(gp.cur)
        ));
    }
    out.push('\n');
    out.push_str(&wrap(&para, width));
    let mut para = String::new();
    let e_cur = if any_loss {
        eps(ni.cur, shares_cur)
    } else {
        eps(ni.cur, dil_cur)
    };
    let e_prior = if any_loss {
        eps(ni.prior, shares_prior)
    } else {
        eps(ni.prior, dil_prior)
    };
    let per = if any_loss {
        "per share"
    } else {
        "per diluted share"
    };
    let kind = |v: i64| if v < 0 { "net loss" } else { "net income" };
    if ni.cur != 0 && ni.prior != 0 && ni.cur.abs() >= if in_millions { 1 } else { 100 } {
        para.push_str(&format!(
            "{} for the {this_q} was ${} million, or ${} {per}, compared with {} {} of ${} \
             million, or ${} {per}, in the {year_ago_q}.",
            kind(ni.cur),
            m(ni.cur.abs()),
            cents(e_cur),
            if ni.prior < 0 { "a" } else { "" },
            kind(ni.prior),
            m(ni.prior.abs()),
            cents(e_prior),
        ));
        let para2 = para.replace("with  net", "with net");
        out.push('\n');
        out.push_str(&wrap(&capitalize(&para2), width));
    }
    if ebitda && eb.cur > 0 && r.chance(0.6) {
        out.push('\n');
        out.push_str(&wrap(
            &format!(
                "Adjusted EBITDA for the {this_q} was ${} million.",
                m(eb.cur)
            ),
            width,
        ));
    }
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "{full} will host a conference call at 5:00 p.m. Eastern Time today. Dial \
             800.555.{:04} and enter passcode {}. {full} is a fictional company; the figures \
             in this release are generated test data.",
            r.range(100, 9999),
            r.range(1_000_000, 9_999_999)
        ),
        width,
    ));

    let scale_is = if in_millions {
        r.pick(&[
            "(In millions, except per share data)",
            "(in millions, except per share amounts)",
        ])
    } else {
        r.pick(&[
            "(In thousands, except per share data)",
            "(in thousands, except per share amounts)",
            "(Dollars in thousands, except per share amounts)",
        ])
    };
    let scale_bs = if in_millions {
        r.pick(&["(In millions)", "(in millions)"])
    } else {
        r.pick(&["(In thousands)", "(in thousands)", "($000)"])
    };
    let title_name = if r.chance(0.7) {
        legal.to_uppercase()
    } else {
        legal.clone()
    };
    let centre = |w: usize, t: &str| {
        let n = t.chars().count();
        format!("{}{t}\n", " ".repeat(w.saturating_sub(n) / 2))
    };
    let w = st.width();
    // Income statement.
    out.push_str("\n\n");
    out.push_str(&centre(w, &title_name));
    out.push_str(&centre(
        w,
        r.pick(&[
            "Condensed Consolidated Statements of Operations",
            "Consolidated Statements of Income",
            "Condensed Consolidated Statements of Income (Loss)",
        ]),
    ));
    if unaudited_line {
        out.push_str(&centre(w, "(Unaudited)"));
    }
    out.push_str(&centre(w, scale_is));
    out.push('\n');
    for l in is_header.iter().flatten() {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    let is_start = marks.len();
    render_rows(&st, &is_rows, &mut out, &mut marks);
    let opex_mark = marks[is_start..]
        .iter()
        .find(|m| m.0 == opex_label)
        .cloned();
    // Segment table (revenue again, by segment).
    if r.chance(0.3) && n_rev == 1 {
        let n = r.usize(2, 3);
        let names = r.subset(
            &["North America", "Europe", "Asia Pacific", "Rest of world"],
            n,
        );
        let mut cur_left = rev.cur;
        let mut prior_left = rev.prior;
        let mut rows = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let (c, p) = if i + 1 == n {
                (cur_left, prior_left)
            } else {
                let c = rev.cur * r.range(15, 45) / 100;
                let p = rev.prior * r.range(15, 45) / 100;
                (c, p)
            };
            cur_left -= c;
            prior_left -= p;
            rows.push(line(ind, name, [Cell::Int(c), Cell::Int(p)], i == 0));
        }
        rows.push(Row::Rule(false));
        rows.push(line(0, "Total revenue", d(&rev), true));
        rows.push(Row::Rule(true));
        out.push_str("\n\n");
        out.push_str(&centre(w, "Revenue by Geography"));
        out.push_str(&centre(w, scale_bs));
        out.push('\n');
        for l in is_header.iter().flatten() {
            out.push_str(l.trim_end());
            out.push('\n');
        }
        render_rows(&st, &rows, &mut out, &mut marks);
        summary.push("segments".into());
    }
    if ebitda {
        out.push_str("\n\n");
        out.push_str(&centre(
            w,
            &format!("Reconciliation of GAAP {ni_label} to Adjusted EBITDA"),
        ));
        out.push_str(&centre(w, scale_bs));
        out.push('\n');
        for l in is_header.iter().flatten() {
            out.push_str(l.trim_end());
            out.push('\n');
        }
        render_rows(&st, &eb_rows, &mut out, &mut marks);
        summary.push("ebitda".into());
    }
    out.push_str("\n\n");
    out.push_str(&centre(w, &title_name));
    out.push_str(&centre(w, "Condensed Consolidated Balance Sheets"));
    out.push_str(&centre(w, scale_bs));
    out.push('\n');
    for l in &bs_header {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    render_rows(&st, &bs_rows, &mut out, &mut marks);
    out.push_str("\n\nCONTACT: Investor Relations, ir@example.invalid\n");

    let off = if off_by_one {
        opex_mark.map(|(l, a, b)| (l, a..b))
    } else {
        None
    };
    Release {
        seed,
        text: out,
        off_by_one: off,
        summary: summary.join("; "),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Fills words into lines of at most `width` characters; a paragraph ends
/// with a blank line.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}
