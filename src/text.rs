//! The text form of command lists, for reading and writing traces by hand.
//!
//! [`dump`] prints a list as JSON Lines: one object per command, in order, naming the
//! [`Recorder`](crate::Recorder) call that records it (`"op"`) and that call's arguments, with
//! payloads as hex strings. [`assemble`] reads such text back by making each call on a fresh
//! recorder, so every line is checked exactly as a recorded call is. `docs/text-format.md`
//! describes the syntax.
//!
//! ```
//! use gltape::text;
//!
//! let list = text::assemble(r#"
//! {"op":"buffer","id":0,"size":4,"dynamic":false,"data":"01020304"}
//! {"op":"write","buffer":0,"offset":2,"data":"ff00"}
//! {"op":"read","id":0,"buffer":0,"size":null,"offset":0}
//! "#)?;
//! let mut out = Vec::new();
//! text::dump(&list, &mut out)?;
//! assert_eq!(
//!     String::from_utf8(out)?.lines().nth(2),
//!     Some(r#"{"op":"read","id":0,"buffer":0,"size":4,"offset":0}"#)
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assemble;
mod dump;
mod number;
mod op;
mod plain;
#[cfg(test)]
mod tests;

use crate::command::{CommandList, ValidationError};
use crate::trace::Trace;

/// Writes `list` to `out` as text, one line per command (see the [module docs](self)).
///
/// Each line is one `write_all` call: buffer `out` when it is a file. A list decoded from a
/// file may be corrupt (a side-table entry or payload missing); such a command is an error of
/// kind [`std::io::ErrorKind::InvalidData`] naming its index. Non-finite floats are written as
/// the strings `"inf"`, `"-inf"` and `"nan"`.
pub fn dump(list: &CommandList, out: &mut impl std::io::Write) -> std::io::Result<()> {
    dump::dump(list, out)
}

/// Reads text (as [`dump`] writes it) back into a list, recording each line on a fresh
/// [`Recorder`](crate::Recorder).
///
/// Empty lines and lines starting with `#` are skipped, and so is what a `header` line says
/// (it is checked; [`assemble_trace`] keeps it). The first bad line stops the assembly with
/// an error naming its (1-based) number. Payloads must be hex: a range of a payload file is
/// an error here.
pub fn assemble(text: &str) -> Result<CommandList, TextError> {
    assemble::assemble(text, None).map(|trace| trace.list)
}

/// Reads text (as [`dump_trace`] writes it) back into a trace: the list as [`assemble`] makes
/// it, and the header's label, readback digests and incomplete list from the `header` line
/// (empty without one). `payloads` is the payload file: the bytes that payloads written as
/// `{"offset": N, "len": M}` are ranges of (an error when they are and it is `None`).
pub fn assemble_trace(text: &str, payloads: Option<&[u8]>) -> Result<Trace, TextError> {
    assemble::assemble(text, payloads)
}

/// Writes `trace` to `out` as text: a `header` line when its header has a label, readback
/// digests or an incomplete list, then [`dump`] of its list. [`assemble_trace`] reads it back
/// to the same list and header fields.
pub fn dump_trace(trace: &Trace, out: &mut impl std::io::Write) -> std::io::Result<()> {
    dump::dump_header(&trace.header, out)?;
    dump::dump(&trace.list, out)
}

/// What [`read`] accepts: bounds for text of unknown length (a pipe, `/dev/zero`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextLimits {
    /// The longest text. Default 16 GiB (as [`DecodeLimits`](crate::trace::DecodeLimits)).
    pub max_total_bytes: u64,
    /// The longest line. Default 1 GiB: a 256 MiB record (the decoder's largest) as hex,
    /// twice over.
    pub max_line_bytes: u64,
}

impl Default for TextLimits {
    fn default() -> Self {
        TextLimits {
            max_total_bytes: 16 << 30,
            max_line_bytes: 1 << 30,
        }
    }
}

/// Reads text for [`assemble`] from `reader`, refusing (with
/// [`std::io::ErrorKind::InvalidData`], naming the line or byte) a NUL byte, a line longer
/// than [`TextLimits::max_line_bytes`], more than [`TextLimits::max_total_bytes`] in all,
/// and bytes that are not UTF-8. Stops at the first of these, so an endless input is read
/// only up to a limit; memory that cannot be had is an error, not an abort.
pub fn read(reader: impl std::io::Read, limits: &TextLimits) -> std::io::Result<String> {
    use crate::input::{read_bounded, Bounded};
    use std::io::{Error, ErrorKind};
    let invalid = |message: String| Error::new(ErrorKind::InvalidData, message);
    let (mut line, mut line_len) = (1u64, 0u64);
    let bytes = read_bounded(reader, limits.max_total_bytes, |bytes, from| {
        for (at, &byte) in bytes.iter().enumerate().skip(from) {
            match byte {
                0 => {
                    return Err(invalid(format!(
                        "byte {at} (line {line}) is a NUL byte: not text"
                    )))
                }
                b'\n' => (line, line_len) = (line + 1, 0),
                _ => line_len += 1,
            }
            if line_len > limits.max_line_bytes {
                return Err(invalid(format!(
                    "line {line} is longer than {} bytes (TextLimits::max_line_bytes)",
                    limits.max_line_bytes
                )));
            }
        }
        Ok(())
    })
    .map_err(|error| match error {
        Bounded::TooLarge => invalid(format!(
            "the text goes on past the limit of {} bytes (TextLimits::max_total_bytes)",
            limits.max_total_bytes
        )),
        Bounded::OutOfMemory { bytes } => Error::new(
            ErrorKind::OutOfMemory,
            format!("could not allocate {bytes} bytes to read the text"),
        ),
        Bounded::Io(error) | Bounded::Rejected(error) => error,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "not UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Why a line of text could not be assembled. Every variant names the 1-based line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// Not one JSON object of a known op with the right fields: bad JSON syntax, an unknown
    /// op or field, a missing field or a value of the wrong type.
    #[error("line {line}{}: {message}", column_text(*.column))]
    Json {
        /// The line.
        line: usize,
        /// The 1-based column serde_json points at, when it gives one.
        column: Option<usize>,
        /// serde_json's message.
        message: String,
    },
    /// A payload string that is not hexadecimal bytes.
    #[error("line {line}: `{field}` is not hex bytes: {problem} at position {position}")]
    Hex {
        /// The line.
        line: usize,
        /// The field holding the string.
        field: &'static str,
        /// The 0-based byte offset of the offending digit in the string.
        position: usize,
        /// What is wrong there.
        problem: &'static str,
    },
    /// A created id other than the one the recorder hands out next (ids are dense, in
    /// creation order per kind).
    #[error("line {line}: {kind} id {found} should be {expected}, the next {kind} id")]
    WrongId {
        /// The line.
        line: usize,
        /// The kind of id ("buffer", "readback", ...).
        kind: &'static str,
        /// The id the recorder handed out.
        expected: u32,
        /// The id in the text.
        found: u32,
    },
    /// A number that does not fit where it goes (a uniform int beyond i32, a float beyond
    /// f32, a fraction where an integer is needed).
    #[error("line {line}: `{field}` = {value} is not {expected}")]
    OutOfRange {
        /// The line.
        line: usize,
        /// The field, with its index (`values[3]`).
        field: String,
        /// The number as written.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A call the recorder rejects.
    #[error("line {line}: {error}")]
    Validation {
        /// The line.
        line: usize,
        /// The recorder's error.
        #[source]
        error: ValidationError,
    },
}

impl TextError {
    /// The 1-based number of the bad line.
    pub fn line(&self) -> usize {
        match self {
            TextError::Json { line, .. }
            | TextError::Hex { line, .. }
            | TextError::WrongId { line, .. }
            | TextError::OutOfRange { line, .. }
            | TextError::Validation { line, .. } => *line,
        }
    }

    /// A [`TextError::Json`] from serde_json's error, its position turned into a column.
    fn json(line: usize, error: &serde_json::Error) -> TextError {
        let message = error.to_string();
        // serde_json appends the position (line 1 of the one-line input) when it knows it.
        let position = format!(" at line {} column {}", error.line(), error.column());
        match message.strip_suffix(&position) {
            Some(bare) => TextError::Json {
                line,
                column: Some(error.column()),
                message: bare.to_owned(),
            },
            None => TextError::Json {
                line,
                column: None,
                message,
            },
        }
    }
}

/// `", column N"` when the column is known.
fn column_text(column: Option<usize>) -> String {
    column.map(|c| format!(", column {c}")).unwrap_or_default()
}
