//! The values of pipeline-state commands, in the list's own words (no GL enums): the
//! capabilities ModernGL's `ctx.enable` takes and sets of them, blend factors and equations,
//! comparison functions, faces, windings, stencil actions, and [`Float`], the `f32` a command
//! carries. Replay maps them to GL's enums in `replay/gl_enum.rs`.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A GL capability toggled by [`Recorder::enable`](crate::Recorder::enable) (ModernGL's
/// enable flags, plus the stencil test). A trace stores a capability by its position: new
/// ones go at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// GL_DEPTH_TEST (ModernGL: `DEPTH_TEST`).
    DepthTest,
    /// GL_CULL_FACE (ModernGL: `CULL_FACE`).
    CullFace,
    /// GL_BLEND (ModernGL: `BLEND`).
    Blend,
    /// GL_RASTERIZER_DISCARD (ModernGL: `RASTERIZER_DISCARD`): draws rasterize nothing and
    /// clears clear nothing; transforms keep it on.
    RasterizerDiscard,
    /// GL_PROGRAM_POINT_SIZE (ModernGL: `PROGRAM_POINT_SIZE`): points take the size the
    /// vertex or geometry shader writes to `gl_PointSize` instead of
    /// [`Recorder::point_size`](crate::Recorder::point_size).
    ProgramPointSize,
    /// GL_STENCIL_TEST. gltape's own: ModernGL has no stencil state.
    StencilTest,
}

impl Capability {
    /// Every capability, in definition order.
    pub const ALL: [Capability; 6] = [
        Capability::DepthTest,
        Capability::CullFace,
        Capability::Blend,
        Capability::RasterizerDiscard,
        Capability::ProgramPointSize,
        Capability::StencilTest,
    ];

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of [`Capability`] values, for [`Recorder::enable_only`](crate::Recorder::enable_only).
/// Written (in text and in traces) as the list of its members in definition order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Capabilities(u8);

impl Capabilities {
    /// Whether `capability` is in the set.
    pub fn contains(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    /// The members, in definition order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .into_iter()
            .filter(move |&c| self.contains(c))
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<I: IntoIterator<Item = Capability>>(capabilities: I) -> Self {
        Capabilities(capabilities.into_iter().fold(0, |bits, c| bits | c.bit()))
    }
}

impl Serialize for Capabilities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // With its length: a trace (bincode) writes a sequence's length first.
        let mut seq = serializer.serialize_seq(Some(self.iter().count()))?;
        for capability in self.iter() {
            seq.serialize_element(&capability)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Capabilities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> de::Visitor<'de> for Members {
            type Value = Capabilities;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of capabilities")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Capabilities, A::Error> {
                let mut set = Capabilities::default();
                while let Some(capability) = seq.next_element::<Capability>()? {
                    set.0 |= capability.bit();
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(Members)
    }
}

/// A blend factor (ModernGL's blend function constants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlendFactor {
    /// GL_ZERO.
    Zero,
    /// GL_ONE.
    One,
    /// GL_SRC_COLOR.
    SrcColor,
    /// GL_ONE_MINUS_SRC_COLOR.
    OneMinusSrcColor,
    /// GL_SRC_ALPHA.
    SrcAlpha,
    /// GL_ONE_MINUS_SRC_ALPHA.
    OneMinusSrcAlpha,
    /// GL_DST_ALPHA.
    DstAlpha,
    /// GL_ONE_MINUS_DST_ALPHA.
    OneMinusDstAlpha,
    /// GL_DST_COLOR.
    DstColor,
    /// GL_ONE_MINUS_DST_COLOR.
    OneMinusDstColor,
}

/// How blending combines source and destination (ModernGL's blend equation constants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlendEquation {
    /// GL_FUNC_ADD: source + destination.
    FuncAdd,
    /// GL_FUNC_SUBTRACT: source - destination.
    FuncSubtract,
    /// GL_FUNC_REVERSE_SUBTRACT: destination - source.
    FuncReverseSubtract,
    /// GL_MIN: the smaller of the two, factors ignored.
    Min,
    /// GL_MAX: the larger of the two, factors ignored.
    Max,
}

/// A comparison of the depth or stencil test, written as ModernGL writes depth functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CompareFunc {
    /// GL_NEVER (`"0"`).
    #[serde(rename = "0")]
    Never,
    /// GL_LESS (`"<"`).
    #[serde(rename = "<")]
    Less,
    /// GL_EQUAL (`"=="`).
    #[serde(rename = "==")]
    Equal,
    /// GL_LEQUAL (`"<="`).
    #[serde(rename = "<=")]
    LessEqual,
    /// GL_GREATER (`">"`).
    #[serde(rename = ">")]
    Greater,
    /// GL_NOTEQUAL (`"!="`).
    #[serde(rename = "!=")]
    NotEqual,
    /// GL_GEQUAL (`">="`).
    #[serde(rename = ">=")]
    GreaterEqual,
    /// GL_ALWAYS (`"1"`).
    #[serde(rename = "1")]
    Always,
}

/// Which faces a setting applies to (ModernGL's `cull_face` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    /// GL_FRONT.
    Front,
    /// GL_BACK.
    Back,
    /// GL_FRONT_AND_BACK.
    FrontAndBack,
}

/// The winding of front faces (ModernGL's `front_face` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Winding {
    /// GL_CCW: counter-clockwise triangles face front.
    Ccw,
    /// GL_CW: clockwise triangles face front.
    Cw,
}

/// What the stencil test does to the stored value (glStencilOp's actions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StencilAction {
    /// GL_KEEP.
    Keep,
    /// GL_ZERO.
    Zero,
    /// GL_REPLACE: the reference value.
    Replace,
    /// GL_INCR: add 1, clamped.
    Incr,
    /// GL_INCR_WRAP: add 1, wrapping.
    IncrWrap,
    /// GL_DECR: subtract 1, clamped.
    Decr,
    /// GL_DECR_WRAP: subtract 1, wrapping.
    DecrWrap,
    /// GL_INVERT: flip every bit.
    Invert,
}

/// An `f32` carried by a command (sizes, offsets). Compared by its bits, so that commands
/// stay `Eq`; validation refuses the values GL would (non-finite, not positive for sizes).
///
/// In text it is a number with the shortest digits that read back as the same bits (`0.1`),
/// or one of `"inf"`, `"-inf"` and `"nan"`; in traces, the `f32`.
#[derive(Clone, Copy, Debug)]
pub struct Float(pub f32);

impl Float {
    /// `x` as the `f64` whose shortest digits are those of `x` (0.1, not 0.100000001), so that
    /// a JSON writer prints what reads back as `x`.
    pub(crate) fn shortest_f64(x: f32) -> f64 {
        // Displaying an f32 gives its shortest round-trip digits; the f64 nearest them prints
        // as the same digits.
        x.to_string().parse().unwrap_or(f64::from(x))
    }

    /// The `f32` nearest `d` when `d` was printed from an `f32` (or any decimal: the f64
    /// nearest a decimal of at most 9 digits displays as that decimal, which then rounds once,
    /// exactly, to f32). None for a finite `d` too large for an `f32`.
    pub(crate) fn nearest(d: f64) -> Option<f32> {
        if !d.is_finite() {
            return Some(d as f32);
        }
        d.to_string().parse::<f32>().ok().filter(|x| x.is_finite())
    }
}

impl PartialEq for Float {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Float {}

impl From<f32> for Float {
    fn from(x: f32) -> Self {
        Float(x)
    }
}

impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The words standing for non-finite floats in text.
pub(crate) const NON_FINITE: [(&str, f64); 3] = [
    ("inf", f64::INFINITY),
    ("-inf", f64::NEG_INFINITY),
    ("nan", f64::NAN),
];

impl Serialize for Float {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if !serializer.is_human_readable() {
            serializer.serialize_f32(x)
        } else if x.is_nan() {
            serializer.serialize_str("nan")
        } else if x.is_infinite() {
            serializer.serialize_str(if x > 0.0 { "inf" } else { "-inf" })
        } else {
            serializer.serialize_f64(Float::shortest_f64(x))
        }
    }
}

impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return f32::deserialize(deserializer).map(Float);
        }
        struct Number;
        impl de::Visitor<'_> for Number {
            type Value = Float;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or one of \"inf\", \"-inf\", \"nan\"")
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<Float, E> {
                Ok(Float(u as f32))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<Float, E> {
                Ok(Float(i as f32))
            }
            fn visit_f64<E: de::Error>(self, d: f64) -> Result<Float, E> {
                Float::nearest(d)
                    .map(Float)
                    .ok_or_else(|| E::custom(format!("{d} is too large for an f32")))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Float, E> {
                match NON_FINITE.iter().find(|(word, _)| *word == s) {
                    Some(&(_, d)) => Ok(Float(d as f32)),
                    None => Err(E::invalid_value(de::Unexpected::Str(s), &self)),
                }
            }
        }
        deserializer.deserialize_any(Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_sets_are_lists_of_names() {
        let set: Capabilities = [Capability::StencilTest, Capability::Blend]
            .into_iter()
            .collect();
        let text = serde_json::to_string(&set).unwrap();
        assert_eq!(text, r#"["blend","stencil_test"]"#);
        assert_eq!(serde_json::from_str::<Capabilities>(&text).unwrap(), set);
        assert_eq!(
            serde_json::from_str::<Capabilities>("[]").unwrap(),
            Capabilities::default()
        );
        assert!(serde_json::from_str::<Capabilities>(r#"["stencil"]"#).is_err());
    }

    #[test]
    fn floats_read_back_to_the_same_bits() {
        for x in [
            0.1f32,
            -1e-7,
            1.0,
            3.4e38,
            f32::MIN_POSITIVE,
            f32::INFINITY,
            -0.0,
        ] {
            let text = serde_json::to_string(&Float(x)).unwrap();
            let back: Float = serde_json::from_str(&text).unwrap();
            assert_eq!(back, Float(x), "{text}");
        }
        assert_eq!(serde_json::to_string(&Float(0.1)).unwrap(), "0.1");
        assert_eq!(serde_json::to_string(&Float(f32::NAN)).unwrap(), r#""nan""#);
        assert!(serde_json::from_str::<Float>("\"nan\"").unwrap().0.is_nan());
        assert_eq!(serde_json::from_str::<Float>("2").unwrap(), Float(2.0));
        assert!(serde_json::from_str::<Float>("1e39").is_err());
        assert!(serde_json::from_str::<Float>("\"big\"").is_err());
    }
}
