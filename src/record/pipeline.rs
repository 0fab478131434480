//! Context state that belongs to no object, following ModernGL's `Context.enable`,
//! `.disable`, `.enable_only` and its state properties (`blend_func`, `blend_equation`,
//! `depth_func`, `front_face`, `cull_face`, `polygon_offset`, `wireframe`, `point_size`,
//! `line_width`), plus primitive restart and gltape's own stencil state. Every replay starts
//! from the state of a new ModernGL context.

use super::Recorder;
use crate::command::{
    BlendEquation, BlendFactor, Capability, Command, CompareFunc, Face, StencilAction,
    ValidationError, Winding,
};

impl Recorder {
    /// Enables a capability (ModernGL: `ctx.enable(moderngl.DEPTH_TEST)`).
    pub fn enable(&mut self, capability: Capability) {
        self.set_capability(capability, true);
    }

    /// Disables a capability (ModernGL: `ctx.disable(...)`).
    pub fn disable(&mut self, capability: Capability) {
        self.set_capability(capability, false);
    }

    fn set_capability(&mut self, capability: Capability, enabled: bool) {
        self.record_always(Command::SetCapability {
            capability,
            enabled,
        });
    }

    /// Enables the capabilities given and disables every other one, the stencil test
    /// included (ModernGL: `ctx.enable_only(moderngl.DEPTH_TEST | moderngl.BLEND)`; an empty
    /// list is `moderngl.NOTHING`).
    pub fn enable_only(&mut self, capabilities: impl IntoIterator<Item = Capability>) {
        self.record_always(Command::EnableOnly {
            capabilities: capabilities.into_iter().collect(),
        });
    }

    /// Sets one source and one destination blend factor for color and alpha (ModernGL:
    /// `ctx.blend_func = src, dst`). Replays start with `SrcAlpha`, `OneMinusSrcAlpha`.
    pub fn blend_func(&mut self, src: BlendFactor, dst: BlendFactor) {
        self.blend_func_separate(src, dst, src, dst);
    }

    /// Sets the blend factors of color and of alpha apart (ModernGL: `ctx.blend_func =
    /// src_rgb, dst_rgb, src_alpha, dst_alpha`).
    pub fn blend_func_separate(
        &mut self,
        src_rgb: BlendFactor,
        dst_rgb: BlendFactor,
        src_alpha: BlendFactor,
        dst_alpha: BlendFactor,
    ) {
        self.record_always(Command::BlendFunc {
            src_rgb,
            dst_rgb,
            src_alpha,
            dst_alpha,
        });
    }

    /// Sets one blend equation for color and alpha (ModernGL: `ctx.blend_equation = eq`).
    /// Replays start with `FuncAdd`.
    pub fn blend_equation(&mut self, equation: BlendEquation) {
        self.blend_equation_separate(equation, equation);
    }

    /// Sets the blend equations of color and of alpha apart (ModernGL: `ctx.blend_equation =
    /// rgb, alpha`).
    pub fn blend_equation_separate(&mut self, rgb: BlendEquation, alpha: BlendEquation) {
        self.record_always(Command::BlendEquation { rgb, alpha });
    }

    /// Sets the depth test's comparison (ModernGL: `ctx.depth_func = '<='`). Replays start
    /// with `Less`, as GL and ModernGL's contexts do.
    pub fn depth_func(&mut self, func: CompareFunc) {
        self.record_always(Command::DepthFunc { func });
    }

    /// Sets which winding faces front (ModernGL: `ctx.front_face = 'cw'`); `Ccw` at first.
    pub fn front_face(&mut self, winding: Winding) {
        self.record_always(Command::FrontFace { winding });
    }

    /// Sets which faces [`Capability::CullFace`] drops (ModernGL: `ctx.cull_face =
    /// 'front'`); `Back` at first.
    pub fn cull_face(&mut self, face: Face) {
        self.record_always(Command::CullFace { face });
    }

    /// Offsets the depth of polygons by `factor` times their depth slope plus `units` times
    /// the smallest resolvable depth difference, for points, lines and fills alike; the
    /// offset is on unless both are 0 (ModernGL: `ctx.polygon_offset = factor, units`).
    /// Both must be finite.
    pub fn polygon_offset(&mut self, factor: f32, units: f32) -> Result<(), ValidationError> {
        self.record_plain(Command::PolygonOffset {
            factor: factor.into(),
            units: units.into(),
        })
    }

    /// Draws polygons as lines when `enabled`, filled otherwise (ModernGL: `ctx.wireframe`).
    pub fn wireframe(&mut self, enabled: bool) {
        self.record_always(Command::Wireframe { enabled });
    }

    /// Sets the size of points in pixels, used unless [`Capability::ProgramPointSize`] is on
    /// (ModernGL: `ctx.point_size`). It must be finite and above 0; GL clamps it to its range
    /// (1 to 255 on llvmpipe).
    pub fn point_size(&mut self, size: f32) -> Result<(), ValidationError> {
        self.record_plain(Command::PointSize { size: size.into() })
    }

    /// Sets the width of lines in pixels (ModernGL: `ctx.line_width`). It must be finite and
    /// above 0; GL clamps it to its range (1 to 255 on llvmpipe). A forward-compatible
    /// context refuses widths above 1 at replay (GL_INVALID_VALUE).
    pub fn line_width(&mut self, width: f32) -> Result<(), ValidationError> {
        self.record_plain(Command::LineWidth {
            width: width.into(),
        })
    }

    /// Makes indexed draws start a new primitive at `index`, or never with None. Replays
    /// start as ModernGL's contexts do, with `Some(0xFFFFFFFF)`, which restarts only 4-byte
    /// index buffers (GL compares the index as read); `Some(0xFFFF)` restarts 2-byte ones.
    pub fn primitive_restart(&mut self, index: Option<u32>) {
        self.record_always(Command::PrimitiveRestart { index });
    }

    /// Sets the stencil test of `face`: a fragment passes when `func` holds between
    /// `reference & mask` and `stored & mask` (glStencilFuncSeparate). gltape's own, as is
    /// [`Capability::StencilTest`]: ModernGL has no stencil state. Replays start with
    /// `Always`, 0 and all ones, and with a zeroed stencil buffer on the screen (offscreen
    /// framebuffers have none, so the test always passes there).
    pub fn stencil_func(&mut self, face: Face, func: CompareFunc, reference: i32, mask: u32) {
        self.record_always(Command::StencilFunc {
            face,
            func,
            reference,
            mask,
        });
    }

    /// Sets what the stencil test does to the stored value of `face`'s fragments
    /// (glStencilOpSeparate; gltape's own): `stencil_fail` when the stencil test fails,
    /// `depth_fail` when it passes and the depth test fails, `depth_pass` when both pass.
    /// Replays start with `Keep` for all three.
    pub fn stencil_op(
        &mut self,
        face: Face,
        stencil_fail: StencilAction,
        depth_fail: StencilAction,
        depth_pass: StencilAction,
    ) {
        self.record_always(Command::StencilOp {
            face,
            stencil_fail,
            depth_fail,
            depth_pass,
        });
    }

    /// Sets which stencil bits `face`'s fragments write (glStencilMaskSeparate; gltape's
    /// own); all ones at first.
    pub fn stencil_mask(&mut self, face: Face, mask: u32) {
        self.record_always(Command::StencilMask { face, mask });
    }
}
