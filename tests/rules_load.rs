//! The rule loader: the default pack loads, and every kind of mistake in a
//! user file is a `LoadError` whose label points at the offending bytes.

use tieout::rules::{ConceptId, LoadErrorKind, RuleKind, RulePack, Scope};

const IDS: &[&str] = &[
    "balance-sheet-out-of-balance",
    "bank-net-interest-income-mismatch",
    "bank-provision-mismatch",
    "bank-pretax-income-mismatch",
    "liabilities-plus-equity-mismatch",
    "gross-profit-mismatch",
    "operating-income-mismatch",
    "pretax-income-mismatch",
    "net-income-mismatch",
    "net-to-common-mismatch",
    "eps-mismatch",
    "diluted-eps-mismatch",
    "accumulated-deficit-roll",
    "total-does-not-foot",
    "cross-table-mismatch",
    "ytd-less-than-quarter",
    "narrative-amount-mismatch",
    "narrative-sign-mismatch",
    "narrative-percent-mismatch",
    "narrative-period-mismatch",
    "narrative-per-share-mismatch",
    "narrative-unverifiable",
    "table-not-checked",
    "total-off-by-rounding",
    "change-column-mismatch",
    "change-off-by-rounding",
    "percent-change-mismatch",
    "prior-release-mismatch",
    "prior-release-restated",
    "total-column-mismatch",
    "total-column-off-by-rounding",
    "bps-change-mismatch",
    "bps-change-off-by-rounding",
    "period-sum-mismatch",
    "period-sum-off-by-rounding",
    "cash-flow-ending-cash-mismatch",
    "roll-forward-mismatch",
];

#[test]
fn default_pack_loads_every_fixed_id() {
    let pack = RulePack::try_default().unwrap_or_else(|e| panic!("{e:?}"));
    for id in IDS {
        let rule = pack.get(id).unwrap_or_else(|| panic!("missing {id}"));
        assert!(
            rule.source.starts_with("<default>/"),
            "{id}: {}",
            rule.source
        );
        assert!(!rule.docs.example.trim().is_empty());
        assert_eq!(
            rule.kind == RuleKind::Assert,
            rule.assertion.is_some(),
            "{id}"
        );
    }
    assert_eq!(pack.rules().len(), IDS.len());
    let mut ids: Vec<_> = pack.rules().iter().map(|r| &r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), IDS.len(), "ids are unique");
    let roll = pack.get("accumulated-deficit-roll").unwrap();
    assert_eq!(roll.scope, Scope::Roll);
    // Links go to docs/rules.md in the repository Cargo.toml names, and
    // nowhere while it names none.
    let want = tieout::rules::load::docs_url().map(|u| format!("{u}#accumulated-deficit-roll"));
    assert_eq!(roll.url(), want);
    if env!("CARGO_PKG_REPOSITORY").is_empty() {
        assert_eq!(roll.url(), None);
    }
}

const RULE: &str = r#"rules:
  - id: my-rule
    title: T
    severity: warning
    kind: assert
    scope: duration
    assert: "gross_profit <= revenue"
    help: H
    docs:
      checks: C
      why: W
      example: E
"#;

fn load(src: &str) -> tieout::rules::LoadError {
    let mut pack = RulePack::default_pack();
    pack.load_str(src, "user.yaml").expect_err("should fail")
}

#[test]
fn a_valid_user_rule_is_added() {
    let mut pack = RulePack::default_pack();
    pack.load_str(RULE, "user.yaml").unwrap();
    let r = pack.get("my-rule").unwrap();
    assert_eq!(r.source, "user.yaml");
    assert_eq!(pack.rules().len(), IDS.len() + 1);
}

#[test]
fn same_id_overrides_the_default_in_place() {
    let mut pack = RulePack::default_pack();
    let src = RULE
        .replace("my-rule", "eps-mismatch")
        .replace("severity: warning", "severity: note");
    pack.load_str(&src, "user.yaml").unwrap();
    assert_eq!(pack.rules().len(), IDS.len());
    let r = pack.get("eps-mismatch").unwrap();
    assert_eq!(r.severity, tieout::finding::Severity::Note);
    assert_eq!(r.source, "user.yaml");
    assert_eq!(r.assert_src.as_deref(), Some("gross_profit <= revenue"));
}

#[test]
fn unknown_key_points_at_the_key() {
    let e = load(&RULE.replace("    help: H\n", "    help: H\n    severty: error\n"));
    assert_eq!(e.kind(), LoadErrorKind::UnknownKey);
    assert_eq!(e.labelled_text(), Some("severty"));
    let e = load(&RULE.replace("      why: W\n", "      why: W\n      notes: N\n"));
    assert_eq!(e.labelled_text(), Some("notes"));
}

#[test]
fn unknown_concept_points_inside_the_expression() {
    let e = load(&RULE.replace("<= revenue", "<= revenu"));
    assert_eq!(e.kind(), LoadErrorKind::UnknownConcept);
    assert_eq!(e.labelled_text(), Some("revenu"));
    assert_eq!(e.help_text(), Some("did you mean `revenue`?"));
    // A plain (unquoted) scalar works too.
    let e = load(&RULE.replace(
        "assert: \"gross_profit <= revenue\"",
        "assert: grossprofit <= revenue",
    ));
    assert_eq!(e.labelled_text(), Some("grossprofit"));
    // And a concepts list entry.
    let src = RULE.replace("kind: assert", "kind: cross-table").replace(
        "    assert: \"gross_profit <= revenue\"\n",
        "    concepts: [revenue, sales]\n",
    );
    let e = load(&src);
    assert_eq!(e.labelled_text(), Some("sales"));
}

#[test]
fn bad_expression_points_at_the_error() {
    let e = load(&RULE.replace("<= revenue", "<= revenue +"));
    assert_eq!(e.kind(), LoadErrorKind::BadExpression);
    let span = e.span().unwrap();
    let line_end = RULE.find("\"\n    help").unwrap();
    // Right after the trailing `+`, at the closing quote.
    assert_eq!(span.offset, line_end + 2);
    let e = load(&RULE.replace("<= revenue", "=< revenue"));
    assert_eq!(e.labelled_text(), Some("="));
    let e = load(&RULE.replace("<= revenue", "<= revenue@end"));
    assert_eq!(e.labelled_text(), Some("revenue"));
}

#[test]
fn duplicate_id_points_at_the_second_definition() {
    let second = RULE.trim_start_matches("rules:\n");
    let src = format!("{RULE}{second}");
    let e = load(&src);
    assert_eq!(e.kind(), LoadErrorKind::DuplicateId);
    let span = e.span().unwrap();
    assert!(span.offset > RULE.len());
    assert_eq!(e.labelled_text(), Some("my-rule"));
    assert_eq!(e.labels_text().len(), 2);
}

#[test]
fn assert_missing_or_forbidden() {
    let e = load(&RULE.replace("    assert: \"gross_profit <= revenue\"\n", ""));
    assert_eq!(e.kind(), LoadErrorKind::MissingAssert);
    assert_eq!(e.labelled_text(), Some("assert"));
    let e = load(&RULE.replace("kind: assert", "kind: footing"));
    assert_eq!(e.kind(), LoadErrorKind::ForbiddenAssert);
    assert_eq!(e.labelled_text(), Some("gross_profit <= revenue"));
}

#[test]
fn yaml_syntax_error_has_a_label() {
    let e = load("rules:\n  - id: [oops\n");
    assert_eq!(e.kind(), LoadErrorKind::Syntax);
    assert!(e.span().is_some());
}

#[test]
fn load_path_reads_a_folder_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        RULE.replace("severity: warning", "severity: error"),
    )
    .unwrap();
    std::fs::write(dir.path().join("a.yaml"), RULE).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let mut pack = RulePack::default_pack();
    pack.load_path(dir.path()).unwrap();
    let r = pack.get("my-rule").unwrap();
    // b.yaml loads last and overrides a.yaml.
    assert_eq!(r.severity, tieout::finding::Severity::Error);
    assert!(r.source.ends_with("b.yaml"));
    let e = pack
        .load_path(&dir.path().join("missing.yaml"))
        .unwrap_err();
    assert_eq!(e.kind(), LoadErrorKind::Io);
}

#[test]
fn load_error_renders_with_miette() {
    let e = load(&RULE.replace("<= revenue", "<= revenu"));
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    handler.render_report(&mut out, &e).unwrap();
    assert!(out.contains("unknown concept `revenu`"), "{out}");
    assert!(out.contains("user.yaml"), "{out}");
    assert!(out.contains("not in the concept dictionary"), "{out}");
}

/// A user's assert rule over concepts no default rule names is bound to the
/// release's figures like any other (the check indexes the figures of the
/// concepts its pack's rules name): it fails where they disagree and holds
/// where they agree.
#[test]
fn a_user_rule_over_concepts_no_default_rule_names_is_checked() {
    let balance_sheet = |inventories: &str| {
        format!(
            "                     ACME WIDGETS, INC.\n\
             \n\
             \x20                  Condensed Consolidated Balance Sheets\n\
             \x20                           (In thousands)\n\
             \n\
             \x20                                 December 31,   December 31,\n\
             \x20                                     2025           2024\n\
             \x20                                 ------------   ------------\n\
             Accounts receivable                     $ 1,200        $ 1,100\n\
             Inventories                               {inventories}            900\n\
             Total current assets                      2,000          2,000\n"
        )
    };
    let rule = RULE.replace("scope: duration", "scope: instant").replace(
        "gross_profit <= revenue",
        "inventories + accounts_receivable == total_current_assets",
    );
    let mut pack = RulePack::default_pack();
    pack.load_str(&rule, "user.yaml").unwrap();
    let findings = |text: &str| -> Vec<String> {
        let doc = tieout::parse::parse(text.as_bytes());
        tieout::check::check_document(&doc, &pack, text.as_bytes())
            .findings
            .into_iter()
            .filter(|f| f.rule == "my-rule")
            .map(|f| f.message)
            .collect()
    };
    let wrong = balance_sheet("  700");
    let found = findings(&wrong);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("1,900"), "{found:?}");
    assert_eq!(findings(&balance_sheet("  800")), Vec::<String>::new());
}

/// The concepts the assertions read are worked out once per pack: a rule
/// added after they were asked for counts too.
#[test]
fn assertion_concepts_follow_rules_added_later() {
    let mut pack = RulePack::default_pack();
    let before = pack.assertion_concepts().clone();
    assert!(
        before.contains(&ConceptId::from("revenue"))
            && before.contains(&ConceptId::from("net_income"))
    );
    let unread = pack
        .concepts()
        .iter()
        .map(|c| c.id)
        .find(|id| !before.contains(id))
        .expect("a concept no default assertion reads");
    let src = RULE.replace(
        "gross_profit <= revenue",
        &format!("{} <= revenue", unread.as_str()),
    );
    pack.load_str(&src, "user.yaml").unwrap();
    let after = pack.assertion_concepts();
    assert!(
        after.contains(&unread),
        "{} is read by my-rule",
        unread.as_str()
    );
    assert_eq!(after.len(), before.len() + 1);
}
