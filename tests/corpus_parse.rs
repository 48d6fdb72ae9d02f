//! The data-driven parser test: every `corpus/*.txt` release is parsed and
//! compared with its `.expect.yaml` sidecar (tables in order, every column's
//! period, selected cells). A mismatch names the file, the table and what
//! differs; all files are checked before the test fails.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tieout::ast::{Block, ColumnKind, Period, PeriodLength, Table};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    #[allow(dead_code)]
    base: Option<String>,
    #[serde(default)]
    tables: Vec<ExpectTable>,
    #[serde(default)]
    #[allow(dead_code)]
    findings: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectTable {
    title: Option<String>,
    first_row: Option<String>,
    columns: Vec<String>,
    #[serde(default)]
    cells: Vec<ExpectCell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectCell {
    row: String,
    col: usize,
    value: String,
}

/// The sidecar's compact column code for a parsed column.
fn column_code(kind: ColumnKind, period: Option<Period>) -> String {
    match (kind, period) {
        (ColumnKind::Change, _) => "change".into(),
        (ColumnKind::Percent, _) => "percent".into(),
        (ColumnKind::Other, _) => "other".into(),
        (ColumnKind::Period, None) => "undated".into(),
        (ColumnKind::Period, Some(Period::Instant { date })) => format!("I {date}"),
        (ColumnKind::Period, Some(Period::Duration { end, length, .. })) => match length {
            PeriodLength::Months(n) => format!("{n}M {end}"),
            PeriodLength::Weeks(n) => format!("{n}W {end}"),
        },
    }
}

fn tables(path: &Path) -> Vec<Table> {
    let bytes = std::fs::read(path).expect("corpus file is readable");
    let doc = tieout::parse::parse(&bytes);
    doc.exhibits
        .into_iter()
        .flat_map(|e| e.blocks)
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect()
}

fn matches(t: &Table, e: &ExpectTable) -> bool {
    if let Some(title) = &e.title {
        return t
            .title_text()
            .to_lowercase()
            .contains(&title.to_lowercase());
    }
    if let Some(first) = &e.first_row {
        return t
            .rows
            .iter()
            .find(|r| r.has_values())
            .is_some_and(|r| r.label.to_lowercase().contains(&first.to_lowercase()));
    }
    false
}

/// Checks one release against its sidecar; returns the problems found.
fn check_file(txt: &Path, sidecar: &Path) -> Vec<String> {
    let yaml = std::fs::read_to_string(sidecar).expect("sidecar is readable");
    let expect: Expect = match serde_saphyr::from_str(&yaml) {
        Ok(e) => e,
        Err(e) => return vec![format!("bad sidecar: {e}")],
    };
    let got = tables(txt);
    let mut problems = Vec::new();
    let mut next = 0;
    for (ti, et) in expect.tables.iter().enumerate() {
        let what = et
            .title
            .clone()
            .or(et.first_row.clone())
            .unwrap_or_default();
        let Some(pos) = got[next.min(got.len())..]
            .iter()
            .position(|t| matches(t, et))
        else {
            problems.push(format!(
                "table {ti} \"{what}\" not found (tables: {:?})",
                got.iter().map(|t| t.title_text()).collect::<Vec<_>>()
            ));
            continue;
        };
        let t = &got[next + pos];
        next += pos + 1;
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| column_code(c.kind, c.period))
            .collect();
        if cols != et.columns {
            problems.push(format!(
                "table \"{what}\": columns {cols:?}, expected {:?}",
                et.columns
            ));
        }
        for c in &et.cells {
            let row = t.rows.iter().find(|r| *r.label == *c.row);
            let Some(row) = row else {
                problems.push(format!(
                    "table \"{what}\": no row \"{}\" (rows: {:?})",
                    c.row,
                    t.rows.iter().map(|r| &*r.label).collect::<Vec<_>>()
                ));
                continue;
            };
            let got = row
                .cells
                .get(c.col)
                .cloned()
                .flatten()
                .map(|x| x.value.normalize().to_string());
            let want = c
                .value
                .parse::<rust_decimal::Decimal>()
                .map(|d| d.normalize().to_string())
                .ok();
            if got != want {
                problems.push(format!(
                    "table \"{what}\" row \"{}\" col {}: got {got:?}, expected {want:?}",
                    c.row, c.col
                ));
            }
        }
    }
    problems
}

fn corpus_files(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "txt" || x == "htm" || x == "html")
        })
        .map(|p| {
            let side = p.with_extension("expect.yaml");
            (p, side)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn corpus_releases_parse_as_their_sidecars_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files = corpus_files(&dir);
    assert!(files.len() >= 12, "the corpus holds at least 12 releases");
    let mut failures = Vec::new();
    for (txt, side) in &files {
        assert!(side.exists(), "{} has no sidecar", txt.display());
        for p in check_file(txt, side) {
            failures.push(format!(
                "{}: {p}",
                txt.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
