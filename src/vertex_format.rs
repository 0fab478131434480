//! Parser for ModernGL-style vertex format strings.
//!
//! A format is a whitespace-separated list of `[count]type[size]` tokens,
//! optionally followed by one usage token, which may also follow the last token
//! directly (`"3f/i"`, as ModernGL reads it):
//!
//! | type | sizes (default) | meaning                                                   |
//! |------|-----------------|-----------------------------------------------------------|
//! | `f`  | 1 2 4 8 (4)     | float attribute: normalized u8, half, float, double       |
//! | `i`  | 1 2 4 (4)       | signed integer attribute (`glVertexAttribIPointer`)       |
//! | `u`  | 1 2 4 (4)       | unsigned integer attribute (`glVertexAttribIPointer`)     |
//! | `x`  | 1 2 4 8 (1)     | `count * size` bytes of padding; no attribute             |
//!
//! Attribute counts are 1..=64 (default 1). At replay a field feeds one shader
//! input: an input that spans several locations (a matrix, an array) takes an
//! equal share of the field's components per location, as ModernGL does, so a
//! `mat4` is fed by `16f` and a `vec2[3]` by `6f`; each location must get 1 to 4
//! components. Padding counts are any positive number, and the padding size is
//! a multiplier (`2x4` is 8 bytes). The usage token `/v` (per vertex, the
//! default), `/i` (per instance) or `/r` (per render) may appear only once, as
//! the last token. A format needs at least one attribute.
//!
//! Unlike ModernGL, a count of 0 (which ModernGL reads as 1) and a count or
//! stride that does not fit 32 bits (which ModernGL wraps) are errors, and any
//! whitespace separates tokens (ModernGL takes only spaces, and nothing after
//! the usage token).
//!
//! ```text
//! "3f 4x 2u2 /i"  =>  3 x f32 at 0, 4 padding bytes, 2 x u16 at 16; stride 20, per instance
//! ```

use std::fmt;

use smallvec::SmallVec;

/// The most components one attribute field may have: 16 locations (GL 4.5's guaranteed
/// `MAX_VERTEX_ATTRIBS`) of 4 components.
pub const MAX_COUNT: u8 = 64;

/// How often attribute values advance: per vertex, per instance or once per draw.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Usage {
    /// Advance once per vertex (`/v`, the default).
    #[default]
    PerVertex,
    /// Advance once per instance (`/i`, attribute divisor 1).
    PerInstance,
    /// One value for the whole draw call (`/r`).
    PerRender,
}

/// The shader-side scalar type of an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ScalarKind {
    /// `float`/`double` attribute (`f`); `f1` is normalized, `f8` is a double.
    Float,
    /// Signed integer attribute (`i`).
    Int,
    /// Unsigned integer attribute (`u`).
    Uint,
}

impl ScalarKind {
    /// The format letter for this kind: `f`, `i` or `u`.
    pub fn letter(self) -> char {
        match self {
            ScalarKind::Float => 'f',
            ScalarKind::Int => 'i',
            ScalarKind::Uint => 'u',
        }
    }
}

/// One vertex attribute of a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Shader-side scalar type.
    pub kind: ScalarKind,
    /// Bytes per component: 1, 2, 4 or 8.
    pub size: u8,
    /// Number of components, 1..=64 ([`MAX_COUNT`]); at most 4 reach each location.
    pub count: u8,
    /// Whether integer data is normalized to [0, 1] (only `f1`).
    pub normalized: bool,
    /// Byte offset of the attribute within the stride.
    pub offset: u32,
}

impl Field {
    fn new(kind: ScalarKind, size: u8, count: u8, offset: u32) -> Field {
        let normalized = kind == ScalarKind::Float && size == 1;
        Field {
            kind,
            size,
            count,
            normalized,
            offset,
        }
    }

    /// Bytes this attribute occupies per element: `size * count`.
    pub fn byte_len(&self) -> u32 {
        u32::from(self.size) * u32::from(self.count)
    }

    /// Whether the kind and component size are ones the format grammar allows (`f1 f2 f4 f8
    /// i1 i2 i4 u1 u2 u4`) with 1 to [`MAX_COUNT`] components: a field a list from a file
    /// may lack.
    pub fn is_valid(&self) -> bool {
        let sizes: &[u8] = match self.kind {
            ScalarKind::Float => &[1, 2, 4, 8],
            ScalarKind::Int | ScalarKind::Uint => &[1, 2, 4],
        };
        sizes.contains(&self.size) && (1..=MAX_COUNT).contains(&self.count)
    }
}

/// A run of padding bytes (kept so that `Display` can reproduce the layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Padding {
    /// Byte offset of the padding within the stride.
    pub offset: u32,
    /// Number of padding bytes; adjacent padding tokens are merged.
    pub bytes: u32,
}

/// A parsed vertex format: attributes, padding, stride and usage.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct VertexFormat {
    /// Attributes in order, padding excluded.
    pub fields: SmallVec<[Field; 4]>,
    /// Padding runs in order of offset.
    pub padding: SmallVec<[Padding; 2]>,
    /// Total bytes per element (attributes plus padding).
    pub stride: u32,
    /// How often the data advances.
    pub usage: Usage,
}

/// Where an offending token sits in a format string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenPos {
    /// 1-based token number.
    pub index: usize,
    /// Byte offset of the token in the format string.
    pub byte: usize,
    /// The token text.
    pub text: String,
}

impl fmt::Display for TokenPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TokenPos { index, byte, text } = self;
        write!(f, "token {index} {text:?} at byte {byte}")
    }
}

/// Why a vertex format string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The string holds no tokens at all.
    #[error("invalid vertex format {format:?}: empty format (expected an attribute, e.g. \"3f\")")]
    Empty {
        /// The whole format string.
        format: String,
    },
    /// The string holds only padding and/or usage tokens.
    #[error("invalid vertex format {format:?}: no attributes (only padding or usage tokens)")]
    NoAttributes {
        /// The whole format string.
        format: String,
    },
    /// One token is malformed or misplaced.
    #[error("invalid vertex format {format:?}: {at}: {reason}")]
    BadToken {
        /// The whole format string.
        format: String,
        /// The offending token.
        at: TokenPos,
        /// What is wrong with it.
        reason: TokenError,
    },
}

impl FormatError {
    /// The whole format string that was rejected.
    pub fn format_str(&self) -> &str {
        match self {
            Self::Empty { format }
            | Self::NoAttributes { format }
            | Self::BadToken { format, .. } => format,
        }
    }

    /// The offending token and the reason, if the error concerns a single token.
    pub fn token(&self) -> Option<(&TokenPos, &TokenError)> {
        match self {
            Self::BadToken { at, reason, .. } => Some((at, reason)),
            _ => None,
        }
    }
}

/// What is wrong with one token of a format string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The type letter is not `f`, `i`, `u` or `x`.
    #[error("unknown type {0:?} (expected f, i, u or x)")]
    UnknownType(char),
    /// A count with no type letter after it, e.g. `3`.
    #[error("missing type (expected f, i, u or x after the count)")]
    MissingType,
    /// (type letter, size): the size is not valid for the type, e.g. `f3`, `i8`, `x3`.
    #[error("size {1} is not valid for {0:?} (expected {sizes})", sizes = expected_sizes(*.0))]
    BadSize(char, u32),
    /// The count is 0, or above [`MAX_COUNT`] for an attribute.
    #[error("count {0} is out of range (expected 1 to 64 for attributes, at least 1 for padding)")]
    BadCount(u32),
    /// Characters after the type and size, e.g. `3f4z`.
    #[error("unexpected {0:?} after the type and size")]
    TrailingGarbage(String),
    /// A `/` token other than `/v`, `/i` or `/r`.
    #[error("unknown usage (expected /v, /i or /r)")]
    UnknownUsage,
    /// A usage token followed by more tokens (reported at the usage token).
    #[error("the usage token must be the last token")]
    UsageNotLast,
    /// A second usage token (reported at the second one).
    #[error("more than one usage token")]
    DuplicateUsage,
    /// A count or size that does not fit in a `u32`.
    #[error("number does not fit in 32 bits")]
    NumberOverflow,
    /// The stride (or one padding token) would exceed `u32::MAX` bytes.
    #[error("stride exceeds u32::MAX bytes")]
    StrideOverflow,
}

impl TokenError {
    fn at(self, text: &str, at: TokenPos) -> FormatError {
        FormatError::BadToken {
            format: text.to_owned(),
            at,
            reason: self,
        }
    }
}

fn expected_sizes(letter: char) -> &'static str {
    match letter {
        'i' | 'u' => "1, 2 or 4",
        _ => "1, 2, 4 or 8",
    }
}

/// One parsed token, before layout.
enum Token {
    Attr(ScalarKind, u8, u8),
    Pad(u32),
    Usage(Usage),
}

/// Tokens with their byte offsets: separated by whitespace, and a `/` starts a token.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut base = 0;
    std::iter::from_fn(move || {
        let trimmed = rest.trim_start();
        base += rest.len() - trimmed.len();
        let end = trimmed
            .char_indices()
            .find(|&(i, c)| c.is_whitespace() || (c == '/' && i > 0))
            .map_or(trimmed.len(), |(i, _)| i);
        let (token, after) = trimmed.split_at_checked(end)?;
        if token.is_empty() {
            return None;
        }
        let start = base;
        base += end;
        rest = after;
        Some((start, token))
    })
}

/// Splits a leading run of ASCII digits off `s`.
fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at_checked(end).unwrap_or((s, ""))
}

fn number(digits: &str, default: u32) -> Result<u32, TokenError> {
    if digits.is_empty() {
        Ok(default)
    } else {
        digits.parse().map_err(|_| TokenError::NumberOverflow)
    }
}

fn parse_token(token: &str) -> Result<Token, TokenError> {
    if let Some(usage) = token.strip_prefix('/') {
        return match usage {
            "v" => Ok(Token::Usage(Usage::PerVertex)),
            "i" => Ok(Token::Usage(Usage::PerInstance)),
            "r" => Ok(Token::Usage(Usage::PerRender)),
            _ => Err(TokenError::UnknownUsage),
        };
    }
    let (count_digits, rest) = split_digits(token);
    let mut chars = rest.chars();
    let letter = chars.next().ok_or(TokenError::MissingType)?;
    let (size_digits, trailing) = split_digits(chars.as_str());
    let (kind, default_size, sizes): (_, _, &[u32]) = match letter {
        'f' => (Some(ScalarKind::Float), 4, &[1, 2, 4, 8]),
        'i' => (Some(ScalarKind::Int), 4, &[1, 2, 4]),
        'u' => (Some(ScalarKind::Uint), 4, &[1, 2, 4]),
        'x' => (None, 1, &[1, 2, 4, 8]),
        other => return Err(TokenError::UnknownType(other)),
    };
    let count = number(count_digits, 1)?;
    let size = number(size_digits, default_size)?;
    if !sizes.contains(&size) {
        return Err(TokenError::BadSize(letter, size));
    }
    if !trailing.is_empty() {
        return Err(TokenError::TrailingGarbage(trailing.to_owned()));
    }
    match kind {
        Some(kind) => match (u8::try_from(count), u8::try_from(size)) {
            (Ok(count @ 1..=MAX_COUNT), Ok(size)) => Ok(Token::Attr(kind, size, count)),
            _ => Err(TokenError::BadCount(count)),
        },
        None if count == 0 => Err(TokenError::BadCount(0)),
        None => count
            .checked_mul(size)
            .map(Token::Pad)
            .ok_or(TokenError::StrideOverflow),
    }
}

impl VertexFormat {
    /// Parses a `ModernGL` vertex format string such as `"3f 4x 2f /i"`.
    ///
    /// # Errors
    /// [`FormatError`] naming the offending token, or the whole string when it has no attributes.
    pub fn parse(text: &str) -> Result<VertexFormat, FormatError> {
        let mut out = VertexFormat {
            fields: SmallVec::new(),
            padding: SmallVec::new(),
            stride: 0,
            usage: Usage::PerVertex,
        };
        let mut usage_at: Option<TokenPos> = None;
        let mut any_token = false;
        for (i, (byte, token)) in tokens(text).enumerate() {
            any_token = true;
            let at = TokenPos {
                index: i + 1,
                byte,
                text: token.to_owned(),
            };
            let parsed = match parse_token(token) {
                Ok(parsed) => parsed,
                Err(problem) => return Err(problem.at(text, at)),
            };
            if let Some(prev) = usage_at.take() {
                return Err(match parsed {
                    Token::Usage(_) => TokenError::DuplicateUsage.at(text, at),
                    _ => TokenError::UsageNotLast.at(text, prev),
                });
            }
            let offset = out.stride;
            let grow = |bytes: u32| offset.checked_add(bytes).ok_or(TokenError::StrideOverflow);
            match parsed {
                Token::Usage(usage) => {
                    out.usage = usage;
                    usage_at = Some(at);
                }
                Token::Attr(kind, size, count) => {
                    let field = Field::new(kind, size, count, offset);
                    out.stride = grow(field.byte_len()).map_err(|p| p.at(text, at))?;
                    out.fields.push(field);
                }
                Token::Pad(bytes) => {
                    out.stride = grow(bytes).map_err(|p| p.at(text, at))?;
                    match out.padding.last_mut() {
                        Some(last) if last.offset + last.bytes == offset => last.bytes += bytes,
                        _ => out.padding.push(Padding { offset, bytes }),
                    }
                }
            }
        }
        let format = text.to_owned();
        match (any_token, out.fields.is_empty()) {
            (false, _) => Err(FormatError::Empty { format }),
            (true, true) => Err(FormatError::NoAttributes { format }),
            (true, false) => Ok(out),
        }
    }

    /// Number of attributes (padding excluded); each takes one location.
    pub fn attribute_count(&self) -> usize {
        self.fields.len()
    }
}

impl fmt::Display for VertexFormat {
    /// Canonical form: explicit counts and sizes, merged padding, `/v` omitted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut fields = self.fields.iter().peekable();
        let mut pads = self.padding.iter().peekable();
        let mut sep = "";
        loop {
            let pad_first = match (fields.peek(), pads.peek()) {
                (Some(a), Some(p)) => p.offset < a.offset,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => break,
            };
            if pad_first {
                if let Some(p) = pads.next() {
                    write!(f, "{sep}{}x", p.bytes)?;
                }
            } else if let Some(a) = fields.next() {
                write!(f, "{sep}{}{}{}", a.count, a.kind.letter(), a.size)?;
            }
            sep = " ";
        }
        match self.usage {
            Usage::PerVertex => Ok(()),
            Usage::PerInstance => write!(f, "{sep}/i"),
            Usage::PerRender => write!(f, "{sep}/r"),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]
mod tests {
    use super::*;
    use ScalarKind::{Float as F, Int as I, Uint as U};

    fn fld(kind: ScalarKind, size: u8, count: u8, offset: u32) -> Field {
        Field::new(kind, size, count, offset)
    }

    fn err(text: &str) -> FormatError {
        VertexFormat::parse(text).expect_err(text)
    }

    #[test]
    fn documented_examples() {
        use Usage::{PerInstance as In, PerRender as R, PerVertex as V};
        let cases: &[(&str, &[Field], u32, Usage)] = &[
            ("3f", &[fld(F, 4, 3, 0)], 12, V),
            ("2f 3f", &[fld(F, 4, 2, 0), fld(F, 4, 3, 8)], 20, V),
            ("3f4 /v", &[fld(F, 4, 3, 0)], 12, V),
            ("2f /i", &[fld(F, 4, 2, 0)], 8, In),
            ("4f1", &[fld(F, 1, 4, 0)], 4, V),
            ("3u1 x", &[fld(U, 1, 3, 0)], 4, V),
            ("1i2 2x", &[fld(I, 2, 1, 0)], 4, V),
            ("4f2", &[fld(F, 2, 4, 0)], 8, V),
            ("2f8", &[fld(F, 8, 2, 0)], 16, V),
            ("3f 4x 2f", &[fld(F, 4, 3, 0), fld(F, 4, 2, 16)], 24, V),
            ("3f 16x", &[fld(F, 4, 3, 0)], 28, V),
            ("4i /r", &[fld(I, 4, 4, 0)], 16, R),
            ("f/i", &[fld(F, 4, 1, 0)], 4, In),
            ("3f4/i", &[fld(F, 4, 3, 0)], 12, In),
            ("2f 3f/r", &[fld(F, 4, 2, 0), fld(F, 4, 3, 8)], 20, R),
            ("16f", &[fld(F, 4, 16, 0)], 64, V),
            ("i x4 2x8 u", &[fld(I, 4, 1, 0), fld(U, 4, 1, 24)], 28, V),
            (
                " \t3f\n2u2  /i ",
                &[fld(F, 4, 3, 0), fld(U, 2, 2, 12)],
                16,
                In,
            ),
        ];
        for &(text, fields, stride, usage) in cases {
            let fmt = VertexFormat::parse(text).unwrap();
            assert_eq!(&fmt.fields[..], fields, "{text}");
            assert_eq!((fmt.stride, fmt.usage), (stride, usage), "{text}");
            assert_eq!(fmt.attribute_count(), fields.len());
        }
        let pad = |t| {
            let fmt = VertexFormat::parse(t).unwrap();
            fmt.padding
                .iter()
                .map(|p| (p.offset, p.bytes))
                .collect::<Vec<_>>()
        };
        assert_eq!(pad("3u1 x"), [(3, 1)]);
        assert_eq!(pad("3f 4x 2f"), [(12, 4)]);
        assert_eq!(pad("f x 2x4 x2 f 1x4 f x"), [(4, 11), (19, 4), (27, 1)]);
        assert!(fld(F, 1, 4, 0).normalized && !fld(U, 1, 4, 0).normalized);
    }

    #[test]
    fn byte_lengths() {
        let cases = [
            (fld(F, 1, 4, 0), 4),
            (fld(F, 2, 4, 0), 8),
            (fld(F, 4, 3, 0), 12),
            (fld(F, 8, 2, 0), 16),
            (fld(I, 1, 1, 0), 1),
            (fld(I, 2, 2, 0), 4),
            (fld(I, 4, 4, 0), 16),
            (fld(U, 1, 3, 0), 3),
            (fld(U, 2, 1, 0), 2),
            (fld(U, 4, 2, 0), 8),
        ];
        for (field, len) in cases {
            assert_eq!(field.byte_len(), len, "{field:?}");
            assert!(field.is_valid(), "{field:?}");
        }
        assert!(!fld(I, 8, 1, 0).is_valid() && !fld(F, 4, 65, 0).is_valid());
        assert!(fld(F, 4, 16, 0).is_valid());
    }

    #[test]
    fn error_message_matches_spec() {
        assert_eq!(
            err("3f 2q").to_string(),
            "invalid vertex format \"3f 2q\": token 2 \"2q\" at byte 3: \
             unknown type 'q' (expected f, i, u or x)"
        );
        let msg = err("u8").to_string();
        assert!(
            msg.ends_with("size 8 is not valid for 'u' (expected 1, 2 or 4)"),
            "{msg}"
        );
    }

    #[test]
    fn error_cases() {
        use TokenError::*;
        let cases = [
            ("3f 2q", 2, 3, UnknownType('q')),
            ("é3f", 1, 0, UnknownType('é')),
            ("3f\u{3000}-2f", 2, 5, UnknownType('-')),
            ("f3", 1, 0, BadSize('f', 3)),
            ("2f i8", 2, 3, BadSize('i', 8)),
            ("u8", 1, 0, BadSize('u', 8)),
            ("f x3", 2, 2, BadSize('x', 3)),
            ("f16", 1, 0, BadSize('f', 16)),
            ("0f", 1, 0, BadCount(0)),
            ("3f 65i", 2, 3, BadCount(65)),
            ("3f 300f", 2, 3, BadCount(300)),
            ("3f 0x", 2, 3, BadCount(0)),
            ("3", 1, 0, MissingType),
            ("3f  12", 2, 4, MissingType),
            ("3f4z", 1, 0, TrailingGarbage("z".into())),
            ("/q", 1, 0, UnknownUsage),
            ("3f /", 2, 3, UnknownUsage),
            ("/i 3f", 1, 0, UsageNotLast),
            ("2f /r x", 2, 3, UsageNotLast),
            ("x/i f", 2, 1, UsageNotLast),
            ("2f/i/v", 3, 4, DuplicateUsage),
            ("3f /i /v", 3, 6, DuplicateUsage),
            ("99999999999x", 1, 0, NumberOverflow),
            ("3f 3f99999999999", 2, 3, NumberOverflow),
            ("4294967295x8 f", 1, 0, StrideOverflow),
            ("2147483648x 2147483648x f", 2, 12, StrideOverflow),
            ("4294967295x f1", 2, 12, StrideOverflow),
        ];
        for (text, index, byte, reason) in cases {
            let e = err(text);
            let (at, got) = e.token().unwrap();
            assert_eq!((at.index, at.byte, got), (index, byte, &reason), "{text}");
            assert_eq!(text.get(byte..byte + at.text.len()), Some(at.text.as_str()));
            let msg = e.to_string();
            assert!(msg.contains(&format!("token {index} {:?} at byte {byte}", at.text)));
            assert!(msg.contains(&format!("{text:?}")) && msg.ends_with(&reason.to_string()));
            assert_eq!(e.format_str(), text);
        }
    }

    #[test]
    fn empty_and_attributeless() {
        for text in ["", "   ", "\n\t"] {
            assert!(matches!(err(text), FormatError::Empty { .. }), "{text:?}");
        }
        for text in ["16x", "x /i", "/i", "4x 2x8 /r"] {
            let e = err(text);
            assert!(matches!(e, FormatError::NoAttributes { .. }), "{text:?}");
            assert!(e.token().is_none() && e.to_string().contains("no attributes"));
        }
    }

    #[test]
    fn display_round_trips() {
        let cases = [
            ("3f 4x 2f /i", "3f4 4x 2f4 /i"),
            ("f x x 2u1 /v", "1f4 2x 2u1"),
            ("2x4 4f1 3x /r", "8x 4f1 3x /r"),
            ("4i2 i1 u 2f8 2f2", "4i2 1i1 1u4 2f8 2f2"),
        ];
        for (text, canonical) in cases {
            let fmt = VertexFormat::parse(text).unwrap();
            assert_eq!(fmt.to_string(), canonical);
            assert_eq!(VertexFormat::parse(&fmt.to_string()).unwrap(), fmt);
        }
    }

    #[test]
    fn fuzz_never_panics() {
        const ALPHABET: &[char] = &[
            '0', '1', '2', '3', '4', '8', '9', 'f', 'i', 'u', 'x', 'v', 'r', 'q', '/', ' ', ' ',
            '\t', 'é', '\u{3000}',
        ];
        let seeds = [
            "3f 4x 2f /i",
            "4f1 3u1 x",
            "1i2 2x 2f8 /r",
            "99999999999x 4294967295x f",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % n
        };
        let (mut ok, mut bad) = (0, 0);
        for round in 0..20_000 {
            let mut chars: Vec<char> = match round % 2 {
                0 => (0..next(14))
                    .map(|_| ALPHABET[next(ALPHABET.len())])
                    .collect(),
                _ => seeds[next(seeds.len())].chars().collect(),
            };
            for _ in 0..next(4) {
                let pos = next(chars.len() + 1);
                match next(3) {
                    0 => chars.insert(pos, ALPHABET[next(ALPHABET.len())]),
                    1 if pos < chars.len() => drop(chars.remove(pos)),
                    _ if pos < chars.len() => chars[pos] = ALPHABET[next(ALPHABET.len())],
                    _ => {}
                }
            }
            let text: String = chars.into_iter().collect();
            match VertexFormat::parse(&text) {
                Ok(fmt) => {
                    ok += 1;
                    let attrs = fmt.fields.iter().map(|f| u64::from(f.byte_len()));
                    let pads = fmt.padding.iter().map(|p| u64::from(p.bytes));
                    assert_eq!(attrs.chain(pads).sum::<u64>(), u64::from(fmt.stride));
                    let again = VertexFormat::parse(&fmt.to_string()).unwrap();
                    assert_eq!(again, fmt, "{text:?}");
                }
                Err(e) => {
                    bad += 1;
                    assert_eq!(e.format_str(), text);
                    if let Some((at, _)) = e.token() {
                        let end = at.byte + at.text.len();
                        assert_eq!(text.get(at.byte..end), Some(at.text.as_str()));
                        assert!(e.to_string().contains(&format!("{:?}", at.text)));
                    }
                }
            }
        }
        assert!(ok > 100 && bad > 100, "ok={ok} bad={bad}");
    }
}
