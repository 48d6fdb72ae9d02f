//! Where labels land: line/column in Latin-1 (Windows-1252) and CRLF
//! sources, and labels that point past the end or into the middle of a
//! character. Every format must render such labels without panicking.

use std::sync::Arc;

use proptest::prelude::*;
use tieout::finding::{Finding, Label, Severity};
use tieout::report::{
    FileReport, FileStatus, Format, Position, RenderOptions, SourceText, Stats, render_all,
};
use tieout::span::Span;

fn report(path: &str, source: &[u8], labels: Vec<Label>) -> FileReport {
    FileReport {
        path: path.into(),
        status: FileStatus::Ok,
        error: None,
        stats: Stats::default(),
        findings: vec![Finding {
            rule: "total-does-not-foot".into(),
            severity: Severity::Error,
            message: "Total is 1,250 but its items sum to 1,240.".into(),
            help: Some("Fix the total.".into()),
            url: None,
            labels,
            acknowledged: false,
            difference: None,
            elsewhere: Vec::new(),
        }],
        source: Arc::new(source.to_vec()),
        view: None,
        known: None,
        claims: Vec::new(),
        untouched: Vec::new(),
        review: None,
    }
}

fn render(format: Format, reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    let opts = RenderOptions {
        color: false,
        width: Some(80),
        tool_version: "0.0.0-test".into(),
    };
    render_all(format, reports, &[], &opts, &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("every format is UTF-8")
}

fn json_labels(report: &FileReport) -> Vec<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_str(&render(Format::Json, std::slice::from_ref(report))).unwrap();
    doc["files"][0]["findings"][0]["labels"]
        .as_array()
        .unwrap()
        .clone()
}

/// "Société Générale — “Q3” résultats" in Windows-1252, then a table line.
const LATIN1: &[u8] =
    b"Soci\xe9t\xe9 G\xe9n\xe9rale \x97 \x93Q3\x94 r\xe9sultats\nTotal\xa0ventes  1\xa0250\n";

#[test]
fn latin1_columns_count_one_character_per_byte() {
    let text = SourceText::new(LATIN1);
    assert!(!text.is_utf8());
    assert!(
        text.text()
            .starts_with("Société Générale — “Q3” résultats\n")
    );

    // "Q3" sits at byte 20, after the opening quote (byte 19); with one
    // character per byte that is column 21.
    let q3 = Span::new(20, 2);
    let loc = text.locate(q3);
    assert_eq!(
        loc.start,
        Position {
            line: 1,
            column: 21
        }
    );
    assert_eq!(
        loc.end,
        Position {
            line: 1,
            column: 23
        }
    );
    assert_eq!(loc.snippet, "Q3");
    assert_eq!(loc.span, q3, "byte offsets are the original file's");

    // "1\xa0250" on line 2: the no-break space is one byte and one column.
    let amount = Span::new(LATIN1.len() - 6, 5);
    let labels = json_labels(&report(
        "latin1.txt",
        LATIN1,
        vec![Label::new(amount, "total")],
    ));
    assert_eq!(labels[0]["line"], 2);
    assert_eq!(labels[0]["column"], 15);
    assert_eq!(labels[0]["end_column"], 20);
    assert_eq!(labels[0]["snippet"], "1\u{a0}250");
    assert_eq!(labels[0]["offset"], LATIN1.len() - 6);
    assert_eq!(labels[0]["length"], 5);
}

#[test]
fn latin1_renders_decoded_in_every_format() {
    let r = report(
        "latin1.txt",
        LATIN1,
        vec![Label::new(Span::new(0, 7), "name")],
    );
    let human = render(Format::Human, std::slice::from_ref(&r));
    assert!(human.contains("Société Générale"), "{human}");
    assert!(human.contains("[latin1.txt:1:1]"), "{human}");
    let sarif = render(Format::Sarif, std::slice::from_ref(&r));
    assert!(sarif.contains(r#""text": "Société""#), "{sarif}");
}

#[test]
fn human_header_columns_count_characters_like_the_other_formats() {
    // "né" is three bytes but two characters: 1,250 starts at column 4.
    let src = "né 1,250\n".as_bytes();
    let r = report("u.txt", src, vec![Label::new(Span::new(4, 5), "total")]);
    let human = render(Format::Human, std::slice::from_ref(&r));
    assert!(human.contains("[u.txt:1:4]"), "{human}");
    assert!(render(Format::Concise, &[r]).starts_with("u.txt:1:4:"));
}

#[test]
fn crlf_lines_and_columns_match_lf() {
    let crlf = b"Revenue\r\nProduct   900\r\nTotal   1,250\r\n";
    let lf = b"Revenue\nProduct   900\nTotal   1,250\n";
    let find = |src: &[u8], needle: &[u8]| {
        let at = src.windows(needle.len()).position(|w| w == needle).unwrap();
        Span::new(at, needle.len())
    };
    for src in [&crlf[..], &lf[..]] {
        let labels = json_labels(&report(
            "r.txt",
            src,
            vec![Label::new(find(src, b"1,250"), "total")],
        ));
        assert_eq!(
            (labels[0]["line"].as_u64(), labels[0]["column"].as_u64()),
            (Some(3), Some(9))
        );
        assert_eq!(labels[0]["end_column"], 14);
        assert_eq!(labels[0]["snippet"], "1,250");
    }
    // A label on the line break itself stays on the line it ends.
    let text = SourceText::new(crlf);
    assert_eq!(
        text.locate(Span::new(7, 1)).start,
        Position { line: 1, column: 8 }
    );
    assert_eq!(
        text.locate(Span::new(9, 1)).start,
        Position { line: 2, column: 1 }
    );
    let concise = render(
        Format::Concise,
        &[report(
            "r.txt",
            crlf,
            vec![Label::new(find(crlf, b"900"), "x")],
        )],
    );
    assert!(
        concise.starts_with("r.txt:2:11: error[total-does-not-foot]"),
        "{concise}"
    );
}

#[test]
fn labels_beyond_the_end_never_panic() {
    let src = "Total revenue 1,250\nné\n".as_bytes();
    let labels = vec![
        Label::new(Span::new(14, 5), "in range"),
        Label::new(Span::new(src.len(), 0), "at the end"),
        Label::new(Span::new(src.len() + 10, 3), "past the end"),
        Label::new(Span::new(usize::MAX, usize::MAX), "absurd"),
        Label::new(Span::new(22, 1), "inside é"),
        Label::new(Span::new(0, 0), ""),
    ];
    let r = report("edge.txt", src, labels);
    for format in Format::ALL {
        let out = render(format, std::slice::from_ref(&r));
        assert!(!out.is_empty(), "{format}");
    }
    let labels = json_labels(&r);
    assert_eq!(labels[2]["offset"], src.len());
    assert_eq!(labels[2]["length"], 0);
    assert_eq!(labels[3]["line"], 3);
    assert_eq!(labels[4]["snippet"], "é", "widened to the whole character");
    assert_eq!(labels[4]["offset"], 21);
    assert_eq!(labels[4]["length"], 2);
}

#[test]
fn empty_and_unlabelled_findings_render() {
    let r = report(
        "empty.txt",
        b"",
        vec![Label::new(Span::new(3, 3), "nothing here")],
    );
    let bare = report("bare.txt", b"abc", Vec::new());
    for format in Format::ALL {
        render(format, &[r.clone(), bare.clone()]);
    }
    assert!(render(Format::Concise, &[bare]).starts_with("bare.txt: error[total-does-not-foot]"));
}

fn source_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Mostly text with line breaks and multibyte characters.
        "[a-zé€ 0-9,\r\n\t]{0,80}".prop_map(String::into_bytes),
        // Arbitrary bytes, usually not UTF-8.
        proptest::collection::vec(any::<u8>(), 0..80),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_span_in_any_source_renders_in_every_format(
        src in source_bytes(),
        spans in proptest::collection::vec((0usize..100, 0usize..40), 1..4),
    ) {
        let labels = spans
            .into_iter()
            .map(|(offset, len)| Label::new(Span::new(offset, len), "label"))
            .collect();
        let r = report("p.txt", &src, labels);
        for format in Format::ALL {
            render(format, std::slice::from_ref(&r));
        }
        let text = SourceText::new(&src);
        for label in &r.findings[0].labels {
            let loc = text.locate(label.span);
            prop_assert!(loc.span.end() <= src.len());
            prop_assert!(loc.start <= loc.end);
            prop_assert!(loc.start.line >= 1 && loc.start.column >= 1);
        }
    }
}
