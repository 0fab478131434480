//! Draw parameters shared by render and transform (ModernGL's `mode, vertices, first, instances`).

/// A primitive mode (ModernGL: `moderngl.TRIANGLES` and friends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// GL_POINTS.
    Points,
    /// GL_LINES.
    Lines,
    /// GL_LINE_STRIP.
    LineStrip,
    /// GL_LINE_LOOP.
    LineLoop,
    /// GL_TRIANGLES.
    Triangles,
    /// GL_TRIANGLE_STRIP.
    TriangleStrip,
    /// GL_TRIANGLE_FAN.
    TriangleFan,
    /// GL_LINES_ADJACENCY.
    LinesAdjacency,
    /// GL_LINE_STRIP_ADJACENCY.
    LineStripAdjacency,
    /// GL_TRIANGLES_ADJACENCY.
    TrianglesAdjacency,
    /// GL_TRIANGLE_STRIP_ADJACENCY.
    TriangleStripAdjacency,
}

impl Mode {
    /// Every mode, in GL enum order.
    pub const ALL: [Mode; 11] = [
        Mode::Points,
        Mode::Lines,
        Mode::LineLoop,
        Mode::LineStrip,
        Mode::Triangles,
        Mode::TriangleStrip,
        Mode::TriangleFan,
        Mode::LinesAdjacency,
        Mode::LineStripAdjacency,
        Mode::TrianglesAdjacency,
        Mode::TriangleStripAdjacency,
    ];

    /// The lower-case name used in messages and text dumps.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Points => "points",
            Mode::Lines => "lines",
            Mode::LineStrip => "line_strip",
            Mode::LineLoop => "line_loop",
            Mode::Triangles => "triangles",
            Mode::TriangleStrip => "triangle_strip",
            Mode::TriangleFan => "triangle_fan",
            Mode::LinesAdjacency => "lines_adjacency",
            Mode::LineStripAdjacency => "line_strip_adjacency",
            Mode::TrianglesAdjacency => "triangles_adjacency",
            Mode::TriangleStripAdjacency => "triangle_strip_adjacency",
        }
    }

    /// How many primitives `vertices` vertices make in this mode (what a geometry shader is
    /// invoked for).
    pub fn primitives(self, vertices: u64) -> u64 {
        match self {
            Mode::Points => vertices,
            Mode::Lines => vertices / 2,
            Mode::LineStrip => vertices.saturating_sub(1),
            Mode::LineLoop => {
                if vertices >= 2 {
                    vertices
                } else {
                    0
                }
            }
            Mode::Triangles => vertices / 3,
            Mode::TriangleStrip | Mode::TriangleFan => vertices.saturating_sub(2),
            Mode::LinesAdjacency => vertices / 4,
            Mode::LineStripAdjacency => vertices.saturating_sub(3),
            Mode::TrianglesAdjacency => vertices / 6,
            Mode::TriangleStripAdjacency => vertices.saturating_sub(4) / 2,
        }
    }

    /// How many vertices transform feedback captures when `vertices` are drawn in this mode
    /// without a geometry shader (strips and fans become separate primitives), or `None` for
    /// the adjacency modes, which transform feedback cannot capture without one.
    pub fn captured_vertices(self, vertices: u64) -> Option<u64> {
        match self {
            Mode::Points => Some(vertices),
            Mode::Lines => Some(vertices / 2 * 2),
            Mode::LineStrip => Some(vertices.saturating_sub(1) * 2),
            Mode::LineLoop => Some(if vertices >= 2 { vertices * 2 } else { 0 }),
            Mode::Triangles => Some(vertices / 3 * 3),
            Mode::TriangleStrip | Mode::TriangleFan => Some(vertices.saturating_sub(2) * 3),
            _ => None,
        }
    }
}

/// The draw parameters of a render or transform call.
///
/// ```
/// use gltape::{Draw, Mode};
/// let draw = Draw::new(Mode::Triangles).vertices(3).instances(2);
/// assert_eq!((draw.first, draw.instances), (0, 2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Draw {
    /// The primitive mode.
    pub mode: Mode,
    /// Vertices (or indices) drawn; `None` derives the count at the moment of the draw from
    /// the vertex array's buffers (see [`Recorder::render`](crate::Recorder::render)).
    pub vertices: Option<u32>,
    /// The first vertex (or index) drawn.
    pub first: u32,
    /// Instances drawn, at least 1 to draw anything.
    pub instances: u32,
}

impl Draw {
    /// All vertices, from the first, one instance.
    pub fn new(mode: Mode) -> Self {
        Draw {
            mode,
            vertices: None,
            first: 0,
            instances: 1,
        }
    }

    /// Draws exactly `count` vertices (or indices).
    pub fn vertices(self, count: u32) -> Self {
        Draw {
            vertices: Some(count),
            ..self
        }
    }

    /// Starts at vertex (or index) `first`.
    pub fn first(self, first: u32) -> Self {
        Draw { first, ..self }
    }

    /// Draws `count` instances.
    pub fn instances(self, count: u32) -> Self {
        Draw {
            instances: count,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_vertices_follow_the_gl_spec_table() {
        assert_eq!(Mode::Points.captured_vertices(5), Some(5));
        assert_eq!(Mode::Lines.captured_vertices(5), Some(4));
        assert_eq!(Mode::LineStrip.captured_vertices(4), Some(6));
        assert_eq!(Mode::LineLoop.captured_vertices(3), Some(6));
        assert_eq!(Mode::Triangles.captured_vertices(7), Some(6));
        assert_eq!(Mode::TriangleStrip.captured_vertices(5), Some(9));
        assert_eq!(Mode::TriangleFan.captured_vertices(1), Some(0));
        assert_eq!(Mode::TrianglesAdjacency.captured_vertices(6), None);
    }
}
