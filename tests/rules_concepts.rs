//! The default concept dictionary maps every label of the seed releases and
//! the common variants of DOMAIN.md §5.

use tieout::rules::concepts::{
    ConceptDictionary, ConceptId, Polarity, RowContext, normalize_label,
};

fn dict() -> ConceptDictionary {
    ConceptDictionary::default_dictionary()
}

#[test]
fn seed_and_common_labels_map_to_concepts() {
    let d = dict();
    let cases: &[(&str, &str, Polarity)] = &[
        ("Net revenue", "revenue", Polarity::Normal),
        ("Net sales", "revenue", Polarity::Normal),
        ("Revenues", "revenue", Polarity::Normal),
        ("Total revenue", "revenue", Polarity::Normal),
        ("Cost of revenue", "cost_of_revenue", Polarity::Normal),
        (
            "Stock-based compensation",
            "stock_based_compensation",
            Polarity::Normal,
        ),
        ("Gross profit", "gross_profit", Polarity::Normal),
        (
            "Research and product development (b)",
            "research_and_development",
            Polarity::Normal,
        ),
        (
            "Research and development",
            "research_and_development",
            Polarity::Normal,
        ),
        (
            "Sales and marketing (b)",
            "sales_and_marketing",
            Polarity::Normal,
        ),
        (
            "General and administrative (b)",
            "general_and_administrative",
            Polarity::Normal,
        ),
        (
            "General and   administrative",
            "general_and_administrative",
            Polarity::Normal,
        ),
        (
            "Amortization and impairment of intangible assets",
            "amortization_of_intangibles",
            Polarity::Normal,
        ),
        (
            "Purchased in-process research and development",
            "in_process_research_and_development",
            Polarity::Normal,
        ),
        ("Restructuring charges", "restructuring", Polarity::Normal),
        (
            "Total operating expenses",
            "total_operating_expenses",
            Polarity::Normal,
        ),
        ("Operating loss", "operating_income", Polarity::Loss),
        (
            "Operating income (loss)",
            "operating_income",
            Polarity::Normal,
        ),
        ("Other expense, net", "other_income", Polarity::Normal),
        (
            "Interest expense and other expense, net",
            "other_income",
            Polarity::Normal,
        ),
        ("Loss before income taxes", "pretax_income", Polarity::Loss),
        (
            "Income (loss) before income taxes",
            "pretax_income",
            Polarity::Normal,
        ),
        ("Income tax provision", "income_tax", Polarity::Normal),
        (
            "Income tax (benefit) provision",
            "income_tax",
            Polarity::Normal,
        ),
        ("Provision for income taxes", "income_tax", Polarity::Normal),
        ("Income Taxes", "income_tax", Polarity::Normal),
        ("Net loss", "net_income", Polarity::Loss),
        ("GAAP net loss", "net_income", Polarity::Loss),
        ("Net income (loss)", "net_income", Polarity::Normal),
        (
            "Accretion on preferred stock",
            "preferred_accretion",
            Polarity::Normal,
        ),
        (
            "Net loss applicable to holders of common stock",
            "net_income_to_common",
            Polarity::Loss,
        ),
        (
            "Net income attributable to common stockholders",
            "net_income_to_common",
            Polarity::Normal,
        ),
        (
            "Net income for diluted earnings per share",
            "net_income_for_diluted_eps",
            Polarity::Normal,
        ),
        (
            "Net income attributable to common stockholders - diluted",
            "net_income_for_diluted_eps",
            Polarity::Normal,
        ),
        (
            "Numerator for diluted EPS",
            "net_income_for_diluted_eps",
            Polarity::Normal,
        ),
        (
            "Basic and diluted net loss per share",
            "eps_basic",
            Polarity::Loss,
        ),
        (
            "Basic and diluted net loss per share applicable to holders of common stock",
            "eps_basic",
            Polarity::Loss,
        ),
        (
            "Net income per share - basic",
            "eps_basic",
            Polarity::Normal,
        ),
        (
            "Diluted net income per share",
            "eps_diluted",
            Polarity::Normal,
        ),
        (
            "Weighted average shares outstanding used to compute basic and diluted net loss per share",
            "weighted_shares_basic",
            Polarity::Normal,
        ),
        (
            "Weighted average shares outstanding used to compute basic and diluted net loss per share applicable to holders of common stock",
            "weighted_shares_basic",
            Polarity::Normal,
        ),
        ("Non-GAAP pro forma EBITDA", "ebitda", Polarity::Normal),
        ("Adjusted EBITDA", "ebitda", Polarity::Normal),
        (
            "Interest Expense, net",
            "interest_expense",
            Polarity::Normal,
        ),
        ("Depreciation", "depreciation", Polarity::Normal),
        (
            "Realized loss on sale of securities",
            "gain_on_securities",
            Polarity::Normal,
        ),
        (
            "Cash, cash equivalents and short-term investments",
            "cash_and_investments",
            Polarity::Normal,
        ),
        (
            "Cash and cash equivalents",
            "cash_and_equivalents",
            Polarity::Normal,
        ),
        (
            "Accounts receivable",
            "accounts_receivable",
            Polarity::Normal,
        ),
        ("Inventories", "inventories", Polarity::Normal),
        (
            "Prepaid expenses and other current assets",
            "prepaid_expenses",
            Polarity::Normal,
        ),
        (
            "Total current assets",
            "total_current_assets",
            Polarity::Normal,
        ),
        (
            "Property and equipment, net",
            "property_and_equipment",
            Polarity::Normal,
        ),
        ("Goodwill", "goodwill", Polarity::Normal),
        (
            "Other acquisition-related intangible assets",
            "intangible_assets",
            Polarity::Normal,
        ),
        (
            "Intangible assets, net",
            "intangible_assets",
            Polarity::Normal,
        ),
        ("Restricted cash", "restricted_cash", Polarity::Normal),
        ("Other assets", "other_assets", Polarity::Normal),
        ("Total assets", "total_assets", Polarity::Normal),
        ("Accounts payable", "accounts_payable", Polarity::Normal),
        ("Line of credit", "line_of_credit", Polarity::Normal),
        (
            "Current portion of long-term debt",
            "current_debt",
            Polarity::Normal,
        ),
        (
            "Accrued and other liabilities",
            "accrued_liabilities",
            Polarity::Normal,
        ),
        (
            "Total current liabilities",
            "total_current_liabilities",
            Polarity::Normal,
        ),
        (
            "Long-term debt, less current portion",
            "long_term_debt",
            Polarity::Normal,
        ),
        (
            "Other long-term liabilities",
            "other_long_term_liabilities",
            Polarity::Normal,
        ),
        ("Total liabilities", "total_liabilities", Polarity::Normal),
        (
            "Redeemable convertible Series AA and B preferred stock",
            "redeemable_preferred",
            Polarity::Normal,
        ),
        ("Common stock", "common_stock", Polarity::Normal),
        (
            "Common stock, $0.001 par value",
            "common_stock",
            Polarity::Normal,
        ),
        (
            "Additional paid-in capital",
            "additional_paid_in_capital",
            Polarity::Normal,
        ),
        (
            "Other stockholders' equity",
            "other_equity",
            Polarity::Normal,
        ),
        ("Accumulated deficit", "accumulated_deficit", Polarity::Loss),
        (
            "Retained earnings (accumulated deficit)",
            "accumulated_deficit",
            Polarity::Normal,
        ),
        (
            "Total stockholders' equity",
            "total_equity",
            Polarity::Normal,
        ),
        (
            "Total shareholders\u{2019} equity",
            "total_equity",
            Polarity::Normal,
        ),
        (
            "Stockholders' equity (deficit)",
            "total_equity",
            Polarity::Normal,
        ),
        (
            "Total liabilities and stockholders' equity",
            "total_liabilities_and_equity",
            Polarity::Normal,
        ),
        (
            "Total liabilities and shareholders' equity",
            "total_liabilities_and_equity",
            Polarity::Normal,
        ),
        (
            "Total liabilities, redeemable convertible preferred stock, and stockholders' equity (deficit)",
            "total_liabilities_and_equity",
            Polarity::Normal,
        ),
    ];
    let mut failures = Vec::new();
    for (label, concept, polarity) in cases {
        let got = d.match_label(label);
        if got != Some((ConceptId::from(*concept), *polarity)) {
            failures.push(format!(
                "{label:?}: expected {concept} {polarity:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn labels_that_name_no_concept_do_not_match() {
    let d = dict();
    for label in [
        "SLMS",
        "Legacy and Service",
        "Optical Transport",
        "Assets",
        "Zhone Technologies, Inc.",
    ] {
        assert_eq!(d.match_label(label), None, "{label}");
    }
}

/// Seed 000: "Stock-based compensation" printed between cost of revenue and
/// gross profit is part of the cost of revenue.
#[test]
fn stock_comp_in_cost_section_is_positional() {
    let d = dict();
    let above = [
        ConceptId::from("revenue"),
        ConceptId::from("cost_of_revenue"),
    ];
    let below = [
        ConceptId::from("gross_profit"),
        ConceptId::from("net_income"),
    ];
    let ctx = RowContext {
        above: &above,
        below: &below,
    };
    assert_eq!(
        d.match_label_in("Stock-based compensation", &ctx),
        Some((
            ConceptId::from("cost_of_revenue_stock_comp"),
            Polarity::Normal
        ))
    );
    let above = [ConceptId::from("gross_profit")];
    let ctx = RowContext {
        above: &above,
        below: &below,
    };
    assert_eq!(
        d.match_label_in("Stock-based compensation", &ctx),
        Some((
            ConceptId::from("stock_based_compensation"),
            Polarity::Normal
        ))
    );
}

#[test]
fn narrative_phrases_map_to_concepts() {
    let d = dict();
    assert_eq!(
        d.match_narrative("net sales"),
        Some(ConceptId::from("revenue"))
    );
    assert_eq!(
        d.match_narrative("Revenues"),
        Some(ConceptId::from("revenue"))
    );
    assert_eq!(
        d.match_narrative("net loss"),
        Some(ConceptId::from("net_income"))
    );
    assert_eq!(
        d.match_narrative("net loss applicable to holders of common stock"),
        Some(ConceptId::from("net_income_to_common"))
    );
    let re = d.narrative_regex(&ConceptId::from("revenue")).unwrap();
    assert!(re.is_match("today announced that net sales for the quarter"));
}

#[test]
fn narrative_qualifiers_that_do_not_change_the_figure_are_ignored() {
    let d = dict();
    for (phrase, concept) in [
        ("record revenue", "revenue"),
        ("GAAP net income", "net_income"),
        ("reported net income", "net_income"),
    ] {
        assert_eq!(
            d.match_narrative(phrase),
            Some(ConceptId::from(concept)),
            "{phrase}"
        );
    }
    // Non-GAAP figures are other figures; a forecast is no table figure.
    assert_eq!(d.match_narrative("non-GAAP net income"), None);
    assert_eq!(d.match_narrative("expect revenue"), None);
}

#[test]
fn normalization_removes_markers_and_colons() {
    assert_eq!(
        normalize_label("  Operating expenses:"),
        "operating expenses"
    );
    assert_eq!(
        normalize_label("Sales and marketing (b)"),
        "sales and marketing"
    );
    assert_eq!(normalize_label("Net loss (1) *"), "net loss");
    assert_eq!(
        normalize_label("Stockholders\u{2019} equity (deficit)"),
        "stockholders' equity (deficit)"
    );
}

#[test]
fn units_and_signs_are_declared() {
    let d = dict();
    use tieout::rules::Unit;
    assert_eq!(d.unit(&ConceptId::from("eps_basic")), Some(Unit::PerShare));
    assert_eq!(
        d.unit(&ConceptId::from("weighted_shares_basic")),
        Some(Unit::Shares)
    );
    assert!(d.sign_either(ConceptId::from("income_tax")));
    assert!(d.sign_either(ConceptId::from("preferred_accretion")));
    assert!(!d.sign_either(ConceptId::from("revenue")));
}

#[test]
fn a_bad_pattern_points_at_its_bytes() {
    let src = "concepts:\n  revenue:\n    unit: money\n    labels: [\"net (sales\"]\n";
    let e = ConceptDictionary::from_yaml(src, "c.yaml").unwrap_err();
    assert_eq!(e.labelled_text(), Some("net (sales"));
    // Patterns are checked at load though compiled only when used: an
    // unknown Unicode class, a bad flag, a bad repetition and a bad
    // narrative phrase are refused with their bytes labelled.
    for (labels, narrative, bad) in [
        (r"['net \p{Nope} sales']", "[]", r"net \p{Nope} sales"),
        (r#"["(?z)sales"]"#, "[]", "(?z)sales"),
        (r#"["sales{2,1}"]"#, "[]", "sales{2,1}"),
        ("[sales]", r#"["top (line"]"#, "top (line"),
    ] {
        let src = format!(
            "concepts:\n  revenue:\n    unit: money\n    labels: {labels}\n    narrative: {narrative}\n"
        );
        let e = ConceptDictionary::from_yaml(&src, "c.yaml").unwrap_err();
        assert_eq!(e.labelled_text(), Some(bad), "{src}");
    }
}
