//! Labels in other files ([`Elsewhere`]): where they lie in their file, so
//! every format can point at them as it points at the finding's own labels.

use crate::finding::{Elsewhere, Place};

use super::{DocView, SourceText};

/// Fills in the place of every label of `labels` in the file `source`
/// holds (the file they all name): line and column as the other formats
/// count them, the text covered, and the line around it (from the text
/// view for an HTML file, whose lines are too long to show).
pub fn locate_elsewhere(labels: &mut [&mut Elsewhere], source: &[u8]) {
    if labels.is_empty() {
        return;
    }
    let text = SourceText::new(source);
    let doc = crate::parse::parse(source);
    let view = doc
        .exhibits
        .iter()
        .any(|e| e.html)
        .then(|| DocView::new(&doc));
    for label in labels.iter_mut() {
        let loc = text.locate(label.span);
        let (excerpt_from, range, shown_as_text) =
            match view.as_ref().and_then(|v| v.range(label.span)) {
                Some((a, b)) => (view.as_ref().map_or("", |v| v.text.as_str()), a..b, true),
                None => (text.text(), loc.decoded.clone(), false),
            };
        let start = excerpt_from[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let end = excerpt_from[range.end..]
            .find('\n')
            .map_or(excerpt_from.len(), |i| range.end + i);
        let excerpt = excerpt_from[start..end].trim_end_matches('\r').to_owned();
        let excerpt_range = (
            (range.start - start).min(excerpt.len()),
            (range.end - start).min(excerpt.len()),
        );
        label.place = Some(Place {
            line: loc.start.line,
            column: loc.start.column,
            end_line: loc.end.line,
            end_column: loc.end.column,
            snippet: loc.snippet.to_owned(),
            excerpt,
            // A view's own line numbers, as the finding's view snippet shows.
            excerpt_line: if shown_as_text {
                excerpt_from[..start].matches('\n').count() + 1
            } else {
                loc.start.line
            },
            excerpt_range,
            shown_as_text,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn a_text_label_gets_its_line_and_column() {
        let src = b"Title\n  Net revenue    48,215   39,118\n";
        let at = src.windows(6).position(|w| w == b"48,215").unwrap();
        let mut e = Elsewhere {
            path: "q1.txt".into(),
            span: Span::new(at, 6),
            text: "Net revenue: 48,215".into(),
            place: None,
        };
        locate_elsewhere(&mut [&mut e], src);
        let p = e.place.unwrap();
        assert_eq!((p.line, p.column), (2, 18));
        assert_eq!(p.snippet, "48,215");
        assert_eq!(p.excerpt, "  Net revenue    48,215   39,118");
        assert_eq!(&p.excerpt[p.excerpt_range.0..p.excerpt_range.1], "48,215");
    }
}
