//! Parse throughput over the `corpus/*.txt` releases, alone and with the
//! default rule pack's check. Each file is a separate input; throughput is
//! reported over the total bytes of one pass.
//!
//! `cargo bench --bench parse` (add `-- --quick` for a short run).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tieout::check::check_document;
use tieout::rules::RulePack;

// The allocator of the `tieout` binary, so that the figures are the tool's;
// `cargo bench --features system-alloc` measures with the system allocator,
// as a library user who keeps it gets.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file is readable"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let total: u64 = files.iter().map(|f| f.len() as u64).sum();
    let pack = RulePack::default_pack();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for f in &files {
                black_box(tieout::parse::parse(black_box(f)));
            }
        })
    });
    group.bench_function("parse+check", |b| {
        b.iter(|| {
            for f in &files {
                let doc = tieout::parse::parse(black_box(f));
                black_box(check_document(&doc, &pack, f));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
