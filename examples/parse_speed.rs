//! Quick parse-throughput probe: `cargo run --release --example parse_speed FILE...`.
//! The benchmark of record is `cargo bench --bench parse`.
fn main() {
    let files: Vec<Vec<u8>> = std::env::args()
        .skip(1)
        .map(|p| std::fs::read(p).expect("readable"))
        .collect();
    let total: usize = files.iter().map(Vec::len).sum();
    let start = std::time::Instant::now();
    let mut rounds = 0;
    while start.elapsed().as_secs_f64() < 3.0 {
        for f in &files {
            std::hint::black_box(tieout::parse::parse(f));
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
