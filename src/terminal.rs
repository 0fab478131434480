//! Strings from traces (labels, generator names, shader sources and GL info logs, names in a
//! text file) are untrusted: printed raw, an escape sequence in a label could rewrite the
//! user's terminal. Everything the CLI prints goes through [`escape_for_terminal`] (plain
//! text) or [`write_json`] (JSON), and [`crate::text::dump`] writes its JSON the same way.
//!
//! ```
//! # #[cfg(feature = "cli")] {
//! use gltape::terminal::escape_for_terminal;
//!
//! assert_eq!(escape_for_terminal("red\u{1b}[31m!"), r"red\u{1b}[31m!");
//! assert_eq!(escape_for_terminal("plain text"), "plain text");
//! # }
//! ```
//!
//! Public with the `cli` feature (the CLI and its tests use it); without it only the text
//! dump does, internally.

use std::borrow::Cow;
use std::io;

/// True for the characters a terminal may act on instead of showing: C0 controls (ESC
/// among them), DEL, C1 controls (CSI 0x9B among them), and the Unicode bidirectional
/// overrides, embeddings, isolates and marks that can reorder what a line appears to say.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character for which [`is_unsafe_for_terminal`] holds written as a Rust
/// escape (`\n`, `\r`, `\t`, or `\u{..}`); other characters, backslashes included, are kept.
/// The result is one line that shows on a terminal exactly as its characters read.
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if is_unsafe_for_terminal(c) => {
                escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A `serde_json` formatter that also writes DEL, C1 controls and bidirectional controls as
/// `\uXXXX` escapes (serde_json escapes only C0 controls): the output is still standard JSON
/// that parses back to the same strings, and it is safe to show on a terminal.
#[derive(Clone, Copy, Debug, Default)]
pub struct TerminalSafeJson;

impl serde_json::ser::Formatter for TerminalSafeJson {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| is_unsafe_for_terminal(c))
        {
            let (before, after) = rest.split_at(at);
            writer.write_all(before.as_bytes())?;
            // Every character matched here is in the Basic Multilingual Plane: one \uXXXX.
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = after.get(c.len_utf8()..).unwrap_or_default();
        }
        writer.write_all(rest.as_bytes())
    }
}

/// Writes `value` as compact JSON with [`TerminalSafeJson`], without a newline.
pub fn write_json<W: io::Write, T: serde::Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, TerminalSafeJson);
    value.serialize(&mut serializer)
}

/// `value` as one line of compact, terminal-safe JSON, newline included.
pub fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut line = Vec::new();
    write_json(&mut line, value)?;
    line.push(b'\n');
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_others_kept() {
        let hostile = "a\u{1b}]0;title\u{7}b\u{9b}31mc\u{7f}d\u{202e}e\r\nf\\g é 日本";
        let escaped = escape_for_terminal(hostile);
        assert_eq!(
            escaped,
            r"a\u{1b}]0;title\u{7}b\u{9b}31mc\u{7f}d\u{202e}e\r\nf\g é 日本"
        );
        assert!(!escaped.chars().any(is_unsafe_for_terminal));
        assert!(matches!(escape_for_terminal("fine"), Cow::Borrowed("fine")));
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_parses_back() {
        let hostile = "x\u{1b}[2J\u{9b}1;31m\u{7f}\u{2066}\u{85}\"\\\n\u{10ffff}y";
        let line = json_line(&serde_json::json!({ "label": hostile })).unwrap();
        let text = String::from_utf8(line.clone()).unwrap();
        assert!(
            !text.trim_end().chars().any(is_unsafe_for_terminal),
            "{text}"
        );
        assert!(
            text.contains(r"\u009b") && text.contains(r"\u2066"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(back["label"], hostile);
    }
}
