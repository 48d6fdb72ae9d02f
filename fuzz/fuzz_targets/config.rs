//! Fuzz target: `tieout.yaml` and `tieout.ack.yaml` parsing never panics.
//!
//! Run with `cargo +nightly fuzz run config` from the repository root.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tieout::cli::acks::Acks;
use tieout::cli::config::Config;
use tieout::rules::RulePack;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    static PACK: OnceLock<RulePack> = OnceLock::new();
    let pack = PACK.get_or_init(RulePack::default_pack);
    let _ = Config::parse(src, "tieout.yaml", PathBuf::from("tieout.yaml"), PathBuf::from("."));
    let _ = Acks::parse(
        src,
        "tieout.ack.yaml",
        PathBuf::from("tieout.ack.yaml"),
        PathBuf::from("."),
        pack,
    );
});
