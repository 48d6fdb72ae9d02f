//! The diluted-EPS identity, end to end on small releases: which numerator
//! it divides, when it stays silent, and what it labels when it fires.

use tieout::check::{CheckOutput, check_document};
use tieout::finding::Severity;
use tieout::rules::RulePack;

fn check(text: &str) -> CheckOutput {
    let doc = tieout::parse::parse(text.as_bytes());
    check_document(&doc, &RulePack::default_pack(), text.as_bytes())
}

fn statement(rows: &str) -> String {
    format!(
        "Example Corp. Condensed Consolidated Statements of Operations\n\
         (In thousands, except per share data)\n\
         \n\
         \x20                                          Three Months Ended\n\
         \x20                                          March 31,   March 31,\n\
         \x20                                              2026        2025\n\
         \x20                                        ----------  ----------\n\
         {rows}"
    )
}

fn diluted_findings(out: &CheckOutput) -> Vec<String> {
    out.findings
        .iter()
        .filter(|f| f.rule == "diluted-eps-mismatch")
        .map(|f| f.message.clone())
        .collect()
}

const NET_INCOME: &str = "Net income                                $ 12,480    $ 10,020\n";

#[test]
fn diluted_eps_divides_net_income_by_diluted_shares() {
    let good = statement(&format!(
        "{NET_INCOME}\
         Diluted net income per share              $   0.50    $   0.41\n\
         Diluted weighted average shares             25,112      24,580\n"
    ));
    let out = check(&good);
    assert!(diluted_findings(&out).is_empty(), "{:#?}", out.findings);
    assert!(
        out.findings.iter().all(|f| f.severity < Severity::Warning),
        "{:#?}",
        out.findings
    );

    // 12,480 / 25,112 = 0.497: a printed 0.52 is wrong.
    let bad = good.replace("$   0.50", "$   0.52");
    let out = check(&bad);
    let found: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "diluted-eps-mismatch")
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", out.findings);
    let at = bad.find("0.52").unwrap();
    assert!(
        found[0]
            .labels
            .iter()
            .any(|l| l.span.offset <= at && at < l.span.offset + l.span.len),
        "the changed figure is labelled: {:#?}",
        found[0].labels
    );
    // The share count and net income are labelled too.
    assert_eq!(found[0].labels.len(), 3, "{:#?}", found[0].labels);
}

#[test]
fn a_diluted_numerator_row_is_used_when_printed() {
    // Convertible interest added back: 12,480 + 520 = 13,000 over 26,000
    // diluted shares is 0.50; net income alone would give 0.48.
    let text = statement(&format!(
        "{NET_INCOME}\
         Net income for diluted earnings per share   13,000      10,020\n\
         Diluted net income per share              $   0.50    $   0.41\n\
         Diluted weighted average shares             26,000      24,580\n"
    ));
    let out = check(&text);
    assert!(diluted_findings(&out).is_empty(), "{:#?}", out.findings);
    // Without the numerator row the same figures do not tie.
    let without = text.replace(
        "Net income for diluted earnings per share   13,000      10,020\n",
        "",
    );
    assert_eq!(diluted_findings(&check(&without)).len(), 1);
}

#[test]
fn one_basic_and_diluted_row_is_left_to_the_basic_rule() {
    // No diluted share count: the identity has nothing to divide by and is
    // skipped, not guessed.
    let text = statement(
        "Net loss                                  $ (2,860)   $ (3,544)\n\
         Basic and diluted net loss per share      $  (0.03)   $  (0.04)\n\
         Weighted average shares - basic and diluted  96,412      95,870\n",
    );
    let out = check(&text);
    assert!(diluted_findings(&out).is_empty(), "{:#?}", out.findings);
    let eps = text.replace("$  (0.03)", "$  (0.05)");
    let out = check(&eps);
    assert!(diluted_findings(&out).is_empty(), "{:#?}", out.findings);
    assert!(
        out.findings.iter().any(|f| f.rule == "eps-mismatch"),
        "{:#?}",
        out.findings
    );
}
