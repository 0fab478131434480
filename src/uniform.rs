//! Uniform values: the GLSL types gltape can set and the Rust types that carry them.
//!
//! A value is recorded as raw 32-bit words plus its [`UniformType`]. At replay the renderer
//! looks the name up among the linked program's active uniforms and checks that the GLSL type
//! matches and that the array is long enough; a mismatch is a replay error naming the command.

/// A GLSL uniform type gltape can set.
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
}

impl UniformType {
    /// Every type gltape can set.
    pub const ALL: [UniformType; 15] = [
        UniformType::Float,
        UniformType::Vec2,
        UniformType::Vec3,
        UniformType::Vec4,
        UniformType::Int,
        UniformType::IVec2,
        UniformType::IVec3,
        UniformType::IVec4,
        UniformType::UInt,
        UniformType::UVec2,
        UniformType::UVec3,
        UniformType::UVec4,
        UniformType::Mat2,
        UniformType::Mat3,
        UniformType::Mat4,
    ];

    /// GLSL name and 32-bit words per element: the one table the accessors read.
    fn info(self) -> (&'static str, usize) {
        use UniformType::*;
        match self {
            Float => ("float", 1),
            Vec2 => ("vec2", 2),
            Vec3 => ("vec3", 3),
            Vec4 => ("vec4", 4),
            Int => ("int", 1),
            IVec2 => ("ivec2", 2),
            IVec3 => ("ivec3", 3),
            IVec4 => ("ivec4", 4),
            UInt => ("uint", 1),
            UVec2 => ("uvec2", 2),
            UVec3 => ("uvec3", 3),
            UVec4 => ("uvec4", 4),
            Mat2 => ("mat2", 4),
            Mat3 => ("mat3", 9),
            Mat4 => ("mat4", 16),
        }
    }

    /// 32-bit words in one element.
    pub fn words(self) -> usize {
        self.info().1
    }

    /// The GLSL type name.
    pub fn glsl_name(self) -> &'static str {
        self.info().0
    }
}

/// A column-major 2x2 float matrix (GLSL `mat2`).
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
pub struct Mat2(pub [f32; 4]);

/// A column-major 3x3 float matrix (GLSL `mat3`).
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
pub struct Mat3(pub [f32; 9]);

/// A column-major 4x4 float matrix (GLSL `mat4`).
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
pub struct Mat4(pub [f32; 16]);

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
    Mat2 => Mat2, Mat3 => Mat3, Mat4 => Mat4,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_types_have_the_words_of_their_glsl_type() {
        fn check<T: UniformData>() {
            assert_eq!(
                std::mem::size_of::<T>(),
                T::TYPE.words() * 4,
                "{:?}",
                T::TYPE
            );
        }
        check::<f32>();
        check::<[i32; 3]>();
        check::<[u32; 4]>();
        check::<Mat2>();
        check::<Mat3>();
        check::<Mat4>();
    }
}
