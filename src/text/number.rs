//! Numbers of the text: [`Scalar`], as written (JSON numbers, or words for non-finite
//! floats), and [`Component`], which turns them into the bytes of uniform values.

use crate::command::{Float, NON_FINITE};
use crate::uniform::{UniformScalar, UniformType};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A number as written in the text: a JSON integer or float, or one of the strings `"inf"`,
/// `"-inf"` and `"nan"` for non-finite floats. What it must fit is known only from context
/// (a uniform's type), so it is converted after parsing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Scalar {
    /// An integer, as a u64.
    Unsigned(u64),
    /// An integer, as an i64 (JSON reads only negative ones so).
    Signed(i64),
    /// A JSON number with a fraction or exponent, or a non-finite word.
    Float(f64),
}

impl Scalar {
    /// `x` printed with the shortest digits that read back as `x` (0.1, not 0.100000001).
    pub fn from_f32(x: f32) -> Scalar {
        Scalar::Float(Float::shortest_f64(x))
    }

    /// The nearest f32, or `None` when a finite number is too large for one. A number printed
    /// by [`Scalar::from_f32`] reads back as the same bits (NaN payloads excepted).
    pub fn to_f32(self) -> Option<f32> {
        match self {
            Scalar::Unsigned(u) => Some(u as f32),
            Scalar::Signed(i) => Some(i as f32),
            Scalar::Float(d) => Float::nearest(d),
        }
    }

    /// The nearest f64: exact for a number printed from an f64 (serde_json's
    /// `float_roundtrip` parses it to the same bits; NaN payloads excepted).
    pub fn to_f64(self) -> f64 {
        match self {
            Scalar::Unsigned(u) => u as f64,
            Scalar::Signed(i) => i as f64,
            Scalar::Float(d) => d,
        }
    }

    /// The integer, when it is one and fits `T`.
    pub fn to_int<T: TryFrom<u64> + TryFrom<i64>>(self) -> Option<T> {
        match self {
            Scalar::Unsigned(u) => T::try_from(u).ok(),
            Scalar::Signed(i) => T::try_from(i).ok(),
            Scalar::Float(_) => None,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Unsigned(u) => u.fmt(f),
            Scalar::Signed(i) => i.fmt(f),
            // Debug switches to an exponent for large and tiny numbers: 1e40, not 1000...0.
            Scalar::Float(d) => write!(f, "{d:?}"),
        }
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Scalar::Unsigned(u) => serializer.serialize_u64(u),
            Scalar::Signed(i) => serializer.serialize_i64(i),
            Scalar::Float(d) if d.is_finite() => serializer.serialize_f64(d),
            Scalar::Float(d) if d.is_nan() => serializer.serialize_str("nan"),
            Scalar::Float(d) if d > 0.0 => serializer.serialize_str("inf"),
            Scalar::Float(_) => serializer.serialize_str("-inf"),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl de::Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or one of \"inf\", \"-inf\", \"nan\"")
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(u))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Scalar, E> {
        Ok(Scalar::Signed(i))
    }

    fn visit_f64<E: de::Error>(self, d: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(d))
    }

    fn visit_str<E: de::Error>(self, word: &str) -> Result<Scalar, E> {
        NON_FINITE
            .iter()
            .find(|(name, _)| *name == word)
            .map(|&(_, d)| Scalar::Float(d))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(word), &self))
    }
}

/// The text form of the components of a uniform value: JSON numbers read as f32, i32, u32
/// or f64 by the type's scalar (a bool as the i32 ModernGL writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Component(pub UniformScalar);

impl Component {
    /// The components of `ty`.
    pub fn of(ty: UniformType) -> Component {
        Component(ty.scalar())
    }

    /// Bytes of one component.
    pub fn size(self) -> usize {
        self.0.size()
    }

    /// What a component of this kind must fit, for messages.
    pub fn describe(self) -> &'static str {
        match self.0 {
            UniformScalar::Float => "a float (f32)",
            UniformScalar::Int | UniformScalar::Bool => "an int (i32)",
            UniformScalar::UInt => "a uint (u32)",
            UniformScalar::Double => "a double (f64)",
        }
    }

    /// The number one component stands for: `bytes` holds [`size`](Self::size) bytes in
    /// native order (`None` otherwise).
    pub fn scalar(self, bytes: &[u8]) -> Option<Scalar> {
        let word = || bytes.try_into().ok().map(u32::from_ne_bytes);
        Some(match self.0 {
            UniformScalar::Float => Scalar::from_f32(f32::from_bits(word()?)),
            UniformScalar::Int | UniformScalar::Bool => {
                Scalar::Signed(i64::from(bytemuck::cast::<u32, i32>(word()?)))
            }
            UniformScalar::UInt => Scalar::Unsigned(u64::from(word()?)),
            UniformScalar::Double => Scalar::Float(f64::from_ne_bytes(bytes.try_into().ok()?)),
        })
    }

    /// Appends the bytes (native order) of `scalar` as one component to `out`; `None` when
    /// it does not fit.
    pub fn push(self, scalar: Scalar, out: &mut Vec<u8>) -> Option<()> {
        match self.0 {
            UniformScalar::Float => out.extend(scalar.to_f32()?.to_ne_bytes()),
            UniformScalar::Int | UniformScalar::Bool => {
                out.extend(scalar.to_int::<i32>()?.to_ne_bytes())
            }
            UniformScalar::UInt => out.extend(scalar.to_int::<u32>()?.to_ne_bytes()),
            UniformScalar::Double => out.extend(scalar.to_f64().to_ne_bytes()),
        }
        Some(())
    }
}
