//! `--format html`, the reviewer's view: every finding and every verified
//! claim of `corpus/` (and the seeds, when `../shared` is here) has its mark
//! on the page; the pages are safe whatever the release holds; the markup
//! passes the Nu HTML Checker where it is installed; and headless Chromium
//! (Debian's `chromium`, installed by `.ci/run`) reads the page into a DOM
//! where every finding still has its mark, and takes a screenshot. The
//! browser and validator tests say why they are skipped where those tools
//! are missing.

#[path = "common/corpus.rs"]
mod common_corpus;
use common_corpus::corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use html5gum::{Token, Tokenizer};

const BIN: &str = env!("CARGO_BIN_EXE_tieout");

fn tieout(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An element of a page as a test sees it.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    /// Inside `<head>`.
    in_head: bool,
}

/// The start tags of a page, and the tokenizer's parse errors.
fn elements(html: &str) -> (Vec<Element>, Vec<String>, String) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut text = String::new();
    let mut in_head = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_ascii_lowercase();
                if name == "head" {
                    in_head = true;
                }
                let attrs = t
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).to_ascii_lowercase(),
                            String::from_utf8_lossy(&v.value).into_owned(),
                        )
                    })
                    .collect();
                out.push(Element {
                    name,
                    attrs,
                    in_head,
                });
            }
            Token::EndTag(t) => {
                if &t.name[..] == b"head" {
                    in_head = false;
                }
            }
            Token::String(s) => text.push_str(&String::from_utf8_lossy(&s.value)),
            Token::Error(e) => errors.push(format!("{e:?}")),
            Token::Comment(_) | Token::Doctype(_) => {}
        }
    }
    (out, errors, text)
}

/// Nothing on the page can run, fetch or navigate away: no script, frame,
/// object, image, form or base; no event attribute; no source, action or
/// link but to the page's own marks and pages; no `url(` in any style; one
/// style sheet, the report's own, in the head.
fn assert_safe(page: &str, what: &str) {
    let (els, errors, _) = elements(page);
    assert!(errors.is_empty(), "{what}: tokenizer errors {errors:?}");
    let mut sheets = 0;
    for e in &els {
        assert!(
            !matches!(
                e.name.as_str(),
                "script"
                    | "iframe"
                    | "frame"
                    | "object"
                    | "embed"
                    | "img"
                    | "svg"
                    | "math"
                    | "link"
                    | "base"
                    | "form"
                    | "input"
                    | "button"
                    | "video"
                    | "audio"
                    | "applet"
                    | "template"
            ),
            "{what}: a <{}> element",
            e.name
        );
        if e.name == "style" {
            assert!(e.in_head, "{what}: a style element outside the head");
            sheets += 1;
        }
        if e.name == "meta" {
            let ok = e.attrs.contains_key("charset")
                || matches!(
                    e.attrs.get("name").map(String::as_str),
                    Some("referrer" | "viewport" | "generator")
                )
                || e.attrs.get("http-equiv").map(String::as_str) == Some("Content-Security-Policy");
            assert!(ok, "{what}: a meta element {:?}", e.attrs);
        }
        for (k, v) in &e.attrs {
            assert!(!k.starts_with("on"), "{what}: attribute {k}={v}");
            assert!(
                !matches!(
                    k.as_str(),
                    "src" | "srcset" | "action" | "formaction" | "background" | "poster" | "data"
                ),
                "{what}: attribute {k}={v}"
            );
            let lower = v.to_ascii_lowercase();
            assert!(!lower.contains("javascript:"), "{what}: {k}={v}");
            if k == "style" {
                assert!(!lower.contains("url("), "{what}: style {v}");
            }
            if k == "href" {
                let own = v.starts_with('#')
                    || v == "../index.html"
                    || (v.starts_with("pages/") && v.ends_with(".html") && !v.contains(".."));
                assert!(own, "{what}: a link to {v}");
            }
        }
    }
    assert_eq!(sheets, 1, "{what}: style sheets");
    let csp = els
        .iter()
        .find(|e| e.attrs.get("http-equiv").map(String::as_str) == Some("Content-Security-Policy"))
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    let policy = &csp.attrs["content"];
    assert!(policy.contains("default-src 'none'"), "{what}: {policy}");
    assert!(!policy.contains("script-src"), "{what}: {policy}");
}

/// The marks of a page: for each mark, its class and the findings and
/// claims it stands for.
struct PageMarks {
    findings: BTreeMap<usize, BTreeSet<String>>,
    claims: BTreeMap<usize, BTreeSet<String>>,
    count: usize,
}

fn marks(page: &str) -> PageMarks {
    let (els, _, _) = elements(page);
    let mut m = PageMarks {
        findings: BTreeMap::new(),
        claims: BTreeMap::new(),
        count: 0,
    };
    for e in els.iter().filter(|e| {
        e.attrs
            .get("class")
            .is_some_and(|c| c.split(' ').any(|w| w == "mk"))
            && e.attrs.contains_key("id")
    }) {
        m.count += 1;
        let class = e.attrs["class"].clone();
        for (attr, map) in [
            ("data-findings", &mut m.findings),
            ("data-claims", &mut m.claims),
        ] {
            if let Some(list) = e.attrs.get(attr) {
                for i in list.split(' ') {
                    map.entry(i.parse().unwrap())
                        .or_default()
                        .insert(class.clone());
                }
            }
        }
    }
    m
}

/// The pages of a folder report, in the order of the run, with their
/// paths as the index names them.
fn pages(dir: &Path) -> Vec<(String, String)> {
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert_safe(&index, "index.html");
    let mut out = Vec::new();
    let mut href: Option<String> = None;
    for token in Tokenizer::new(&index).flatten() {
        match token {
            Token::StartTag(t) if &t.name[..] == b"a" => {
                href = t
                    .attributes
                    .get(&b"href"[..])
                    .map(|v| String::from_utf8_lossy(&v.value).into_owned());
            }
            Token::String(s) => {
                if let Some(h) = href.take() {
                    out.push((String::from_utf8_lossy(&s.value).into_owned(), h));
                }
            }
            _ => {}
        }
    }
    out
}

fn checked_paths() -> Vec<String> {
    let mut paths = vec!["corpus".to_owned()];
    if root().join("../shared/seeds").is_dir() {
        paths.push("../shared/seeds".to_owned());
    }
    paths
}

#[test]
fn every_finding_and_every_verified_claim_has_its_mark() {
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report");
    let paths = checked_paths();
    let mut args = vec!["check", "--format", "html", "-o", report.to_str().unwrap()];
    args.extend(paths.iter().map(String::as_str));
    let run = tieout(&root(), &args);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.stdout.is_empty(),
        "a folder report writes nothing to the output"
    );
    let mut args = vec!["check", "--format", "json", "--claims"];
    args.extend(paths.iter().map(String::as_str));
    let json: serde_json::Value = serde_json::from_slice(&tieout(&root(), &args).stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let pages = pages(&report);
    assert_eq!(pages.len(), files.len());
    let (mut findings, mut verified, mut marked) = (0, 0, 0);
    for (file, (path, href)) in files.iter().zip(&pages) {
        assert_eq!(file["path"], path.as_str());
        let page = std::fs::read_to_string(report.join(href)).unwrap();
        assert_safe(&page, path);
        let m = marks(&page);
        marked += m.count;
        // `--claims` adds unverifiable claims as notes; the page marks
        // the claims themselves.
        let listed: Vec<&serde_json::Value> = file["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] != "narrative-unverifiable")
            .collect();
        for (i, f) in listed.iter().enumerate() {
            findings += 1;
            let classes = m
                .findings
                .get(&i)
                .unwrap_or_else(|| panic!("{path}: finding {i} ({}) has no mark", f["message"]));
            let want = match f["severity"].as_str().unwrap() {
                "note" => "mk unk",
                _ => "mk bad",
            };
            assert!(
                classes.iter().any(|c| c == want),
                "{path}: finding {i} marked {classes:?}, not {want}"
            );
        }
        for (i, c) in file["claims"].as_array().unwrap().iter().enumerate() {
            if c["status"] == "verified" {
                verified += 1;
                let classes = m
                    .claims
                    .get(&i)
                    .unwrap_or_else(|| panic!("{path}: verified claim {i} has no mark"));
                assert!(
                    classes.iter().any(|c| c == "mk ok"),
                    "{path}: verified claim {i} marked {classes:?}"
                );
            }
        }
    }
    assert!(findings >= 14, "{findings} findings");
    assert!(verified >= 100, "{verified} verified claims");
    eprintln!(
        "{} pages: {findings} findings and {verified} verified claims marked, {marked} marks",
        pages.len()
    );
}

#[test]
fn one_release_is_one_page_and_a_sweep_needs_a_folder() {
    let run = tieout(
        &root(),
        &[
            "check",
            "--format",
            "html",
            "corpus/broken/gross-profit-mismatch.txt",
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    let page = String::from_utf8(run.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_safe(&page, "stdout page");
    assert!(page.contains("gross-profit-mismatch"));
    assert!(marks(&page).findings.contains_key(&0));

    let run = tieout(&root(), &["check", "--format", "html", "corpus/broken"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("-o DIR"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    let run = tieout(
        &root(),
        &[
            "check",
            "--format",
            "html",
            "-o",
            file.to_str().unwrap(),
            "corpus/broken",
        ],
    );
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    let run = tieout(&root(), &["merge", "--format", "html", "x.jsonl"]);
    assert_eq!(run.status.code(), Some(2));
}

/// A text release and an HTML release carrying every way in we know of.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let payload = "<script>alert('t1')</script> \"><img src=x onerror=alert('t2')> \
                   <a href=\"javascript:alert('t3')\">x</a> <svg onload=alert('t4')>";
    let mut text = String::from_utf8(corpus("broken/gross-profit-mismatch.txt")).unwrap();
    let at = text.find("\n\n").unwrap();
    text.insert_str(at, &format!("\n{payload}\n"));
    std::fs::write(dir.path().join("text.txt"), text).unwrap();
    let mut html = String::from_utf8(corpus("broken/html-total-does-not-foot.htm")).unwrap();
    let body = html
        .find("<body")
        .map_or(0, |i| i + html[i..].find('>').unwrap() + 1);
    html.insert_str(
        body,
        &format!(
            "<p>{payload}</p><script>alert('h1')</script><iframe src=\"http://example.com/\"></iframe>\
             <object data=\"x.swf\"></object><embed src=\"x\"><base href=\"http://example.com/\">\
             <meta http-equiv=\"refresh\" content=\"0;url=http://example.com/\">\
             <link rel=\"stylesheet\" href=\"http://example.com/x.css\">\
             <style>body{{background:url(http://example.com/bg.png)}}</style>\
             <form action=\"http://example.com/\"><input name=q><button formaction=\"x\">go</button></form>\
             <p style=\"color:red;background-image:url(http://example.com/i.png);width:expression(alert('h2'))\" \
             onmouseover=\"alert('h3')\">styled</p><div style=\"font-family:&quot;x&quot;;\\\"><img src=x>\">d</div>\
             <math><mtext><table><mglyph><style><img src=x onerror=alert('h4')></style></mglyph></table></mtext></math>\
             <noscript><p title=\"</noscript><img src=x onerror=alert('h5')>\"></noscript>\
             <table><tr><td background=\"http://example.com/b.png\">cell</td></tr></table>"
        ),
    );
    std::fs::write(dir.path().join("html.htm"), html).unwrap();
    dir
}

#[test]
fn a_release_cannot_put_anything_executable_into_its_report() {
    let dir = hostile();
    // In a text release the payload is text; in an HTML release it is
    // markup, dropped but for its text.
    for (file, expect) in [("text.txt", "alert('t1')"), ("html.htm", "styled")] {
        let run = tieout(dir.path(), &["check", "--format", "html", file]);
        assert_eq!(run.status.code(), Some(1), "{file}");
        let page = String::from_utf8(run.stdout).unwrap();
        assert_safe(&page, file);
        // The payload is shown as the text it is.
        let (_, _, text) = elements(&page);
        assert!(text.contains(expect), "{file}: the payload text is gone");
        assert!(!page.contains("<script"), "{file}");
        // Still a review: the release's finding is marked.
        assert!(marks(&page).findings.contains_key(&0), "{file}");
    }
}

/// Debian's Chromium, where installed (`TIEOUT_CHROMIUM` names another).
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TIEOUT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// The width and height of a PNG file.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn chromium_shows_every_finding_with_its_mark() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium (apt install chromium, or set TIEOUT_CHROMIUM)");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let shots = root().join("target/html-report");
    std::fs::create_dir_all(&shots).unwrap();
    let hostile = hostile();
    let releases = [
        root().join("corpus/broken/total-does-not-foot.txt"),
        root().join("corpus/broken/html-total-does-not-foot.htm"),
        root().join("corpus/broken/html-narrative-amount-mismatch.htm"),
        hostile.path().join("html.htm"),
    ];
    for (n, release) in releases.iter().enumerate() {
        let page_path = work.path().join(format!("page{n}.html"));
        let run = tieout(
            &root(),
            &[
                "check",
                "--format",
                "html",
                "-o",
                page_path.to_str().unwrap(),
                release.to_str().unwrap(),
            ],
        );
        assert_eq!(
            run.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(
            &tieout(
                &root(),
                &["check", "--format", "json", release.to_str().unwrap()],
            )
            .stdout,
        )
        .unwrap();
        let findings = json["files"][0]["findings"].as_array().unwrap().len();
        assert!(findings > 0);
        let url = format!("file://{}", page_path.display());
        let profile = work.path().join(format!("profile{n}"));
        let dom = headless(&browser, &profile)
            .args(["--virtual-time-budget=2000", "--dump-dom", &url])
            .output()
            .unwrap();
        if !dom.status.success() || dom.stdout.is_empty() {
            eprintln!(
                "skipped: Chromium could not run here: {}",
                String::from_utf8_lossy(&dom.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            return;
        }
        // The DOM the browser built: no script got in, and every finding
        // still has its mark (none was moved or dropped by the parser).
        let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
        let (els, _, _) = elements(&dom);
        assert!(
            els.iter()
                .all(|e| e.name != "script" && e.name != "img" && e.name != "iframe")
        );
        assert!(
            els.iter()
                .all(|e| e.attrs.keys().all(|k| !k.starts_with("on")))
        );
        let m = marks(&dom);
        for i in 0..findings {
            assert!(
                m.findings.contains_key(&i),
                "{}: finding {i} has no mark in the DOM",
                release.display()
            );
        }
        let shot = shots.join(format!("page{n}.png"));
        let _ = std::fs::remove_file(&shot);
        let run = headless(&browser, &work.path().join(format!("shot{n}")))
            .args(["--window-size=1280,2000"])
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let png = std::fs::read(&shot).unwrap();
        assert_eq!(png_size(&png), (1280, 2000));
        assert!(
            png.len() > 20_000,
            "an empty screenshot ({} bytes)",
            png.len()
        );
        eprintln!(
            "{}: {} marks; screenshot {}",
            release.display(),
            m.count,
            shot.display()
        );
    }
}

/// The Nu HTML Checker: `TIEOUT_VNU_JAR` (set by `.ci/run`) or `vnu`.
fn validator() -> Option<Command> {
    if let Some(jar) = std::env::var_os("TIEOUT_VNU_JAR").filter(|j| Path::new(j).exists()) {
        let mut c = Command::new("java");
        c.arg("-jar").arg(jar);
        return Some(c);
    }
    Command::new("vnu")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| Command::new("vnu"))
}

#[test]
fn the_pages_pass_the_nu_html_checker() {
    let Some(mut vnu) = validator() else {
        eprintln!("skipped: no Nu HTML Checker (npm install vnu-jar and set TIEOUT_VNU_JAR)");
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report");
    let mut args = vec!["check", "--format", "html", "-o", report.to_str().unwrap()];
    let paths = checked_paths();
    args.extend(paths.iter().map(String::as_str));
    let hostile = hostile();
    let h = hostile.path().to_str().unwrap().to_owned();
    args.push(&h);
    assert_eq!(tieout(&root(), &args).status.code(), Some(1));
    let run = vnu
        .args(["--errors-only", "--skip-non-html"])
        .arg(&report)
        .output()
        .unwrap();
    let messages = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success() && messages.trim().is_empty(),
        "{messages}"
    );
}
