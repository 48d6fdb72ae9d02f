//! Documentation generated from the rule pack: `tieout explain ID` and
//! docs/rules.md. Nothing here is written by hand per rule, so the published
//! docs cannot drift from the rules that run.

use std::fmt::Write as _;

use super::load::{Rule, RulePack};

/// What `tieout explain ID` prints.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", rule.id, rule.severity);
    let _ = writeln!(out, "{}", rule.title);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "kind: {}    scope: {}",
        rule.kind.as_str(),
        rule.scope.as_str()
    );
    if let Some(a) = &rule.assert_src {
        let _ = writeln!(out, "assertion: {a}");
        let _ = writeln!(out, "tolerance: {}", rule.tolerance);
    }
    if !rule.concepts.is_empty() {
        let _ = writeln!(out, "concepts: {}", rule.concepts.join(", "));
    }
    let _ = writeln!(out, "source: {}", rule.source);
    for (heading, body) in [
        ("What it checks", &rule.docs.checks),
        ("Why it matters", &rule.docs.why),
        ("Example", &rule.docs.example),
        ("Help", &rule.help),
    ] {
        let _ = writeln!(out);
        let _ = writeln!(out, "{heading}:");
        for line in body.trim_end().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(url) = rule.url() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{url}");
    }
    out
}

/// docs/rules.md: the language reference, then one section per rule.
pub fn rules_markdown(pack: &RulePack) -> String {
    let mut out = String::new();
    out.push_str(REFERENCE);
    out.push_str("\n## Rules\n\n");
    out.push_str("| id | severity | kind | title |\n|---|---|---|---|\n");
    for r in pack.rules() {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.id,
            r.id,
            r.severity,
            r.kind.as_str(),
            r.title
        );
    }
    for r in pack.rules() {
        out.push('\n');
        rule_section(&mut out, r);
    }
    out.push_str("\n## Concepts\n\n");
    out.push_str(
        "The default dictionary, in matching order (first match wins). \
         See `rules/concepts.yaml` for the label patterns.\n\n",
    );
    out.push_str("| concept | unit | sign |\n|---|---|---|\n");
    for c in pack.concepts().iter() {
        let unit = match c.unit {
            super::concepts::Unit::Money => "money",
            super::concepts::Unit::Shares => "shares",
            super::concepts::Unit::PerShare => "per_share",
            super::concepts::Unit::Percent => "percent",
        };
        let sign = match c.sign {
            super::concepts::SignConvention::Fixed => "fixed",
            super::concepts::SignConvention::Either => "either",
        };
        let _ = writeln!(out, "| `{}` | {unit} | {sign} |", c.id);
    }
    out
}

fn rule_section(out: &mut String, r: &Rule) {
    let _ = writeln!(out, "<a id=\"{}\"></a>", r.id);
    let _ = writeln!(out, "### {}", r.id);
    out.push('\n');
    let _ = writeln!(out, "**{}**", r.title);
    out.push('\n');
    let _ = writeln!(
        out,
        "Severity: {} · kind: `{}` · scope: `{}`",
        r.severity,
        r.kind.as_str(),
        r.scope.as_str()
    );
    if let Some(a) = &r.assert_src {
        out.push('\n');
        let _ = writeln!(out, "```text\n{a}\n```");
        out.push('\n');
        let _ = writeln!(out, "Tolerance: {}", r.tolerance);
    }
    if !r.concepts.is_empty() {
        out.push('\n');
        let list: Vec<String> = r.concepts.iter().map(|c| format!("`{c}`")).collect();
        let _ = writeln!(out, "Concepts: {}", list.join(", "));
    }
    out.push('\n');
    let _ = writeln!(out, "**What it checks.** {}", r.docs.checks.trim());
    out.push('\n');
    let _ = writeln!(out, "**Why it matters.** {}", r.docs.why.trim());
    out.push('\n');
    let _ = writeln!(
        out,
        "**Example.**\n\n```text\n{}\n```",
        r.docs.example.trim_end()
    );
    out.push('\n');
    let _ = writeln!(out, "**Help.** {}", r.help.trim());
}

const REFERENCE: &str = r#"# tieout rules

<!-- Generated from rules/*.yaml by `rules_markdown`; do not edit by hand.
     Regenerate with `TIEOUT_BLESS=1 cargo test --test rules_docs`. -->

tieout checks an earnings release against a pack of rules. Each rule is one
YAML entry with a stable id; `tieout explain ID` prints the same text as the
rule's section below.

## Writing a rule file

A rule file holds a list under `rules:`. Unknown keys are errors, and every
error points at the offending bytes of the file.

| key | required | meaning |
|---|---|---|
| `id` | yes | kebab-case, unique in the file; a user rule with a default rule's id replaces it |
| `title` | yes | one line naming the problem the rule reports |
| `severity` | yes | `error`, `warning` or `note` |
| `kind` | yes | `assert`, `footing`, `cross-table`, `ytd-contains`, `change-column`, `percent-change`, `bps-change`, `total-column`, `period-sum`, `cash-tie`, `roll-forward`, `prior-release`, `prior-restated`, `narrative` or `parse` |
| `scope` | yes | `instant`, `duration`, `roll`, `table` or `document` |
| `assert` | kind `assert` only | an assertion in the language below |
| `concepts` | no | for `cross-table` and `ytd-contains`: only these concepts |
| `tolerance` | no | `rounding` (default), `{absolute: "1"}` or `{relative: "0.001"}` |
| `help` | yes | shown under each finding |
| `docs` | yes | `checks`, `why` and `example`, published here |

Pass a file or a folder with `--rules PATH`; a folder's `*.yaml` files load
in name order. This file lowers one default rule to a note and adds a
rule of its own:

```yaml
rules:
  # Same id as the default: replaces it.
  - id: accumulated-deficit-roll
    title: Change in accumulated deficit differs from net income
    severity: note
    kind: assert
    scope: roll
    assert: "accumulated_deficit@end - accumulated_deficit@start == net_income"
    help: We pay dividends every quarter; this is informational only.
    docs:
      checks: The change in accumulated deficit equals net income.
      why: Retained earnings roll forward by net income less dividends.
      example: |
        (762,198) - (758,294) = (3,904), the net loss for the quarter.
  # A new rule.
  - id: current-ratio-below-one
    title: Current liabilities exceed current assets
    severity: warning
    kind: assert
    scope: instant
    assert: "total_current_assets >= total_current_liabilities"
    tolerance: {absolute: "0"}
    help: Not an arithmetic error; flags a liquidity position worth a second look.
    docs:
      checks: Total current assets are at least total current liabilities.
      why: A current ratio below one is a going-concern signal.
      example: |
        March 31, 2006: 169,496 >= 65,940. Holds.
```

## Kinds

- `assert`: evaluates the `assert:` expression for every binding of its
  scope where all required concepts are present; otherwise the rule is
  skipped for that binding.
- `footing`: a row printed under a rule line equals the signed sum of the
  rows it covers.
- `cross-table`: a concept and period printed in several tables carries the
  same amount everywhere.
- `ytd-contains`: a longer period's flow is at least the flow of a quarter
  it contains.
- `change-column`: in every row, a change column (`Change`, `Increase
  (Decrease)`, `B/(W)`) holds the current period's figure less the prior
  period's (the two nearest dated columns to its left); a column headed
  better/worse, or whose rows fit both signs, is checked on magnitudes.
- `percent-change`: in every row, a percent-change column (`% Change`,
  `% Chg`) holds the change over the prior figure, for some amounts the
  rounded figures may stand for.
- `bps-change`: a change column in basis points (`Change (bps)`, or
  `120 bps` cells) holds the change of two percentages times 100.
- `total-column`: a `Total` or `Consolidated` column of a segment table
  holds the sum of the same period's segment columns.
- `period-sum`: a flow's figure for a period equals the sum of the
  periods printed in the same row that cover it end to end (four quarters
  and their year; nine months and the fourth quarter).
- `cash-tie`: the cash flow statement's cash at the end (beginning) of a
  period equals the balance sheet's cash on the period's last day (the day
  before its first).
- `roll-forward`: in a table shaped as a roll-forward (a row labelled as an
  opening balance, movement rows, a row labelled as a closing balance; or
  the dated `Balance at ...` rows of an equity statement), each column's
  opening balance plus its movements equals its closing balance.
- `prior-release`, `prior-restated`: a comparative figure equals what the
  earlier release (`--prior`, `--pair`) printed for the same period; under
  a column marked as restated a difference is a note.
- `narrative`: amounts, signs, percentages, periods and per-share figures
  stated in the text agree with the tables.
- `parse`: reports a region the parser could not read (a value that lines
  up with no column, a column header that names no period, an HTML
  exhibit), so a reviewer knows which figures were not checked.

## Scopes

- `instant`: one balance-sheet date (one balance-sheet column).
- `duration`: one reporting period (one income-statement column).
- `roll`: a duration whose start and end dates both have balance-sheet
  figures; `concept@start` and `concept@end` read those, a bare concept reads
  the duration.
- `table`: one table.
- `document`: the whole release.

## The assertion language

```text
assertion = expr cmp expr
cmp       = "==" | "<=" | ">=" | "<" | ">"
expr      = term (("+" | "-") term)*
term      = unary (("*" | "/") unary)*
unary     = "-" unary | atom
atom      = number | call | ref | "(" expr ")"
call      = "abs" "(" expr ")"
ref       = concept optional? selector?
concept   = [a-z][a-z0-9_]*
optional  = "?"
selector  = "@" ("start" | "end")
number    = [0-9]+ ("." [0-9]+)?
```

Whitespace may appear between tokens. `*` and `/` bind tighter than `+` and
`-`; all four associate to the left.

- **Values.** Every concept reads the fact in units with the table's scale
  applied: `52,686` in a table "in thousands" is 52,686,000; per-share
  figures are in dollars.
- **Optional terms.** `redeemable_preferred?` counts as an exact zero when
  the release does not print it. When the table prints the concept's row
  but not this column's figure (a blank cell, or a figure tieout could not
  read such as `((139))`), the value is unknown and the binding is
  skipped. A required concept that is absent skips the rule for that
  binding; it is not a finding.
- **Selectors.** `@start` and `@end` are only allowed in `roll` scope.
- **Sign conventions.** A concept declared `sign: either` in the dictionary
  (income tax, preferred accretion) may be taken with either sign: the
  assertion holds if any choice of signs holds, and a failure reports the
  figures as printed.
- **Undefined arithmetic.** A division by a figure whose rounding interval
  contains zero skips the binding.
- **Limits.** An expression nests at most 64 levels (parentheses, `abs(`
  and unary minus signs together) and has at most 1,000 operators; a rule's
  `title` has at most 200 characters and its `help` at most 4,000; a rule
  file is at most 1 MiB (as is `tieout.yaml`; `tieout.ack.yaml` at most
  32 MiB). Beyond them loading stops with a diagnostic that points into
  the file, never with a crash.

## Tolerance

- `rounding` (default): every printed figure stands for an interval, half a
  unit of its last printed digit either side (`52,686` in thousands is
  [52,685,500, 52,686,500]). Both sides are computed as intervals; `==` holds
  when they intersect, and `<=`, `>=`, `<`, `>` hold when some pair of values
  in the intervals satisfies them. A sum of n rounded terms may therefore
  differ from its printed total by up to n/2 units. The tolerance reported
  in a finding is half the sum of the two sides' interval widths.
- `{absolute: "X"}`: the printed values (in units) may differ by at most X.
- `{relative: "R"}`: the printed values may differ by at most
  R × max(|lhs|, |rhs|).

## The concept dictionary

`rules/concepts.yaml` maps row labels and narrative phrases to concepts:

```yaml
concepts:
  revenue:
    unit: money            # money | shares | per_share | percent
    labels:                # regexes, case-insensitive, matched against the WHOLE label
      - "(total )?(net )?(revenues?|sales)(, net)?"
    narrative: ["(net |total )?revenues?", "(net )?sales"]
    polarity: normal       # normal | loss
    sign: fixed            # fixed | either
  net_income:
    unit: money
    labels:
      - {pattern: "(gaap )?net loss", polarity: loss}
      - "(gaap )?net (income|earnings|profit)( [(]loss[)])?"
```

- Labels are normalized before matching: lowercase, whitespace collapsed,
  trailing footnote markers (`(a)`, `(1)`, `*`) and a trailing `:` removed,
  curly quotes made straight.
- Concepts are tried in file order and the first match wins; list a specific
  concept (`net_income_to_common`) before a general one (`net_income`).
- `polarity: loss` on a concept or a single pattern: the label states a loss,
  so the fact is negative whether printed `3,904` or `(3,904)`.
- `between: [a, b]`: the concept applies only to a row printed below a row of
  concept `a` and above a row of concept `b` in the same table (stock-based
  compensation inside the cost of revenue section).
- Patterns must describe wording used across companies, never one company's.
"#;
