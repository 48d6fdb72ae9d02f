//! The few inline CSS properties that carry meaning in a release: hidden
//! cells, indentation, rules drawn as borders, bold, page breaks and
//! superscripts set by position.

use crate::ast::RuleKind;

/// What an element's `style` attribute says, as far as the lowering cares.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Style {
    /// `display:none` (or the `hidden` attribute): takes a grid slot, shows nothing.
    pub hidden: bool,
    /// Left indentation in points: `padding-left` (or the shorthand's left
    /// value), `margin-left` and `text-indent` added.
    pub indent_pt: f32,
    pub border_top: RuleKind,
    pub border_bottom: RuleKind,
    /// Left or right border (boxed cells draw all four).
    pub border_side: bool,
    pub bold: bool,
    /// `page-break-before`/`after` or `break-before`/`after`.
    pub page_break: bool,
    /// `vertical-align:super`/`top` with a negative `top`, or `<sup>`.
    pub superscript: bool,
}

impl Style {
    pub fn parse(css: &str) -> Style {
        let mut s = Style::default();
        let mut padding_left = 0.0;
        let mut margin_left = 0.0;
        let mut text_indent = 0.0;
        let mut raised = false;
        // Lowercased once (most style attributes have no capital to lower).
        let css: std::borrow::Cow<str> = if css.bytes().any(|b| b.is_ascii_uppercase()) {
            css.to_ascii_lowercase().into()
        } else {
            css.into()
        };
        for decl in css.split(';') {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let prop = prop.trim();
            // `trim_end_matches("!important")`, without building a
            // substring searcher for every declaration.
            let mut value = value.trim();
            while let Some(v) = value.strip_suffix("!important") {
                value = v;
            }
            let value = value.trim();
            match prop {
                "display" => s.hidden = value == "none",
                "visibility" => s.hidden |= value == "hidden",
                "padding-left" => padding_left = length_pt(value),
                "padding" => padding_left = shorthand_left(value),
                "margin-left" => margin_left = length_pt(value),
                "margin" => margin_left = shorthand_left(value),
                "text-indent" => text_indent = length_pt(value),
                "border-top" => s.border_top = border(value),
                "border-bottom" => s.border_bottom = border(value),
                "border-top-style" => s.border_top = border_style(value, s.border_top),
                "border-bottom-style" => s.border_bottom = border_style(value, s.border_bottom),
                "border" => {
                    let b = border(value);
                    s.border_top = b;
                    s.border_bottom = b;
                    s.border_side = b != RuleKind::None;
                }
                "border-left" | "border-right" => s.border_side |= border(value) != RuleKind::None,
                "font-weight" => {
                    s.bold = value == "bold"
                        || value == "bolder"
                        || value.parse::<u32>().is_ok_and(|n| n >= 600)
                }
                "font" => s.bold = value.split_whitespace().any(|w| w == "bold" || w == "700"),
                "page-break-before" | "page-break-after" | "break-before" | "break-after" => {
                    s.page_break |= value == "always" || value == "page"
                }
                "vertical-align" => s.superscript |= value == "super" || value == "top",
                "top" | "bottom" => raised |= length_pt(value) != 0.0,
                _ => {}
            }
        }
        s.superscript = s.superscript && raised || css.contains("vertical-align:super");
        s.indent_pt = padding_left + margin_left + text_indent;
        s
    }
}

/// A CSS length in points; 0 for what cannot be read (`auto`, `%`).
pub fn length_pt(v: &str) -> f32 {
    let v = v.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let Ok(n) = num.parse::<f32>() else {
        return 0.0;
    };
    let n = match unit.trim() {
        "" | "px" => n * 0.75,
        "pt" => n,
        "em" | "rem" => n * 10.0,
        "in" => n * 72.0,
        "cm" => n * 28.35,
        "mm" => n * 2.835,
        "pc" => n * 12.0,
        _ => 0.0,
    };
    if n.is_finite() { n } else { 0.0 }
}

/// The left value of a `padding`/`margin` shorthand (1 to 4 values).
fn shorthand_left(v: &str) -> f32 {
    let parts: Vec<&str> = v.split_whitespace().collect();
    match parts.len() {
        1 => length_pt(parts[0]),
        2 | 3 => length_pt(parts[1]),
        4 => length_pt(parts[3]),
        _ => 0.0,
    }
}

/// A `border-*` shorthand: `1pt solid #000`, `3px double`, `none`, `0`.
fn border(v: &str) -> RuleKind {
    let mut kind = RuleKind::None;
    let mut width_zero = false;
    for w in v.split_whitespace() {
        match w {
            "solid" | "dashed" | "dotted" | "groove" | "ridge" | "inset" | "outset" => {
                kind = kind.max(RuleKind::Single)
            }
            "double" => kind = RuleKind::Double,
            "none" | "hidden" => return RuleKind::None,
            _ => {
                let c = w.as_bytes()[0];
                if (c.is_ascii_digit() || c == b'.') && length_pt(w) == 0.0 {
                    width_zero = true;
                }
            }
        }
    }
    if width_zero { RuleKind::None } else { kind }
}

fn border_style(v: &str, was: RuleKind) -> RuleKind {
    match border(v) {
        RuleKind::None if v.contains("none") || v.contains("hidden") => RuleKind::None,
        RuleKind::None => was,
        k => k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_adds_padding_margin_and_text_indent() {
        let s = Style::parse("padding:2px 1pt 2px 13pt;text-align:left");
        assert_eq!(s.indent_pt, 13.0);
        let s = Style::parse("MARGIN-LEFT:2em; TEXT-INDENT:-1em");
        assert_eq!(s.indent_pt, 10.0);
        assert_eq!(Style::parse("padding-left:8px").indent_pt, 6.0);
    }

    #[test]
    fn borders_read_as_rules() {
        let s = Style::parse("border-top:1pt solid #000000;border-bottom:3pt double #000");
        assert_eq!(
            (s.border_top, s.border_bottom),
            (RuleKind::Single, RuleKind::Double)
        );
        let s = Style::parse("border-top: 0pt solid #000; border-bottom: none");
        assert_eq!(
            (s.border_top, s.border_bottom),
            (RuleKind::None, RuleKind::None)
        );
        let s = Style::parse("BORDER-BOTTOM:1px solid #000000");
        assert_eq!(s.border_bottom, RuleKind::Single);
    }

    #[test]
    fn hidden_bold_and_breaks() {
        assert!(Style::parse("display:none").hidden);
        assert!(Style::parse("font-weight:700").bold);
        assert!(Style::parse("font: bold 10pt Times New Roman").bold);
        assert!(!Style::parse("font-weight:400").bold);
        assert!(Style::parse("page-break-before:always").page_break);
        assert!(Style::parse("position:relative;top:-3pt;vertical-align:top").superscript);
    }
}
