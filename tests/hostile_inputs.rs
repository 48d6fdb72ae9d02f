//! Inputs that once broke tieout's promises (issue: "no input that breaks a
//! run"): line endings of every system mixed, figures the grammar cannot
//! read, rows and tables beyond the sizes tieout reads, rule files that are
//! malformed, nested or huge, and a streamed run whose reader goes away.
//! Each gets a correct result or a clear diagnostic, never a false error,
//! a silent pass or a crash.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;
#[path = "common/pipe.rs"]
mod common_pipe;
use common_pipe::read_then_hang_up;

use std::path::Path;
use std::process::Command;

use tieout::ast::ParseIssueKind;
use tieout::check::{CheckOutput, check_document};
use tieout::finding::Severity;
use tieout::rules::RulePack;
use tieout::rules::load::LoadErrorKind;

fn check(bytes: &[u8]) -> (tieout::ast::Document, CheckOutput) {
    let pack = RulePack::try_default().unwrap();
    let doc = tieout::parse::parse(bytes);
    let out = check_document(&doc, &pack, bytes);
    (doc, out)
}

fn serious(out: &CheckOutput) -> Vec<String> {
    out.findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect()
}

/// What a release's check comes to, line endings aside.
fn outcome(out: &CheckOutput) -> (usize, usize, usize, usize, Vec<String>) {
    let s = &out.stats;
    (
        s.tables,
        s.facts,
        s.claims_verified,
        s.figures_tied,
        out.findings.iter().map(|f| f.rule.clone()).collect(),
    )
}

#[test]
fn lone_cr_line_endings_read_like_lf() {
    let lf = corpus("01-basic-quarter.txt");
    let cr: Vec<u8> = lf
        .iter()
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    let (_, want) = check(&lf);
    let (_, got) = check(&cr);
    assert!(want.stats.tables > 0);
    assert_eq!(outcome(&got), outcome(&want));
}

#[test]
fn lone_cr_files_report_the_lines_and_columns_of_their_lf_twin() {
    // Every machine format gives a finding's line and column as an editor
    // counts them: a classic Mac file's findings are where its LF twin's
    // are, not all on line 1.
    let dir = tempfile::tempdir().unwrap();
    let lf = corpus("broken/eps-mismatch.txt");
    let cr: Vec<u8> = lf
        .iter()
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    std::fs::write(dir.path().join("lf.txt"), &lf).unwrap();
    std::fs::write(dir.path().join("cr.txt"), &cr).unwrap();
    let run = |name: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tieout"))
            .env_remove("FORCE_COLOR")
            .args(["check", "--format", "concise", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let (want, got) = (run("lf.txt"), run("cr.txt"));
    assert!(
        want.contains("lf.txt:142:65: error[eps-mismatch]"),
        "{want}"
    );
    assert_eq!(got.replace("cr.txt", "lf.txt"), want);
}

#[test]
fn mixed_crlf_cr_and_lf_read_like_lf() {
    let lf = corpus("02-three-and-nine-months.txt");
    let text = String::from_utf8(lf.clone()).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut mixed = String::new();
    for (i, line) in lines.iter().enumerate() {
        mixed.push_str(line);
        if i + 1 == lines.len() {
            break;
        }
        // A lone CR before an empty LF line would be one CRLF: the
        // ambiguity is the file's, not tieout's, so it is not generated.
        let next_empty = lines[i + 1].is_empty();
        mixed.push_str(match (i % 3, next_empty) {
            (0, _) => "\r\n",
            (1, false) => "\r",
            _ => "\n",
        });
    }
    let (_, want) = check(&lf);
    let (_, got) = check(mixed.as_bytes());
    assert_eq!(outcome(&got), outcome(&want));
    // Double carriage returns before a line feed are one line end.
    let doubled = text.replace('\n', "\r\r\n");
    let (_, got) = check(doubled.as_bytes());
    assert_eq!(outcome(&got), outcome(&want));
}

#[test]
fn a_run_of_lone_carriage_returns_splits_in_linear_time() {
    // Each CR of a long run ends a line; the run is scanned once.
    let mut bytes = b"Revenue was $5.0 million.".to_vec();
    bytes.extend(std::iter::repeat_n(b'\r', 2_000_000));
    let (doc, _) = check(&bytes);
    assert!(doc.issues.is_empty());
}

#[test]
fn a_figure_the_cell_grammar_cannot_read_leaves_its_column_unchecked() {
    let good = corpus("01-basic-quarter.txt");
    let text = String::from_utf8(good).unwrap();
    // `Other expense, net    (139)` with doubled parentheses: before, the
    // figure ran into the label, the row lost its concept and the pre-tax
    // identity and the footing of that column failed.
    let bad = text.replacen("  (139)", "((139))", 1);
    assert_ne!(bad, text);
    let (doc, out) = check(bad.as_bytes());
    assert!(serious(&out).is_empty(), "{:#?}", serious(&out));
    let at = bad.find("((139))").unwrap();
    let issue = doc
        .issues
        .iter()
        .find(|i| i.span.offset == at)
        .expect("the unread figure is reported");
    assert_eq!(issue.span.len, "((139))".len());
    assert!(issue.message.contains("((139))"), "{}", issue.message);
    // The row keeps its own label.
    let row = doc
        .exhibits
        .iter()
        .flat_map(|e| e.tables())
        .flat_map(|t| &t.rows)
        .find(|r| r.label.starts_with("Other expense"))
        .unwrap();
    assert_eq!(&*row.label, "Other expense, net");
    // The other columns are still checked: a changed figure there is caught.
    let moved = bad.replacen("(210)", "(211)", 1);
    let (_, out) = check(moved.as_bytes());
    assert!(!serious(&out).is_empty());
}

fn wide_text_table(cols: usize) -> String {
    let header: String = (0..cols)
        .map(|i| format!("  {:>8}", format!("Q{} {}", i % 4 + 1, 2000 + i / 4)))
        .collect();
    let mut out = format!("Statement of things\n(In thousands)\n\n{:20}{header}\n", "");
    for r in 0..5 {
        let cells: String = (0..cols)
            .map(|i| format!("  {:>8}", 1000 + r * 7 + i))
            .collect();
        out.push_str(&format!("Line item {r:<10}{cells}\n"));
    }
    out
}

#[test]
fn rows_wider_than_a_table_row_are_reported_not_half_read() {
    for cols in [60, 600, 5_000] {
        let text = wide_text_table(cols);
        let (doc, out) = check(text.as_bytes());
        let too_large = doc
            .issues
            .iter()
            .filter(|i| i.kind == ParseIssueKind::TooLarge)
            .count();
        // The header and the five rows.
        assert_eq!(too_large, 6, "{cols} columns: {:#?}", doc.issues);
        assert!(serious(&out).is_empty());
        // Not read as a table with the first figures in the label.
        assert!(
            doc.exhibits
                .iter()
                .flat_map(|e| e.tables())
                .flat_map(|t| &t.rows)
                .all(|r| !r.label.contains("1,0") && !r.label.contains("1000"))
        );
        let notes = out
            .findings
            .iter()
            .filter(|f| f.rule == "table-not-checked" && f.message.contains("wider than"))
            .count();
        assert_eq!(notes, 6);
    }
    // Within the limits nothing changes: 40 columns are read.
    let (doc, _) = check(wide_text_table(40).as_bytes());
    assert!(
        doc.issues
            .iter()
            .all(|i| i.kind != ParseIssueKind::TooLarge)
    );
    assert_eq!(
        doc.exhibits
            .iter()
            .flat_map(|e| e.tables())
            .next()
            .unwrap()
            .columns
            .len(),
        40
    );
}

#[test]
fn an_html_table_beyond_the_grid_limit_is_reported() {
    let cols = 3_000;
    let header: String = (0..cols)
        .map(|i| format!("<td>Q{} {}</td>", i % 4 + 1, 2000 + i / 4))
        .collect();
    let cells: String = (0..cols)
        .map(|i| format!("<td>{}</td>", 1000 + i))
        .collect();
    let html = format!(
        "<html><body><p>Statement</p><table><tr><td></td>{header}</tr>\
         <tr><td>Revenue</td>{cells}</tr></table></body></html>"
    );
    let (doc, out) = check(html.as_bytes());
    let issue = doc
        .issues
        .iter()
        .find(|i| i.kind == ParseIssueKind::TooLarge)
        .expect("the cut is reported");
    assert!(issue.message.contains("columns"), "{}", issue.message);
    assert!(serious(&out).is_empty());
}

fn load_error(yaml: &str) -> tieout::rules::load::LoadError {
    let mut pack = RulePack::try_default().unwrap();
    pack.load_str(yaml, "user.yaml").unwrap_err()
}

#[test]
fn yaml_syntax_errors_point_into_the_file() {
    let cases = [
        ("rules:\n  - id: x\n   title: t\n", "indentation"),
        ("rules:\n\t- id: x\n", "tab"),
        ("rules:\n  - id: \"x\n    title: t\n", "unclosed quote"),
        ("rules: [ {id: x, title: t\n", "unclosed bracket"),
        ("rules:\n  - id: *nope\n", "undefined alias"),
        ("rules:\n  - id: x\0\n", "NUL byte"),
    ];
    for (yaml, what) in cases {
        let e = load_error(yaml);
        let labels = e.labels_text();
        assert!(!labels.is_empty(), "{what}: no label: {}", e.message());
        let (span, _) = &labels[0];
        assert!(span.end() <= yaml.len(), "{what}: label past the end");
        assert!(yaml.is_char_boundary(span.offset), "{what}");
    }
}

fn rule_with_assert(assert: &str) -> String {
    format!(
        "rules:\n  - id: deep\n    title: t\n    severity: error\n    kind: assert\n    \
         scope: instant\n    assert: \"{assert}\"\n    help: h\n    docs:\n      checks: c\n      \
         why: w\n      example: e\n"
    )
}

#[test]
fn expressions_beyond_the_limits_are_refused_not_overflowing_the_stack() {
    let cases = [
        format!(
            "{}total_assets{} == total_assets",
            "(".repeat(5_000),
            ")".repeat(5_000)
        ),
        format!(
            "{}total_assets{} == total_assets",
            "abs(".repeat(10_000),
            ")".repeat(10_000)
        ),
        format!("{}total_assets == total_assets", "-".repeat(5_000)),
        format!(
            "{} == total_assets",
            vec!["total_assets"; 5_000].join(" + ")
        ),
    ];
    for assert in &cases {
        let yaml = rule_with_assert(assert);
        // On a worker thread's small stack too.
        let e = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || load_error(&yaml))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(e.kind(), LoadErrorKind::BadExpression, "{}", e.message());
        assert!(!e.labels_text().is_empty());
    }
    // Real rules are far inside the limits.
    let mut pack = RulePack::try_default().unwrap();
    pack.load_str(
        &rule_with_assert("abs(((total_assets))) == -(-total_assets)"),
        "user.yaml",
    )
    .unwrap();
}

#[test]
fn huge_rule_texts_are_refused() {
    let yaml = rule_with_assert("total_assets == total_assets")
        .replace("help: h", &format!("help: {}", "x".repeat(10_000)));
    let e = load_error(&yaml);
    assert_eq!(e.kind(), LoadErrorKind::Invalid);
    assert!(e.message().contains("help"), "{}", e.message());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let body =
        format!("# {}\n", "x".repeat(2 << 20)) + &rule_with_assert("total_assets == total_assets");
    std::fs::write(&path, body).unwrap();
    let mut pack = RulePack::try_default().unwrap();
    let e = pack.load_path(&path).unwrap_err();
    assert_eq!(e.kind(), LoadErrorKind::Io);
    assert!(e.message().contains("larger than"), "{}", e.message());
}

fn tieout() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tieout"));
    cmd.env_remove("FORCE_COLOR");
    cmd
}

#[test]
fn too_many_jobs_are_cut_to_a_sane_number() {
    let out = tieout()
        .args(["check", "-j", "100000", "--format", "concise"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/01-basic-quarter.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("worker threads"));
}

#[test]
fn a_streamed_run_cut_short_by_its_reader_does_not_pass() {
    // Enough files that the stream outgrows a pipe's buffer.
    let dir = tempfile::tempdir().unwrap();
    let release = corpus("01-basic-quarter.txt");
    for i in 0..400 {
        std::fs::write(dir.path().join(format!("r{i:03}.txt")), &release).unwrap();
    }
    // JSON is written file by file too.
    for format in ["jsonl", "json"] {
        let out = read_then_hang_up(
            tieout()
                .args(["check", "--format", format, "-j", "1", "--claims"])
                .arg(dir.path()),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Every file is clean, but not every file was checked.
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
    }
}

#[test]
fn a_folder_deeper_than_path_max_is_reported_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "d".repeat(200);
    // Built with relative steps: no single path the OS sees is too long.
    let script = format!(
        "for i in $(seq 30); do mkdir {name} && cd {name} || exit 1; done; echo release > r.txt"
    );
    let made = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .status()
        .unwrap();
    if !made.success() {
        eprintln!("note: this file system cannot hold a path deeper than PATH_MAX; skipped");
        return;
    }
    let out = tieout()
        .args(["check", "--format", "concise", "--fail-on", "unreadable"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("cannot reach this path"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

/// `text` as UTF-16 with a byte order mark.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_releases_read_like_utf8_with_spans_into_their_own_bytes() {
    let text = String::from_utf8(corpus("01-basic-quarter.txt")).unwrap();
    let (_, want) = check(text.as_bytes());
    for little_endian in [true, false] {
        let bytes = utf16(&text, little_endian);
        let (_, got) = check(&bytes);
        assert_eq!(
            outcome(&got),
            outcome(&want),
            "little endian: {little_endian}"
        );
        // A changed table figure and a changed narrative amount are
        // labelled on the changed code unit.
        for (from, to) in [("18,323", "18,333"), ("$48.2 million", "$49.2 million")] {
            let at = text.find(from).unwrap();
            let digit = from
                .bytes()
                .zip(to.bytes())
                .position(|(a, b)| a != b)
                .unwrap();
            let changed = text.replacen(from, to, 1);
            let bytes = utf16(&changed, little_endian);
            let byte = 2 + 2 * (text[..at].encode_utf16().count() + digit);
            let (_, out) = check(&bytes);
            let caught = out
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .any(|f| {
                    f.labels
                        .iter()
                        .any(|l| l.span.offset <= byte && byte < l.span.end())
                });
            assert!(caught, "{from} -> {to}: {:#?}", serious(&out));
            // Messages quote the figure as printed, not its UTF-16 bytes.
            if from.starts_with('$') {
                assert!(
                    out.findings.iter().any(|f| f.message.contains(to)),
                    "{:#?}",
                    serious(&out)
                );
            }
        }
    }
    // A byte order mark and nothing else is an empty file.
    let (doc, _) = check(&[0xFF, 0xFE, b' ', 0]);
    assert!(
        doc.issues
            .iter()
            .any(|i| i.kind == ParseIssueKind::Unreadable)
    );
}
