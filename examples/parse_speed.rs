//! Quick parse-throughput probe: `cargo run --release --example parse_speed FILE...`.
//! The benchmark of record is `cargo bench --bench parse`. With
//! `TIEOUT_ROUNDS=N` it runs exactly N rounds (for `valgrind --tool=callgrind`)
//! instead of three seconds. With `TIEOUT_CHECK=1` each parse is also
//! checked with the default rule pack (what a sweep does per file). It uses
//! the `tieout` binary's allocator (mimalloc) unless built with
//! `--features system-alloc`.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let files: Vec<Vec<u8>> = std::env::args()
        .skip(1)
        .map(|p| std::fs::read(p).expect("readable"))
        .collect();
    let total: usize = files.iter().map(Vec::len).sum();
    let fixed: Option<usize> = std::env::var("TIEOUT_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok());
    let check = std::env::var_os("TIEOUT_CHECK").is_some_and(|v| v == "1");
    // Loaded only when asked for: it costs far more than one parse.
    let pack = check.then(tieout::rules::RulePack::default_pack);
    let start = std::time::Instant::now();
    let mut rounds = 0;
    loop {
        match fixed {
            Some(n) if rounds >= n => break,
            None if start.elapsed().as_secs_f64() >= 3.0 => break,
            _ => {}
        }
        for f in &files {
            let doc = tieout::parse::parse(f);
            if let Some(pack) = &pack {
                std::hint::black_box(tieout::check::check_document(&doc, pack, f));
            }
            std::hint::black_box(doc);
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:.1} MB/s ({} bytes x {rounds} rounds in {secs:.2}s)",
        (total * rounds) as f64 / secs / 1e6,
        total
    );
}
