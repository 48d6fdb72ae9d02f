//! The `sarif` format: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; one `reportingDescriptor` per rule; one result per finding with
//! the first label as its location and the others as `relatedLocations`.
//! Columns are Unicode code points (`run.columnKind`), matching the other
//! formats; regions also carry `byteOffset`/`byteLength` into the original
//! file. Files that could not be read become error notifications on the
//! invocation, which still counts as successful: the tool ran, the file
//! did not open.
//!
//! The document is built from typed structs, never from `serde_json::Value`
//! maps, so key order is fixed whatever features `serde_json` is built with.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, FileStatus, RenderOptions, RuleInfo, SourceText, Spool};
use crate::finding::{Finding, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key. GitHub computes and reserves
/// `primaryLocationLineHash` itself (and warns when a tool's value differs),
/// so ours has its own versioned name.
const FINGERPRINT_KEY: &str = "tieout/v1";

/// Set on acknowledged findings' suppressions.
const ACK_JUSTIFICATION: &str = "Acknowledged in the tieout acknowledgements file.";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    snippet: Message,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// SARIF written file by file: each file's results are serialized as the
/// file arrives into a [`Spool`] (a temporary file), and [`Self::finish`]
/// writes the log around them. The bytes are those of one
/// `serde_json::to_writer_pretty` of the whole log; memory holds the rule
/// index and the unreadable files' notifications, never a file's bytes.
pub(super) struct SarifStream {
    rule_index: HashMap<String, usize>,
    notifications: Vec<Notification>,
    spool: Spool,
    results: usize,
}

/// How deep a result sits in the pretty-printed log (`runs[0].results[i]`),
/// in spaces.
const RESULT_INDENT: &str = "        ";

impl SarifStream {
    pub(super) fn new(rules: &[RuleInfo]) -> SarifStream {
        SarifStream {
            rule_index: rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
            notifications: Vec::new(),
            spool: Spool::new(),
            results: 0,
        }
    }

    pub(super) fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let artifact = artifact_location(&report.path);
        if report.status == FileStatus::Error {
            let reason = report.error_reason();
            self.notifications.push(Notification {
                level: "error",
                message: Message {
                    text: format!("could not read {}: {reason}", report.path),
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region: None,
                    },
                    message: None,
                }],
            });
            return Ok(());
        }
        if report.status == FileStatus::NotChecked {
            self.notifications.push(Notification {
                level: "warning",
                message: Message {
                    text: format!(
                        "nothing checked in {}: {}",
                        report.path,
                        report.error_reason()
                    ),
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact.clone(),
                        region: None,
                    },
                    message: None,
                }],
            });
        }
        if report.findings.is_empty() {
            return Ok(());
        }
        let text = report.source_text();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for finding in &report.findings {
            let hash = fingerprint(finding, &artifact.uri, &text);
            // Identical findings in one file are told apart by their order,
            // as GitHub does for its own line hashes.
            let occurrence = seen.entry(hash.clone()).or_default();
            *occurrence += 1;
            let fingerprint = format!("{hash}:{occurrence}");
            let result = result(
                finding,
                &artifact,
                &text,
                self.rule_index.get(finding.rule.as_str()).copied(),
                fingerprint,
            );
            self.spool
                .write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
            self.spool.write_all(RESULT_INDENT.as_bytes())?;
            let mut piece = Vec::new();
            super::json::pretty_at(&result, RESULT_INDENT.len(), &mut piece)?;
            self.spool.write_all(&piece)?;
            self.results += 1;
        }
        Ok(())
    }

    pub(super) fn finish(
        &mut self,
        rules: &[RuleInfo],
        opts: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "tieout",
                        version: &opts.tool_version,
                        semantic_version: &opts.tool_version,
                        information_uri: information_uri(),
                        rules: rules.iter().map(descriptor).collect(),
                    },
                },
                invocations: [Invocation {
                    execution_successful: true,
                    tool_execution_notifications: std::mem::take(&mut self.notifications),
                }],
                column_kind: "unicodeCodePoints",
                results: Vec::new(),
            }],
        };
        let frame = serde_json::to_string_pretty(&log)?;
        // `results` is the run's last key and the run the log's last value:
        // the empty array is the last `"results": []` of the frame (a string
        // holding those characters would have its quotes escaped).
        const EMPTY: &str = "\"results\": []";
        let Some(at) = frame.rfind(EMPTY).filter(|_| self.results > 0) else {
            out.write_all(frame.as_bytes())?;
            return writeln!(out);
        };
        out.write_all(&frame.as_bytes()[..at + EMPTY.len() - 1])?;
        self.spool.copy_to(out)?;
        write!(out, "\n      ]")?;
        out.write_all(&frame.as_bytes()[at + EMPTY.len()..])?;
        writeln!(out)
    }
}

/// The project's page, from Cargo metadata (`homepage`, else `repository`),
/// so it is never invented here.
fn information_uri() -> Option<&'static str> {
    [
        option_env!("CARGO_PKG_HOMEPAGE"),
        option_env!("CARGO_PKG_REPOSITORY"),
    ]
    .into_iter()
    .flatten()
    .find(|s| !s.is_empty())
}

fn descriptor(rule: &RuleInfo) -> ReportingDescriptor<'_> {
    let mut text = rule.description.clone();
    let mut markdown = format!("**{}**\n\n{}", rule.title, rule.description);
    if let Some(help) = &rule.help {
        text = format!("{text}\n\n{help}");
        markdown = format!("{markdown}\n\n{help}");
    }
    if let Some(url) = &rule.url {
        markdown = format!("{markdown}\n\n[Documentation]({url})");
    }
    ReportingDescriptor {
        id: &rule.id,
        name: pascal_case(&rule.id),
        short_description: Message {
            text: rule.title.clone(),
        },
        full_description: Message {
            text: rule.description.clone(),
        },
        help: MultiformatMessage { text, markdown },
        help_uri: rule.url.as_deref(),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
    }
}

fn result(
    finding: &Finding,
    artifact: &ArtifactLocation,
    text: &SourceText<'_>,
    rule_index: Option<usize>,
    fingerprint: String,
) -> SarifResult {
    let mut locations: Vec<Location> = finding
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let loc = text.locate(label.span);
            Location {
                // Related locations are numbered from 1; the primary has no id.
                id: (i > 0).then_some(i),
                physical_location: PhysicalLocation {
                    artifact_location: artifact.clone(),
                    region: Some(Region {
                        start_line: loc.start.line,
                        start_column: loc.start.column,
                        end_line: loc.end.line,
                        end_column: loc.end.column,
                        byte_offset: loc.span.offset,
                        byte_length: loc.span.len,
                        snippet: Message {
                            text: loc.snippet.to_owned(),
                        },
                    }),
                },
                message: (!label.text.is_empty()).then(|| Message {
                    text: label.text.clone(),
                }),
            }
        })
        .collect();
    let n = locations.len().max(1);
    let elsewhere: Vec<Location> = finding
        .elsewhere
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let p = e.place.clone().unwrap_or_default();
            Location {
                id: Some(n + i),
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&e.path),
                    // An unread file has no line to give: its bytes only.
                    region: Some(Region {
                        start_line: p.line.max(1),
                        start_column: p.column.max(1),
                        end_line: p.end_line.max(1),
                        end_column: p.end_column.max(1),
                        byte_offset: e.span.offset,
                        byte_length: e.span.len,
                        snippet: Message { text: p.snippet },
                    }),
                },
                message: Some(Message {
                    text: e.text.clone(),
                }),
            }
        })
        .collect();
    let mut related = if locations.is_empty() {
        // GitHub needs a location with a region on every result to place
        // it; a finding about the whole file points at its start.
        locations.push(Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact.clone(),
                region: Some(Region {
                    start_line: 1,
                    start_column: 1,
                    end_line: 1,
                    end_column: 1,
                    byte_offset: 0,
                    byte_length: 0,
                    snippet: Message {
                        text: String::new(),
                    },
                }),
            },
            message: None,
        });
        Vec::new()
    } else {
        locations.split_off(1)
    };
    related.extend(elsewhere);
    SarifResult {
        rule_id: finding.rule.clone(),
        rule_index,
        level: level(finding.severity),
        message: Message {
            text: finding.message.clone(),
        },
        locations,
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        suppressions: if finding.acknowledged {
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: ACK_JUSTIFICATION,
            }]
        } else {
            Vec::new()
        },
    }
}

/// A stable hash of the rule, the file and the text every label covers
/// (whitespace collapsed, so reflowing a paragraph or converting line
/// endings does not reopen an alert). Positions are left out on purpose:
/// the alert must survive lines being inserted above it.
fn fingerprint(finding: &Finding, uri: &str, text: &SourceText<'_>) -> String {
    let mut hasher = crate::hash::Fnv1a::default();
    hasher.write(finding.rule.as_bytes());
    hasher.write(&[0]);
    hasher.write(uri.as_bytes());
    for label in &finding.labels {
        hasher.write(&[0]);
        let snippet = text.locate(label.span).snippet;
        for (i, word) in snippet.split_whitespace().enumerate() {
            if i > 0 {
                hasher.write(b" ");
            }
            hasher.write(word.as_bytes());
        }
    }
    format!("{:016x}", hasher.finish())
}

/// `total-does-not-foot` → `TotalDoesNotFoot`, the identifier-like `name`
/// SARIF asks for.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The artifact location for a path as given: forward slashes,
/// percent-encoded, relative to the repository root (`%SRCROOT%`) unless
/// the path was absolute, in which case it becomes a `file://` URI.
fn artifact_location(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let is_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if is_drive {
        let (drive, rest) = path.split_at(2);
        return ArtifactLocation {
            uri: format!("file:///{drive}{}", percent_encode(rest)),
            uri_base_id: None,
        };
    }
    if path.starts_with('/') {
        return ArtifactLocation {
            uri: format!("file://{}", percent_encode(&path)),
            uri_base_id: None,
        };
    }
    let mut relative = path.as_str();
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest;
    }
    ArtifactLocation {
        uri: percent_encode(relative),
        uri_base_id: Some("%SRCROOT%"),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_encoded_and_forward_slashed() {
        let loc = artifact_location("./filings\\Q3 2024/rel#1.txt");
        assert_eq!(loc.uri, "filings/Q3%202024/rel%231.txt");
        assert_eq!(loc.uri_base_id, Some("%SRCROOT%"));
        assert_eq!(
            artifact_location("/srv/a b.txt").uri,
            "file:///srv/a%20b.txt"
        );
        assert_eq!(
            artifact_location("C:\\x\\é.txt").uri,
            "file:///C:/x/%C3%A9.txt"
        );
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("total-does-not-foot"), "TotalDoesNotFoot");
    }
}
