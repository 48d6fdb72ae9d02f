//! EDGAR full submission files: the `<DOCUMENT>`s they wrap, shared by both
//! front ends (a submission's EX-99 bodies may be plain text or HTML).
//!
//! ```text
//! submission = header? document+
//! document   = "<DOCUMENT>" ws "<TYPE>" type_line ... "<TEXT>" body "</TEXT>" "</DOCUMENT>"
//! ```

/// One `<DOCUMENT>` of a submission file.
pub struct SubDoc {
    pub doc_type: String,
    /// Text range of the body between `<TEXT>` and `</TEXT>`.
    pub text: (usize, usize),
}

/// `document = "<DOCUMENT>" ws "<TYPE>" type_line ... "<TEXT>" body "</TEXT>"`
pub fn documents(text: &str) -> Vec<SubDoc> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(d) = find_ci(text, "<DOCUMENT>", pos) {
        let doc_end = find_ci(text, "</DOCUMENT>", d).unwrap_or(text.len());
        let doc_type = find_ci(&text[..doc_end], "<TYPE>", d)
            .map(|t| {
                let rest = &text[t + 6..doc_end];
                rest.lines().next().unwrap_or("").trim().to_string()
            })
            .unwrap_or_default();
        let body = find_ci(&text[..doc_end], "<TEXT>", d).map(|t| {
            let start = t + 6;
            let end = find_ci(&text[..doc_end], "</TEXT>", start).unwrap_or(doc_end);
            (start, end)
        });
        if let Some(body) = body {
            out.push(SubDoc {
                doc_type,
                text: body,
            });
        }
        pos = (doc_end + 1).max(d + 1);
        if pos >= text.len() {
            break;
        }
    }
    out
}

/// Case-insensitive search for a tag (`needle` starts with `<`).
pub(crate) fn find_ci(text: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = text.as_bytes().get(from..)?;
    let n = needle.as_bytes();
    let mut pos = 0;
    while let Some(p) = memchr::memchr(n[0], &hay[pos..]) {
        let at = pos + p;
        if hay
            .get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(at + from);
        }
        pos = at + 1;
    }
    None
}
