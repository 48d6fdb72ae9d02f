//! Fuzz target: parsing never panics, every span lies within the input, and
//! the checker never panics on what the parser returns.
//!
//! Run with `cargo +nightly fuzz run parse` from the repository root.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tieout::ast::Block;
use tieout::rules::RulePack;

fuzz_target!(|data: &[u8]| {
    let doc = tieout::parse::parse(data);
    let len = data.len();
    assert!(doc.span.end() <= len);
    for issue in &doc.issues {
        assert!(issue.span.end() <= len, "issue span {:?}", issue.span);
    }
    for ex in &doc.exhibits {
        assert!(ex.span.end() <= len);
        for block in &ex.blocks {
            match block {
                Block::Paragraph(p) => {
                    assert!(p.span.end() <= len, "paragraph span {:?}", p.span);
                }
                Block::Table(t) => {
                    assert!(t.span.end() <= len, "table span {:?}", t.span);
                    for c in &t.columns {
                        assert!(c.span.end() <= len, "column span {:?}", c.span);
                    }
                    for r in &t.rows {
                        assert!(r.span.end() <= len, "row span {:?}", r.span);
                        for cell in r.cells.iter().flatten() {
                            assert!(cell.span.end() <= len, "cell span {:?}", cell.span);
                        }
                    }
                }
            }
        }
    }
    static PACK: OnceLock<RulePack> = OnceLock::new();
    let pack = PACK.get_or_init(RulePack::default_pack);
    let _ = tieout::check::check_document(&doc, pack, data);
});
