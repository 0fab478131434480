//! Uniform values: the GLSL types gltape can set and the Rust types that carry them.
//!
//! A value is recorded as its raw bytes (32-bit components, 64-bit for double types) plus its
//! [`UniformType`]. At replay the renderer looks the name up among the linked program's
//! active uniforms and checks that the GLSL type matches and that the array is long enough;
//! a mismatch is a replay error naming the command.

/// A GLSL uniform type gltape can set: ModernGL's, except samplers and images, which an
/// `int` sets (their unit).
///
/// Traces store a type by its position here, so new types go last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs, reason = "the variants are the GLSL type names")]
#[serde(rename_all = "lowercase")]
pub enum UniformType {
    Float,
    Vec2,
    Vec3,
    Vec4,
    Int,
    IVec2,
    IVec3,
    IVec4,
    UInt,
    UVec2,
    UVec3,
    UVec4,
    Mat2,
    Mat3,
    Mat4,
    Bool,
    BVec2,
    BVec3,
    BVec4,
    Double,
    DVec2,
    DVec3,
    DVec4,
    Mat2x3,
    Mat2x4,
    Mat3x2,
    Mat3x4,
    Mat4x2,
    Mat4x3,
    DMat2,
    DMat3,
    DMat4,
    DMat2x3,
    DMat2x4,
    DMat3x2,
    DMat3x4,
    DMat4x2,
    DMat4x3,
}

/// What one component of a uniform value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UniformScalar {
    /// `f32`: float, vec and mat types.
    Float,
    /// `i32`: int and ivec types.
    Int,
    /// `u32`: uint and uvec types.
    UInt,
    /// `i32`, any value but 0 true (as ModernGL writes them): bool and bvec types.
    Bool,
    /// `f64`: double, dvec and dmat types.
    Double,
}

impl UniformScalar {
    /// Bytes of one component: 4, or 8 for a double.
    pub fn size(self) -> usize {
        match self {
            UniformScalar::Double => 8,
            _ => 4,
        }
    }
}

impl UniformType {
    /// Every type gltape can set.
    pub const ALL: [UniformType; 38] = {
        use UniformType::*;
        [
            Float, Vec2, Vec3, Vec4, Int, IVec2, IVec3, IVec4, UInt, UVec2, UVec3, UVec4, Mat2,
            Mat3, Mat4, Bool, BVec2, BVec3, BVec4, Double, DVec2, DVec3, DVec4, Mat2x3, Mat2x4,
            Mat3x2, Mat3x4, Mat4x2, Mat4x3, DMat2, DMat3, DMat4, DMat2x3, DMat2x4, DMat3x2,
            DMat3x4, DMat4x2, DMat4x3,
        ]
    };

    /// GLSL name, components per element and their scalar: the one table the accessors read.
    fn info(self) -> (&'static str, usize, UniformScalar) {
        use UniformScalar as S;
        use UniformType::*;
        match self {
            Float => ("float", 1, S::Float),
            Vec2 => ("vec2", 2, S::Float),
            Vec3 => ("vec3", 3, S::Float),
            Vec4 => ("vec4", 4, S::Float),
            Int => ("int", 1, S::Int),
            IVec2 => ("ivec2", 2, S::Int),
            IVec3 => ("ivec3", 3, S::Int),
            IVec4 => ("ivec4", 4, S::Int),
            UInt => ("uint", 1, S::UInt),
            UVec2 => ("uvec2", 2, S::UInt),
            UVec3 => ("uvec3", 3, S::UInt),
            UVec4 => ("uvec4", 4, S::UInt),
            Mat2 => ("mat2", 4, S::Float),
            Mat3 => ("mat3", 9, S::Float),
            Mat4 => ("mat4", 16, S::Float),
            Bool => ("bool", 1, S::Bool),
            BVec2 => ("bvec2", 2, S::Bool),
            BVec3 => ("bvec3", 3, S::Bool),
            BVec4 => ("bvec4", 4, S::Bool),
            Double => ("double", 1, S::Double),
            DVec2 => ("dvec2", 2, S::Double),
            DVec3 => ("dvec3", 3, S::Double),
            DVec4 => ("dvec4", 4, S::Double),
            Mat2x3 => ("mat2x3", 6, S::Float),
            Mat2x4 => ("mat2x4", 8, S::Float),
            Mat3x2 => ("mat3x2", 6, S::Float),
            Mat3x4 => ("mat3x4", 12, S::Float),
            Mat4x2 => ("mat4x2", 8, S::Float),
            Mat4x3 => ("mat4x3", 12, S::Float),
            DMat2 => ("dmat2", 4, S::Double),
            DMat3 => ("dmat3", 9, S::Double),
            DMat4 => ("dmat4", 16, S::Double),
            DMat2x3 => ("dmat2x3", 6, S::Double),
            DMat2x4 => ("dmat2x4", 8, S::Double),
            DMat3x2 => ("dmat3x2", 6, S::Double),
            DMat3x4 => ("dmat3x4", 12, S::Double),
            DMat4x2 => ("dmat4x2", 8, S::Double),
            DMat4x3 => ("dmat4x3", 12, S::Double),
        }
    }

    /// Components in one element (a matrix's columns times rows).
    pub fn components(self) -> usize {
        self.info().1
    }

    /// What each component is.
    pub fn scalar(self) -> UniformScalar {
        self.info().2
    }

    /// Bytes in one element.
    pub fn element_size(self) -> usize {
        self.components() * self.scalar().size()
    }

    /// The GLSL type name.
    pub fn glsl_name(self) -> &'static str {
        self.info().0
    }
}

/// A GLSL `bool` as ModernGL writes it: an `i32`, any value but 0 true. `[Bool; 3]` is a
/// `bvec3`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    bytemuck::Pod,
    bytemuck::Zeroable,
    serde::Serialize,
    serde::Deserialize,
)]
#[repr(transparent)]
pub struct Bool(pub i32);

impl From<bool> for Bool {
    fn from(value: bool) -> Self {
        Bool(i32::from(value))
    }
}

macro_rules! matrices {
    ($($name:ident($scalar:ty; $len:literal) = $glsl:literal, $shape:literal;)*) => {
        $(
            #[doc = concat!("A column-major ", $shape, " matrix (GLSL `", $glsl, "`).")]
            #[derive(
                Clone,
                Copy,
                Debug,
                PartialEq,
                bytemuck::Pod,
                bytemuck::Zeroable,
                serde::Serialize,
                serde::Deserialize,
            )]
            #[repr(transparent)]
            pub struct $name(pub [$scalar; $len]);

            impl UniformData for $name {
                const TYPE: UniformType = UniformType::$name;
            }
        )*
    };
}

matrices! {
    Mat2(f32; 4) = "mat2", "2x2 float";
    Mat3(f32; 9) = "mat3", "3x3 float";
    Mat4(f32; 16) = "mat4", "4x4 float";
    Mat2x3(f32; 6) = "mat2x3", "2-column, 3-row float";
    Mat2x4(f32; 8) = "mat2x4", "2-column, 4-row float";
    Mat3x2(f32; 6) = "mat3x2", "3-column, 2-row float";
    Mat3x4(f32; 12) = "mat3x4", "3-column, 4-row float";
    Mat4x2(f32; 8) = "mat4x2", "4-column, 2-row float";
    Mat4x3(f32; 12) = "mat4x3", "4-column, 3-row float";
    DMat2(f64; 4) = "dmat2", "2x2 double";
    DMat3(f64; 9) = "dmat3", "3x3 double";
    DMat4(f64; 16) = "dmat4", "4x4 double";
    DMat2x3(f64; 6) = "dmat2x3", "2-column, 3-row double";
    DMat2x4(f64; 8) = "dmat2x4", "2-column, 4-row double";
    DMat3x2(f64; 6) = "dmat3x2", "3-column, 2-row double";
    DMat3x4(f64; 12) = "dmat3x4", "3-column, 4-row double";
    DMat4x2(f64; 8) = "dmat4x2", "4-column, 2-row double";
    DMat4x3(f64; 12) = "dmat4x3", "4-column, 3-row double";
}

/// A Rust type that holds one element of a GLSL uniform.
pub trait UniformData: bytemuck::Pod {
    /// The GLSL type it sets.
    const TYPE: UniformType;
}

macro_rules! uniform_data {
    ($($rust:ty => $glsl:ident),* $(,)?) => {
        $(impl UniformData for $rust {
            const TYPE: UniformType = UniformType::$glsl;
        })*
    };
}

uniform_data!(
    f32 => Float, [f32; 2] => Vec2, [f32; 3] => Vec3, [f32; 4] => Vec4,
    i32 => Int, [i32; 2] => IVec2, [i32; 3] => IVec3, [i32; 4] => IVec4,
    u32 => UInt, [u32; 2] => UVec2, [u32; 3] => UVec3, [u32; 4] => UVec4,
    Bool => Bool, [Bool; 2] => BVec2, [Bool; 3] => BVec3, [Bool; 4] => BVec4,
    f64 => Double, [f64; 2] => DVec2, [f64; 3] => DVec3, [f64; 4] => DVec4,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_types_have_the_size_of_their_glsl_type() {
        fn check<T: UniformData>() {
            assert_eq!(
                std::mem::size_of::<T>(),
                T::TYPE.element_size(),
                "{:?}",
                T::TYPE
            );
        }
        check::<f32>();
        check::<[i32; 3]>();
        check::<[u32; 4]>();
        check::<[Bool; 2]>();
        check::<f64>();
        check::<[f64; 3]>();
        check::<Mat2>();
        check::<Mat3>();
        check::<Mat4>();
        check::<Mat3x2>();
        check::<Mat4x3>();
        check::<DMat2>();
        check::<DMat2x4>();
        check::<DMat4>();
    }

    #[test]
    fn glsl_names_are_the_serde_names() {
        for ty in UniformType::ALL {
            let json = serde_json::to_string(&ty).unwrap();
            assert_eq!(json, format!("\"{}\"", ty.glsl_name()));
        }
    }
}
