//! User rule files end to end: the example in docs/rules.md works as
//! documented, and a broken rule file stops the run with a diagnostic that
//! points into the YAML.

use std::path::Path;

use assert_cmd::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The YAML example of "Writing a rule file" in docs/rules.md.
fn documented_example() -> String {
    let doc = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let section = &doc[doc.find("## Writing a rule file").expect("section exists")..];
    let start = section.find("```yaml\n").expect("yaml example") + 8;
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

#[test]
fn documented_user_rule_file_overrides_and_adds_rules() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("house-rules.yaml");
    std::fs::write(&rules, documented_example()).unwrap();

    // The new rule fires as a warning: the run does not fail by default.
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise", "--rules"])
        .arg(&rules)
        .arg(root().join("corpus/02-three-and-nine-months.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[current-ratio-below-one]"), "{text}");
    assert!(
        text.contains("Total current assets 52,614 < Total current liabilities 54,210"),
        "{text}"
    );
    assert!(text.contains("(no tolerance)"), "{text}");

    // The overridden default now reports a note, which does not fail.
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--format", "concise", "--rules"])
        .arg(&rules)
        .arg(root().join("corpus/broken/accumulated-deficit-roll.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("note[accumulated-deficit-roll]"), "{text}");
    assert_eq!(out.status.code(), Some(0), "{text}");

    // `tieout rules` shows where each rule comes from.
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["rules", "--rules"])
        .arg(&rules)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("current-ratio-below-one"))
        .expect("listed");
    assert!(line.contains("house-rules.yaml"), "{line}");
}

#[test]
fn broken_rule_file_points_into_the_yaml_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad.yaml");
    let yaml = documented_example().replace(
        "    tolerance: {absolute: \"0\"}",
        "    tolerence: {absolute: \"0\"}",
    );
    std::fs::write(&rules, &yaml).unwrap();
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["check", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(root().join("corpus/01-basic-quarter.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tolerence"),
        "the diagnostic quotes the bad key: {err}"
    );
    assert!(err.contains("bad.yaml"), "and names the file: {err}");

    // An unknown concept in an assertion is pointed at inside the expression.
    let yaml = documented_example().replace("total_current_assets >=", "total_curent_assets >=");
    std::fs::write(&rules, &yaml).unwrap();
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["explain", "current-ratio-below-one", "--rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("total_curent_assets"), "{err}");
}

#[test]
fn explain_prints_the_rule_documentation() {
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["explain", "total-does-not-foot"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("total-does-not-foot"));
    assert!(text.to_lowercase().contains("example"), "{text}");
    let out = Command::cargo_bin("tieout")
        .unwrap()
        .env_remove("FORCE_COLOR")
        .args(["explain", "no-such-rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
