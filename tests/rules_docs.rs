//! docs/rules.md is generated from the default rule pack. Set
//! `TIEOUT_BLESS=1` to rewrite it after changing a rule.

use tieout::rules::RulePack;
use tieout::rules::docs::{explain, rules_markdown};

#[test]
fn docs_rules_md_matches_the_default_pack() {
    let pack = RulePack::default_pack();
    let generated = rules_markdown(&pack);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("TIEOUT_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/rules.md is stale; run `TIEOUT_BLESS=1 cargo test --test rules_docs`"
    );
}

#[test]
fn every_rule_has_an_anchor() {
    let pack = RulePack::default_pack();
    let md = rules_markdown(&pack);
    for r in pack.rules() {
        assert!(md.contains(&format!("<a id=\"{}\"></a>", r.id)), "{}", r.id);
    }
}

#[test]
fn the_documented_example_file_loads() {
    let md = rules_markdown(&RulePack::default_pack());
    let start = md.find("```yaml\nrules:").unwrap() + "```yaml\n".len();
    let end = start + md[start..].find("```").unwrap();
    let mut pack = RulePack::default_pack();
    let before = pack.rules().len();
    pack.load_str(&md[start..end], "example.yaml")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(pack.rules().len(), before + 1);
    assert_eq!(
        pack.get("accumulated-deficit-roll").unwrap().severity,
        tieout::finding::Severity::Note
    );
}

#[test]
fn explain_eps_mismatch() {
    let pack = RulePack::default_pack();
    let text = explain(pack.get("eps-mismatch").unwrap());
    let first_lines: Vec<&str> = text.lines().take(6).collect();
    assert_eq!(
        first_lines,
        [
            "eps-mismatch (error)",
            "Earnings per share differ from net income over weighted shares",
            "",
            "kind: assert    scope: duration",
            "assertion: eps_basic == net_income_to_common / weighted_shares_basic",
            "tolerance: rounding",
        ]
    );
    for heading in ["What it checks:", "Why it matters:", "Example:", "Help:"] {
        assert!(text.contains(heading), "{heading}");
    }
    // The link to the published page only where the crate names its
    // repository; the help text ends the explanation otherwise.
    if env!("CARGO_PKG_REPOSITORY").is_empty() {
        assert!(!text.contains("https://"), "{text}");
    } else {
        assert!(text.ends_with("docs/rules.md#eps-mismatch\n"));
    }
}
