//! Every assertion of the default pack holds on the figures of the two seed
//! releases (DOMAIN.md §3), bound the way the facts layer binds them.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use tieout::rules::expr::ConceptRef;
use tieout::rules::{ConceptDictionary, Env, Interval, Operand, Outcome, RulePack, evaluate};
use tieout::span::Span;

struct Binding<'a> {
    facts: HashMap<&'static str, (Decimal, u32, Decimal)>,
    dict: &'a ConceptDictionary,
}

impl Binding<'_> {
    fn new<'a>(dict: &'a ConceptDictionary, pairs: &[(&'static str, &str)]) -> Binding<'a> {
        let facts = pairs
            .iter()
            .map(|(k, v)| {
                let decimals = v.split('.').nth(1).map_or(0, |f| f.len() as u32);
                let scale = if decimals > 0 {
                    Decimal::ONE
                } else {
                    Decimal::from(1000)
                };
                (*k, (Decimal::from_str(v).unwrap(), decimals, scale))
            })
            .collect();
        Binding { facts, dict }
    }
}

impl Env<'static> for Binding<'_> {
    fn lookup(&self, r: &ConceptRef) -> Option<Operand<'static>> {
        let key = match r.selector {
            Some(s) => format!("{}@{}", r.name(), s.as_str()),
            None => r.name().to_string(),
        };
        let (&label, &(v, dec, scale)) = self.facts.get_key_value(key.as_str())?;
        Some(Operand {
            interval: Interval::from_printed(v, dec, scale),
            printed: v * scale,
            span: Span::default(),
            label,
            shown: v,
        })
    }
    fn sign_either(&self, concept: &ConceptRef) -> bool {
        self.dict.sign_either(concept.id())
    }
}

fn check(rule: &str, facts: &[(&'static str, &str)]) -> Outcome<'static> {
    let pack = RulePack::default_pack();
    let r = pack.get(rule).unwrap();
    let env = Binding::new(pack.concepts(), facts);
    evaluate(r.assertion.as_ref().unwrap(), &env, &r.tolerance)
}

#[test]
fn seed_000_q1_2006_income_statement_holds() {
    let q = [
        ("revenue", "52686"),
        ("cost_of_revenue", "32504"),
        ("cost_of_revenue_stock_comp", "321"),
        ("gross_profit", "19861"),
        ("total_operating_expenses", "23611"),
        ("operating_income", "-3750"),
        ("other_income", "-47"),
        ("pretax_income", "-3797"),
        ("income_tax", "107"),
        ("net_income", "-3904"),
        // No amount applicable to common: the facts layer aliases net income.
        ("net_income_to_common", "-3904"),
        ("eps_basic", "-0.03"),
        ("weighted_shares_basic", "148139"),
    ];
    for rule in [
        "gross-profit-mismatch",
        "operating-income-mismatch",
        "pretax-income-mismatch",
        "net-income-mismatch",
        "eps-mismatch",
    ] {
        assert_eq!(check(rule, &q), Outcome::Holds, "{rule}");
    }
    assert!(matches!(
        check("net-to-common-mismatch", &q),
        Outcome::Skipped { .. }
    ));
}

#[test]
fn seed_000_balance_sheet_and_roll_hold() {
    let b = [
        ("total_assets", "386830"),
        ("total_liabilities", "95915"),
        ("total_equity", "290915"),
        ("total_liabilities_and_equity", "386830"),
    ];
    assert_eq!(check("balance-sheet-out-of-balance", &b), Outcome::Holds);
    assert_eq!(
        check("liabilities-plus-equity-mismatch", &b),
        Outcome::Holds
    );
    let roll = [
        ("accumulated_deficit@end", "-762198"),
        ("accumulated_deficit@start", "-758294"),
        ("net_income", "-3904"),
    ];
    assert_eq!(check("accumulated-deficit-roll", &roll), Outcome::Holds);
}

#[test]
fn seed_001_holds_including_benefit_and_accretion() {
    let q3_2003 = [
        ("pretax_income", "-4958"),
        ("income_tax", "-3064"),
        ("net_income", "-1894"),
        ("preferred_accretion", "0"),
        ("net_income_to_common", "-1894"),
        ("eps_basic", "-0.12"),
        ("weighted_shares_basic", "15210"),
    ];
    let q3_2002 = [
        ("net_income", "-17975"),
        ("preferred_accretion", "-10213"),
        ("net_income_to_common", "-28188"),
        ("eps_basic", "-2.41"),
        ("weighted_shares_basic", "11684"),
    ];
    for rule in [
        "net-income-mismatch",
        "net-to-common-mismatch",
        "eps-mismatch",
    ] {
        assert_eq!(check(rule, &q3_2003), Outcome::Holds, "{rule}");
    }
    for rule in ["net-to-common-mismatch", "eps-mismatch"] {
        assert_eq!(check(rule, &q3_2002), Outcome::Holds, "{rule}");
    }
    let bs_2002 = [
        ("total_assets", "163963"),
        ("total_liabilities", "96715"),
        ("redeemable_preferred", "165890"),
        ("total_equity", "-98642"),
        ("total_liabilities_and_equity", "163963"),
    ];
    assert_eq!(
        check("liabilities-plus-equity-mismatch", &bs_2002),
        Outcome::Holds
    );
}

#[test]
fn a_real_mismatch_fails_with_the_difference() {
    let b = [
        ("total_assets", "386830"),
        ("total_liabilities_and_equity", "386803"),
    ];
    let Outcome::Fails(f) = check("balance-sheet-out-of-balance", &b) else {
        panic!()
    };
    assert_eq!(f.difference, Decimal::from(27_000));
    assert_eq!(f.allowed, Decimal::from(1_000));
    assert_eq!(f.operands.len(), 2);
}
