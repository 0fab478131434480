//! GL state that belongs to no object, in one value ([`GlState`]): the state a replay or a
//! submission depends on, read from GL (to give a host its state back) and applied to GL (to
//! start as a new ModernGL context does, or to resume after the host drew).
//!
//! This is the host-state contract of docs/embedding.md: every piece of state listed here is
//! set by gltape before its commands run, so no host setting can leak into a replay.

use super::gl_enum;
use crate::command::{
    BlendEquation, BlendFactor, BlockKind, Capabilities, Capability, CompareFunc, Face, Float,
    ImageAccess, ImageFormat, StencilAction, Winding, MAX_IMAGE_UNITS, MAX_STORAGE_BUFFER_BINDINGS,
    MAX_TEXTURE_UNITS, MAX_UNIFORM_BUFFER_BINDINGS,
};
use crate::gl::{self, types::*, Gl};

/// The capabilities gltape sets before it runs commands, in [`GlState::enabled`] order.
const CAPABILITIES: [GLenum; 32] = [
    gl::DEPTH_TEST,
    gl::CULL_FACE,
    gl::BLEND,
    gl::SCISSOR_TEST,
    gl::STENCIL_TEST,
    gl::RASTERIZER_DISCARD,
    gl::FRAMEBUFFER_SRGB,
    gl::COLOR_LOGIC_OP,
    gl::POLYGON_OFFSET_FILL,
    gl::POLYGON_OFFSET_LINE,
    gl::POLYGON_OFFSET_POINT,
    gl::SAMPLE_ALPHA_TO_COVERAGE,
    gl::SAMPLE_ALPHA_TO_ONE,
    gl::SAMPLE_COVERAGE,
    gl::SAMPLE_MASK,
    gl::PROGRAM_POINT_SIZE,
    gl::DEPTH_CLAMP,
    gl::LINE_SMOOTH,
    gl::POLYGON_SMOOTH,
    gl::PRIMITIVE_RESTART,
    gl::PRIMITIVE_RESTART_FIXED_INDEX,
    gl::CLIP_DISTANCE0,
    gl::CLIP_DISTANCE1,
    gl::CLIP_DISTANCE2,
    gl::CLIP_DISTANCE3,
    gl::CLIP_DISTANCE4,
    gl::CLIP_DISTANCE5,
    gl::CLIP_DISTANCE6,
    gl::CLIP_DISTANCE7,
    gl::DITHER,
    gl::MULTISAMPLE,
    gl::TEXTURE_CUBE_MAP_SEAMLESS,
];

/// Index of a capability in [`CAPABILITIES`] (every one a command sets is there: tested).
fn slot(capability: GLenum) -> Option<usize> {
    CAPABILITIES.iter().position(|&c| c == capability)
}

/// Draw buffers whose color masks the state keeps: as many as a framebuffer has color
/// attachments at most (GL 4.5 guarantees 8 draw buffers).
const DRAW_BUFFERS: usize = 8;

/// The stencil state of one face.
#[derive(Clone, Copy, Debug, PartialEq)]
struct StencilFace {
    func: GLenum,
    reference: GLint,
    value_mask: GLuint,
    /// Actions on stencil fail, depth fail, depth pass.
    actions: [GLenum; 3],
    write_mask: GLuint,
}

impl StencilFace {
    /// GL's initial stencil state.
    const DEFAULT: StencilFace = StencilFace {
        func: gl::ALWAYS,
        reference: 0,
        value_mask: GLuint::MAX,
        actions: [gl::KEEP; 3],
        write_mask: GLuint::MAX,
    };

    /// The queries of one face's state, front or back: func, reference, value mask, the
    /// three actions, write mask.
    const QUERIES: [[GLenum; 7]; 2] = [
        [
            gl::STENCIL_FUNC,
            gl::STENCIL_REF,
            gl::STENCIL_VALUE_MASK,
            gl::STENCIL_FAIL,
            gl::STENCIL_PASS_DEPTH_FAIL,
            gl::STENCIL_PASS_DEPTH_PASS,
            gl::STENCIL_WRITEMASK,
        ],
        [
            gl::STENCIL_BACK_FUNC,
            gl::STENCIL_BACK_REF,
            gl::STENCIL_BACK_VALUE_MASK,
            gl::STENCIL_BACK_FAIL,
            gl::STENCIL_BACK_PASS_DEPTH_FAIL,
            gl::STENCIL_BACK_PASS_DEPTH_PASS,
            gl::STENCIL_BACK_WRITEMASK,
        ],
    ];

    fn read(gl: &Gl, queries: &[GLenum; 7]) -> StencilFace {
        let [func, reference, value_mask, fail, depth_fail, depth_pass, write_mask] =
            queries.map(|name| {
                let mut value = 0;
                // SAFETY: every stencil query is a single GLint.
                unsafe { gl.GetIntegerv(name, &mut value) };
                value
            });
        // Masks and enums come back as GLints: their bits are the values.
        StencilFace {
            func: func as GLenum,
            reference,
            value_mask: value_mask as GLuint,
            actions: [fail, depth_fail, depth_pass].map(|a| a as GLenum),
            write_mask: write_mask as GLuint,
        }
    }
}

impl GlState {
    /// Where the state keeps whether `capability` is on.
    fn enabled_mut(&mut self, capability: GLenum) -> Option<&mut bool> {
        slot(capability).and_then(|slot| self.enabled.get_mut(slot))
    }
}

/// The pixel-store parameters of one direction, in [`GlState::pack`] order.
const PACK: [GLenum; 8] = [
    gl::PACK_SWAP_BYTES,
    gl::PACK_LSB_FIRST,
    gl::PACK_ROW_LENGTH,
    gl::PACK_IMAGE_HEIGHT,
    gl::PACK_SKIP_ROWS,
    gl::PACK_SKIP_PIXELS,
    gl::PACK_SKIP_IMAGES,
    gl::PACK_ALIGNMENT,
];
const UNPACK: [GLenum; 8] = [
    gl::UNPACK_SWAP_BYTES,
    gl::UNPACK_LSB_FIRST,
    gl::UNPACK_ROW_LENGTH,
    gl::UNPACK_IMAGE_HEIGHT,
    gl::UNPACK_SKIP_ROWS,
    gl::UNPACK_SKIP_PIXELS,
    gl::UNPACK_SKIP_IMAGES,
    gl::UNPACK_ALIGNMENT,
];

/// Object bindings, in [`GlState::bindings`] order: program, vertex array, draw and read
/// framebuffers, pixel pack and unpack buffers, transform feedback object and its generic
/// buffer binding, draw and dispatch indirect buffers (gltape binds its own around each
/// indirect command) and the query buffer (which would turn a query read into a write to
/// the buffer).
const BINDINGS: [GLenum; 11] = [
    gl::CURRENT_PROGRAM,
    gl::VERTEX_ARRAY_BINDING,
    gl::DRAW_FRAMEBUFFER_BINDING,
    gl::READ_FRAMEBUFFER_BINDING,
    gl::PIXEL_PACK_BUFFER_BINDING,
    gl::PIXEL_UNPACK_BUFFER_BINDING,
    gl::TRANSFORM_FEEDBACK_BINDING,
    gl::TRANSFORM_FEEDBACK_BUFFER_BINDING,
    gl::DRAW_INDIRECT_BUFFER_BINDING,
    gl::DISPATCH_INDIRECT_BUFFER_BINDING,
    gl::QUERY_BUFFER_BINDING,
];

/// Buffer targets of the [`BINDINGS`] after the transform feedback buffer, in order.
const INDIRECT_TARGETS: [GLenum; 3] = [
    gl::DRAW_INDIRECT_BUFFER,
    gl::DISPATCH_INDIRECT_BUFFER,
    gl::QUERY_BUFFER,
];

/// Image units whose bindings gltape sets (and, restoring, gives back).
const IMAGE_UNITS: usize = MAX_IMAGE_UNITS as usize;

/// The binding of one image unit: glBindImageTexture's arguments.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ImageUnit {
    name: GLuint,
    level: GLint,
    layered: bool,
    layer: GLint,
    access: GLenum,
    format: GLenum,
}

impl ImageUnit {
    /// GL's initial binding: no texture, read only, R8.
    const NONE: ImageUnit = ImageUnit {
        name: 0,
        level: 0,
        layered: false,
        layer: 0,
        access: gl::READ_ONLY,
        format: gl::R8,
    };

    /// The binding of unit `unit` now.
    fn read(gl: &Gl, unit: GLuint) -> ImageUnit {
        let int = |name| {
            let mut value = 0;
            // SAFETY: each image binding query is one GLint per unit; `unit` is below GL
            // 4.5's guaranteed count.
            unsafe { gl.GetIntegeri_v(name, unit, &mut value) };
            value
        };
        ImageUnit {
            name: int(gl::IMAGE_BINDING_NAME) as GLuint,
            level: int(gl::IMAGE_BINDING_LEVEL),
            layered: int(gl::IMAGE_BINDING_LAYERED) != 0,
            layer: int(gl::IMAGE_BINDING_LAYER),
            access: int(gl::IMAGE_BINDING_ACCESS) as GLenum,
            format: int(gl::IMAGE_BINDING_FORMAT) as GLenum,
        }
    }
}

/// Texture units whose bindings gltape sets (and, restoring, gives back).
const UNITS: usize = MAX_TEXTURE_UNITS as usize;

/// Every texture target with the query of its binding, in [`GlState::textures`] order.
const TEXTURE_TARGETS: [(GLenum, GLenum); 11] = [
    (gl::TEXTURE_1D, gl::TEXTURE_BINDING_1D),
    (gl::TEXTURE_2D, gl::TEXTURE_BINDING_2D),
    (gl::TEXTURE_3D, gl::TEXTURE_BINDING_3D),
    (gl::TEXTURE_1D_ARRAY, gl::TEXTURE_BINDING_1D_ARRAY),
    (gl::TEXTURE_2D_ARRAY, gl::TEXTURE_BINDING_2D_ARRAY),
    (gl::TEXTURE_RECTANGLE, gl::TEXTURE_BINDING_RECTANGLE),
    (gl::TEXTURE_CUBE_MAP, gl::TEXTURE_BINDING_CUBE_MAP),
    (
        gl::TEXTURE_CUBE_MAP_ARRAY,
        gl::TEXTURE_BINDING_CUBE_MAP_ARRAY,
    ),
    (gl::TEXTURE_BUFFER, gl::TEXTURE_BINDING_BUFFER),
    (
        gl::TEXTURE_2D_MULTISAMPLE,
        gl::TEXTURE_BINDING_2D_MULTISAMPLE,
    ),
    (
        gl::TEXTURE_2D_MULTISAMPLE_ARRAY,
        gl::TEXTURE_BINDING_2D_MULTISAMPLE_ARRAY,
    ),
];

/// Index of a texture target in [`TEXTURE_TARGETS`] (every one a texture has is there).
fn target_slot(target: GLenum) -> Option<usize> {
    TEXTURE_TARGETS.iter().position(|&(t, _)| t == target)
}

/// A buffer range bound to an indexed binding: the GL buffer, offset and size in bytes
/// (size 0: the whole buffer, as glBindBufferBase binds it and GL reports it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct BoundRange {
    name: GLuint,
    offset: i64,
    size: i64,
}

impl BoundRange {
    const NONE: BoundRange = BoundRange {
        name: 0,
        offset: 0,
        size: 0,
    };
}

/// Uniform buffer bindings gltape sets (and, restoring, gives back).
const UNIFORM_BINDINGS: usize = MAX_UNIFORM_BUFFER_BINDINGS as usize;
/// Shader storage buffer bindings gltape sets (and, restoring, gives back).
const STORAGE_BINDINGS: usize = MAX_STORAGE_BUFFER_BINDINGS as usize;

/// The indexed target of a kind of block, in [`BlockKind::ALL`] order, with the queries of
/// its generic binding and of an indexed binding's buffer, start and size.
const BLOCK_TARGETS: [[GLenum; 4]; 2] = [
    [
        gl::UNIFORM_BUFFER,
        gl::UNIFORM_BUFFER_BINDING,
        gl::UNIFORM_BUFFER_START,
        gl::UNIFORM_BUFFER_SIZE,
    ],
    [
        gl::SHADER_STORAGE_BUFFER,
        gl::SHADER_STORAGE_BUFFER_BINDING,
        gl::SHADER_STORAGE_BUFFER_START,
        gl::SHADER_STORAGE_BUFFER_SIZE,
    ],
];

/// The target and queries of `kind`'s bindings (see [`BLOCK_TARGETS`]).
fn block_target(kind: BlockKind) -> [GLenum; 4] {
    let [uniform, storage] = BLOCK_TARGETS;
    match kind {
        BlockKind::Uniform => uniform,
        BlockKind::Storage => storage,
    }
}

/// Every piece of context state that a command's result can depend on and that no gltape
/// object owns. [`GlState::MODERNGL`] is where replays start; the renderer keeps its own
/// copy up to date as commands change it, and applies it again before each submission.
///
/// The viewport, scissor (box and test), color masks and depth mask belong to gltape's
/// framebuffers, as in ModernGL: the framebuffer in use sets its own when it is used, which
/// the renderer does right after applying this state (see `FramebufferTable`). Here they are
/// the values of a new ModernGL context and what a host had.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct GlState {
    enabled: [bool; CAPABILITIES.len()],
    restart_index: u32,
    /// Source and destination factors, RGB then alpha.
    blend_func: [GLenum; 4],
    /// RGB then alpha.
    blend_equation: [GLenum; 2],
    blend_color: [f32; 4],
    depth_func: GLenum,
    depth_mask: bool,
    depth_range: [f64; 2],
    /// Per draw buffer.
    color_mask: [[bool; 4]; DRAW_BUFFERS],
    /// Front, back.
    stencil: [StencilFace; 2],
    polygon_mode: GLenum,
    front_face: GLenum,
    cull_face: GLenum,
    line_width: f32,
    point_size: f32,
    /// Factor and units.
    polygon_offset: [f32; 2],
    clamp_read_color: GLenum,
    provoking_vertex: GLenum,
    /// Origin and depth mode.
    clip_control: [GLenum; 2],
    pack: [GLint; 8],
    unpack: [GLint; 8],
    bindings: [GLuint; BINDINGS.len()],
    viewport: [GLint; 4],
    scissor_box: [GLint; 4],
    /// GL_ACTIVE_TEXTURE (gltape's is unit 0; creating a texture binds it there a moment).
    active_texture: GLenum,
    /// The texture bound to each target ([`TEXTURE_TARGETS`] order) of each unit.
    textures: [[GLuint; TEXTURE_TARGETS.len()]; UNITS],
    /// The sampler bound to each unit.
    samplers: [GLuint; UNITS],
    /// The buffer range bound to each uniform buffer binding gltape sets.
    uniform_buffers: [BoundRange; UNIFORM_BINDINGS],
    /// The buffer range bound to each shader storage buffer binding gltape sets.
    storage_buffers: [BoundRange; STORAGE_BINDINGS],
    /// The generic GL_UNIFORM_BUFFER and GL_SHADER_STORAGE_BUFFER bindings ([`BlockKind::ALL`]
    /// order). gltape binds blocks through glBindBuffersRange, which leaves them alone.
    block_buffers: [GLuint; 2],
    /// The binding of each image unit.
    images: [ImageUnit; IMAGE_UNITS],
}

impl GlState {
    /// The state of a new ModernGL context (GL's defaults, plus what moderngl.cpp sets at
    /// creation: blending SRC_ALPHA / ONE_MINUS_SRC_ALPHA, seamless cube maps, primitive
    /// restart at 0xFFFFFFFF), with tight pixel packing and nothing bound.
    #[allow(
        clippy::indexing_slicing,
        reason = "evaluated at compile time, where an index out of bounds is a build error"
    )]
    pub(super) const MODERNGL: GlState = {
        let mut enabled = [false; CAPABILITIES.len()];
        let mut i = 0;
        while i < CAPABILITIES.len() {
            enabled[i] = matches!(
                CAPABILITIES[i],
                // On in GL.
                gl::DITHER | gl::MULTISAMPLE
                // Turned on by ModernGL.
                | gl::TEXTURE_CUBE_MAP_SEAMLESS | gl::PRIMITIVE_RESTART
            );
            i += 1;
        }
        let mut tight = [0; 8];
        tight[7] = 1;
        GlState {
            enabled,
            restart_index: u32::MAX,
            blend_func: [
                gl::SRC_ALPHA,
                gl::ONE_MINUS_SRC_ALPHA,
                gl::SRC_ALPHA,
                gl::ONE_MINUS_SRC_ALPHA,
            ],
            blend_equation: [gl::FUNC_ADD; 2],
            blend_color: [0.0; 4],
            depth_func: gl::LESS,
            depth_mask: true,
            depth_range: [0.0, 1.0],
            color_mask: [[true; 4]; DRAW_BUFFERS],
            stencil: [StencilFace::DEFAULT; 2],
            polygon_mode: gl::FILL,
            front_face: gl::CCW,
            cull_face: gl::BACK,
            line_width: 1.0,
            point_size: 1.0,
            polygon_offset: [0.0; 2],
            clamp_read_color: gl::FIXED_ONLY,
            provoking_vertex: gl::LAST_VERTEX_CONVENTION,
            clip_control: [gl::LOWER_LEFT, gl::NEGATIVE_ONE_TO_ONE],
            pack: tight,
            unpack: tight,
            bindings: [0; BINDINGS.len()],
            viewport: [0; 4],
            scissor_box: [0; 4],
            active_texture: gl::TEXTURE0,
            textures: [[0; TEXTURE_TARGETS.len()]; UNITS],
            samplers: [0; UNITS],
            uniform_buffers: [BoundRange::NONE; UNIFORM_BINDINGS],
            storage_buffers: [BoundRange::NONE; STORAGE_BINDINGS],
            block_buffers: [0; 2],
            images: [ImageUnit::NONE; IMAGE_UNITS],
        }
    };

    /// The context's current state (for a host that wants it back after a submission).
    pub(super) fn read(gl: &Gl) -> GlState {
        let mut state = GlState::MODERNGL;
        let int = |name: GLenum| {
            let mut value = 0;
            // SAFETY: every name queried here is a single GLint.
            unsafe { gl.GetIntegerv(name, &mut value) };
            value
        };
        let ints = |name: GLenum, out: &mut [GLint]| {
            // SAFETY: `out` has room for every value `name` returns (4 for the rectangles).
            unsafe { gl.GetIntegerv(name, out.as_mut_ptr()) };
        };
        let floats = |name: GLenum, out: &mut [f32]| {
            // SAFETY: as above, for GLfloat values.
            unsafe { gl.GetFloatv(name, out.as_mut_ptr()) };
        };
        let enumv = |name| int(name) as GLenum;
        for (enabled, &capability) in state.enabled.iter_mut().zip(&CAPABILITIES) {
            // SAFETY: a capability enum.
            *enabled = unsafe { gl.IsEnabled(capability) } != 0;
        }
        state.restart_index = int(gl::PRIMITIVE_RESTART_INDEX) as u32;
        state.blend_func = [
            gl::BLEND_SRC_RGB,
            gl::BLEND_DST_RGB,
            gl::BLEND_SRC_ALPHA,
            gl::BLEND_DST_ALPHA,
        ]
        .map(enumv);
        state.blend_equation = [gl::BLEND_EQUATION_RGB, gl::BLEND_EQUATION_ALPHA].map(enumv);
        floats(gl::BLEND_COLOR, &mut state.blend_color);
        state.depth_func = enumv(gl::DEPTH_FUNC);
        state.depth_mask = int(gl::DEPTH_WRITEMASK) != 0;
        let mut range = [0.0f64; 2];
        // SAFETY: GL_DEPTH_RANGE is two GLdoubles.
        unsafe { gl.GetDoublev(gl::DEPTH_RANGE, range.as_mut_ptr()) };
        state.depth_range = range;
        for (index, color_mask) in state.color_mask.iter_mut().enumerate() {
            let mut mask = [0u8; 4];
            // SAFETY: GL_COLOR_WRITEMASK is four GLbooleans per draw buffer, and GL 4.5 has
            // at least DRAW_BUFFERS of them.
            unsafe { gl.GetBooleani_v(gl::COLOR_WRITEMASK, index as GLuint, mask.as_mut_ptr()) };
            *color_mask = mask.map(|m| m != 0);
        }
        state.stencil = StencilFace::QUERIES.map(|queries| StencilFace::read(gl, &queries));
        let mut modes = [0; 2];
        ints(gl::POLYGON_MODE, &mut modes);
        state.polygon_mode = modes[0] as GLenum;
        state.front_face = enumv(gl::FRONT_FACE);
        state.cull_face = enumv(gl::CULL_FACE_MODE);
        floats(gl::LINE_WIDTH, std::slice::from_mut(&mut state.line_width));
        floats(gl::POINT_SIZE, std::slice::from_mut(&mut state.point_size));
        let [factor, units] = &mut state.polygon_offset;
        floats(gl::POLYGON_OFFSET_FACTOR, std::slice::from_mut(factor));
        floats(gl::POLYGON_OFFSET_UNITS, std::slice::from_mut(units));
        state.clamp_read_color = enumv(gl::CLAMP_READ_COLOR);
        state.provoking_vertex = enumv(gl::PROVOKING_VERTEX);
        state.clip_control = [gl::CLIP_ORIGIN, gl::CLIP_DEPTH_MODE].map(enumv);
        state.pack = PACK.map(int);
        state.unpack = UNPACK.map(int);
        state.bindings = BINDINGS.map(|name| int(name) as GLuint);
        ints(gl::VIEWPORT, &mut state.viewport);
        ints(gl::SCISSOR_BOX, &mut state.scissor_box);
        state.active_texture = enumv(gl::ACTIVE_TEXTURE);
        for (unit, (textures, sampler)) in
            (state.textures.iter_mut().zip(&mut state.samplers)).enumerate()
        {
            // SAFETY: a unit below GL 4.5's guaranteed count; the active unit is put back
            // after the loop.
            unsafe { gl.ActiveTexture(gl::TEXTURE0 + unit as GLenum) };
            for (name, &(_, binding)) in textures.iter_mut().zip(&TEXTURE_TARGETS) {
                *name = int(binding) as GLuint;
            }
            *sampler = int(gl::SAMPLER_BINDING) as GLuint;
        }
        // SAFETY: the value GL returned above.
        unsafe { gl.ActiveTexture(state.active_texture) };
        for (slot, kind) in BlockKind::ALL.into_iter().enumerate() {
            let [_, binding, start, size] = block_target(kind);
            if let Some(generic) = state.block_buffers.get_mut(slot) {
                *generic = int(binding) as GLuint;
            }
            for (index, bound) in state.block_bindings_mut(kind).iter_mut().enumerate() {
                let index = index as GLuint;
                let (mut name, mut offset, mut bytes) = (0, 0, 0);
                // SAFETY: indexed queries of one value each, at an index below GL 4.5's
                // guaranteed binding count.
                unsafe {
                    gl.GetIntegeri_v(binding, index, &mut name);
                    gl.GetInteger64i_v(start, index, &mut offset);
                    gl.GetInteger64i_v(size, index, &mut bytes);
                }
                *bound = BoundRange {
                    name: name as GLuint,
                    offset,
                    size: bytes,
                };
            }
        }
        for (unit, image) in state.images.iter_mut().enumerate() {
            *image = ImageUnit::read(gl, unit as GLuint);
        }
        state
    }

    /// Sets every piece of the state on GL.
    pub(super) fn apply(&self, gl: &Gl) {
        // SAFETY: valid enums and values read from GL or given above; the names bound were
        // read from GL (the host's) or are 0.
        unsafe {
            for (&enabled, &capability) in self.enabled.iter().zip(&CAPABILITIES) {
                if enabled {
                    gl.Enable(capability);
                } else {
                    gl.Disable(capability);
                }
            }
            gl.PrimitiveRestartIndex(self.restart_index);
            gl.DepthMask(u8::from(self.depth_mask));
            gl.DepthRange(self.depth_range[0], self.depth_range[1]);
            for (index, mask) in self.color_mask.iter().enumerate() {
                let [r, g, b, a] = mask.map(u8::from);
                gl.ColorMaski(index as GLuint, r, g, b, a);
            }
        }
        self.apply_blend(gl);
        self.apply_depth_func(gl);
        self.apply_stencil(gl);
        self.apply_rasterization(gl);
        // SAFETY: as above.
        unsafe {
            gl.ClampColor(gl::CLAMP_READ_COLOR, self.clamp_read_color);
            gl.ProvokingVertex(self.provoking_vertex);
            gl.ClipControl(self.clip_control[0], self.clip_control[1]);
            for (&name, &value) in PACK.iter().zip(&self.pack) {
                gl.PixelStorei(name, value);
            }
            for (&name, &value) in UNPACK.iter().zip(&self.unpack) {
                gl.PixelStorei(name, value);
            }
            // A host binding may name an object deleted since it was read (one of gltape's,
            // deleted by a clean slate): binding it would be an error, so 0 is bound then.
            let [program, vertex_array, draw, read, pack, unpack, feedback, feedback_buffer, indirect @ ..] =
                self.bindings;
            let live = |name: GLuint, is: unsafe fn(&Gl, GLuint) -> GLboolean| {
                if name == 0 || is(gl, name) == 0 {
                    0
                } else {
                    name
                }
            };
            gl.UseProgram(live(program, Gl::IsProgram));
            gl.BindVertexArray(live(vertex_array, Gl::IsVertexArray));
            gl.BindFramebuffer(gl::DRAW_FRAMEBUFFER, live(draw, Gl::IsFramebuffer));
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, live(read, Gl::IsFramebuffer));
            gl.BindBuffer(gl::PIXEL_PACK_BUFFER, live(pack, Gl::IsBuffer));
            gl.BindBuffer(gl::PIXEL_UNPACK_BUFFER, live(unpack, Gl::IsBuffer));
            let feedback = live(feedback, Gl::IsTransformFeedback);
            gl.BindTransformFeedback(gl::TRANSFORM_FEEDBACK, feedback);
            gl.BindBuffer(
                gl::TRANSFORM_FEEDBACK_BUFFER,
                live(feedback_buffer, Gl::IsBuffer),
            );
            for (target, name) in INDIRECT_TARGETS.into_iter().zip(indirect) {
                gl.BindBuffer(target, live(name, Gl::IsBuffer));
            }
            for (unit, image) in self.images.iter().enumerate() {
                gl.BindImageTexture(
                    unit as GLuint,
                    live(image.name, Gl::IsTexture),
                    image.level,
                    u8::from(image.layered),
                    image.layer,
                    image.access,
                    image.format,
                );
            }
            let [x, y, w, h] = self.viewport;
            gl.Viewport(x, y, w, h);
            let [x, y, w, h] = self.scissor_box;
            gl.Scissor(x, y, w, h);
            // Every target of every unit unbound at once, then the bound ones bound again
            // (a texture binds to its own target).
            gl.BindTextures(0, UNITS as GLsizei, std::ptr::null());
            for (unit, textures) in self.textures.iter().enumerate() {
                for &name in textures {
                    let name = live(name, Gl::IsTexture);
                    if name != 0 {
                        gl.BindTextureUnit(unit as GLuint, name);
                    }
                }
            }
            let samplers = self.samplers.map(|name| live(name, Gl::IsSampler));
            gl.BindSamplers(0, UNITS as GLsizei, samplers.as_ptr());
            gl.ActiveTexture(self.active_texture);
            // Every binding of gltape's range unbound at once, then the bound ones bound
            // again, and the generic binding set (the multi-bind calls leave it alone).
            for (kind, &generic) in BlockKind::ALL.into_iter().zip(&self.block_buffers) {
                let [target, ..] = block_target(kind);
                let bindings = self.block_bindings(kind);
                gl.BindBuffersBase(target, 0, bindings.len() as GLsizei, std::ptr::null());
                for (index, bound) in bindings.iter().enumerate() {
                    let bound = BoundRange {
                        name: live(bound.name, Gl::IsBuffer),
                        ..*bound
                    };
                    bind_range(gl, target, index as GLuint, bound);
                }
                gl.BindBuffer(target, live(generic, Gl::IsBuffer));
            }
        }
    }

    /// The bindings of `kind` gltape sets.
    fn block_bindings(&self, kind: BlockKind) -> &[BoundRange] {
        match kind {
            BlockKind::Uniform => &self.uniform_buffers,
            BlockKind::Storage => &self.storage_buffers,
        }
    }

    fn block_bindings_mut(&mut self, kind: BlockKind) -> &mut [BoundRange] {
        match kind {
            BlockKind::Uniform => &mut self.uniform_buffers,
            BlockKind::Storage => &mut self.storage_buffers,
        }
    }

    /// Binds `size` bytes (at least 1) of GL buffer `name` from `offset` to binding
    /// `binding` of `kind` (validated below the guaranteed count), or unbinds the binding when
    /// `name` is 0.
    pub(super) fn bind_block_buffer(
        &mut self,
        gl: &Gl,
        kind: BlockKind,
        binding: u32,
        name: GLuint,
        offset: u64,
        size: u64,
    ) {
        // Offsets and sizes lie inside a buffer, whose size fits GLsizeiptr (validated).
        let bound = match name {
            0 => BoundRange::NONE,
            _ => BoundRange {
                name,
                offset: offset as i64,
                size: size as i64,
            },
        };
        if let Some(slot) = self.block_bindings_mut(kind).get_mut(binding as usize) {
            *slot = bound;
        }
        let [target, ..] = block_target(kind);
        if name == 0 {
            // SAFETY: a binding below GL 4.5's guaranteed count; a null list unbinds it.
            unsafe { gl.BindBuffersBase(target, binding, 1, std::ptr::null()) };
        } else {
            bind_range(gl, target, binding, bound);
        }
    }

    /// Forgets every uniform and storage buffer binding (their buffers were all deleted).
    pub(super) fn unbind_block_buffers(&mut self) {
        self.uniform_buffers = [BoundRange::NONE; UNIFORM_BINDINGS];
        self.storage_buffers = [BoundRange::NONE; STORAGE_BINDINGS];
    }

    /// The texture bound to `target` of the active unit (creating a texture binds it there
    /// a moment, then binds this again).
    pub(super) fn bound_texture(&self, target: GLenum) -> GLuint {
        let unit = self.active_texture.wrapping_sub(gl::TEXTURE0) as usize;
        let slot = target_slot(target);
        (self.textures.get(unit))
            .zip(slot)
            .and_then(|(textures, slot)| textures.get(slot).copied())
            .unwrap_or(0)
    }

    /// Binds texture `name` of `target` to `unit` (validated below [`UNITS`]).
    pub(super) fn bind_texture(&mut self, gl: &Gl, unit: u32, target: GLenum, name: GLuint) {
        let slot = target_slot(target);
        if let Some(bound) = (self.textures.get_mut(unit as usize))
            .zip(slot)
            .and_then(|(textures, slot)| textures.get_mut(slot))
        {
            *bound = name;
        }
        // SAFETY: a live texture of this context and a unit below GL 4.5's guaranteed count.
        unsafe { gl.BindTextureUnit(unit, name) };
    }

    /// Binds sampler `name` (0: none) to `unit` (validated below [`UNITS`]).
    pub(super) fn bind_sampler(&mut self, gl: &Gl, unit: u32, name: GLuint) {
        if let Some(bound) = self.samplers.get_mut(unit as usize) {
            *bound = name;
        }
        // SAFETY: a live sampler of this context (or 0) and a unit below the guaranteed count.
        unsafe { gl.BindSampler(unit, name) };
    }

    /// Binds level `level` of texture `name` to image unit `unit` (validated below
    /// [`IMAGE_UNITS`]), every layer when `layered`, as shaders may use it by `access`, in
    /// `format`.
    pub(super) fn bind_image(
        &mut self,
        gl: &Gl,
        unit: u32,
        (name, level, layered): (GLuint, u32, bool),
        access: ImageAccess,
        format: ImageFormat,
    ) {
        let image = ImageUnit {
            name,
            level: level as GLint,
            layered,
            layer: 0,
            access: gl_enum::image_access(access),
            format: gl_enum::image_format(format),
        };
        if let Some(bound) = self.images.get_mut(unit as usize) {
            *bound = image;
        }
        // SAFETY: a live texture of this context, a level that holds an image (validated, so
        // below 2^31), a unit below GL 4.5's guaranteed count, an image format.
        unsafe {
            gl.BindImageTexture(
                unit,
                name,
                image.level,
                u8::from(layered),
                0,
                image.access,
                image.format,
            );
        }
    }

    /// Forgets every texture, sampler and image binding (their objects were all deleted).
    pub(super) fn unbind_textures(&mut self) {
        self.textures = [[0; TEXTURE_TARGETS.len()]; UNITS];
        self.samplers = [0; UNITS];
        self.images = [ImageUnit::NONE; IMAGE_UNITS];
    }

    /// Forgets texture `name`, which was deleted: GL unbinds it from every unit, image
    /// units included.
    pub(super) fn forget_texture(&mut self, name: GLuint) {
        for bound in self.textures.iter_mut().flatten() {
            if *bound == name {
                *bound = 0;
            }
        }
        for image in &mut self.images {
            if image.name == name {
                image.name = 0;
            }
        }
    }

    /// Forgets sampler `name`, which was deleted: GL unbinds it from every unit.
    pub(super) fn forget_sampler(&mut self, name: GLuint) {
        for bound in &mut self.samplers {
            if *bound == name {
                *bound = 0;
            }
        }
    }

    /// Sets the blend state on GL.
    fn apply_blend(&self, gl: &Gl) {
        let [src_rgb, dst_rgb, src_alpha, dst_alpha] = self.blend_func;
        let [r, g, b, a] = self.blend_color;
        // SAFETY: valid enums and values read from GL or set by commands.
        unsafe {
            gl.BlendFuncSeparate(src_rgb, dst_rgb, src_alpha, dst_alpha);
            gl.BlendEquationSeparate(self.blend_equation[0], self.blend_equation[1]);
            gl.BlendColor(r, g, b, a);
        }
    }

    /// Sets the depth test's comparison on GL.
    fn apply_depth_func(&self, gl: &Gl) {
        // SAFETY: a valid comparison enum.
        unsafe { gl.DepthFunc(self.depth_func) };
    }

    /// Sets the stencil state of both faces on GL.
    fn apply_stencil(&self, gl: &Gl) {
        for (face, state) in [gl::FRONT, gl::BACK].into_iter().zip(&self.stencil) {
            let [fail, depth_fail, depth_pass] = state.actions;
            // SAFETY: valid enums; GL clamps the reference and takes any mask.
            unsafe {
                gl.StencilFuncSeparate(face, state.func, state.reference, state.value_mask);
                gl.StencilOpSeparate(face, fail, depth_fail, depth_pass);
                gl.StencilMaskSeparate(face, state.write_mask);
            }
        }
    }

    /// Sets how primitives rasterize on GL: polygon mode, faces, line width, point size and
    /// polygon offset.
    fn apply_rasterization(&self, gl: &Gl) {
        let [factor, units] = self.polygon_offset;
        // SAFETY: valid enums; sizes above 0 (validated, or read from GL).
        unsafe {
            gl.PolygonMode(gl::FRONT_AND_BACK, self.polygon_mode);
            gl.FrontFace(self.front_face);
            gl.CullFace(self.cull_face);
            gl.LineWidth(self.line_width);
            gl.PointSize(self.point_size);
            gl.PolygonOffset(factor, units);
        }
    }

    /// Turns `capability` (a GL enum kept in [`CAPABILITIES`]) on or off.
    fn set_enabled(&mut self, gl: &Gl, capability: GLenum, enabled: bool) {
        if let Some(on) = self.enabled_mut(capability) {
            *on = enabled;
        }
        // SAFETY: a valid capability enum.
        unsafe {
            if enabled {
                gl.Enable(capability);
            } else {
                gl.Disable(capability);
            }
        }
    }

    /// glEnable or glDisable of a capability a command sets.
    pub(super) fn set_capability(&mut self, gl: &Gl, capability: Capability, enabled: bool) {
        self.set_enabled(gl, gl_enum::capability(capability), enabled);
    }

    /// Whether a capability a command sets is on.
    pub(super) fn is_enabled(&self, capability: Capability) -> bool {
        let slot = slot(gl_enum::capability(capability));
        slot.and_then(|slot| self.enabled.get(slot))
            .is_some_and(|&on| on)
    }

    /// Turns the capabilities in `capabilities` on and every other a command sets off.
    pub(super) fn enable_only(&mut self, gl: &Gl, capabilities: Capabilities) {
        for capability in Capability::ALL {
            self.set_capability(gl, capability, capabilities.contains(capability));
        }
    }

    /// Turns primitive restart on at `index`, or off.
    pub(super) fn set_primitive_restart(&mut self, gl: &Gl, index: Option<u32>) {
        self.set_enabled(gl, gl::PRIMITIVE_RESTART, index.is_some());
        if let Some(index) = index {
            self.restart_index = index;
            // SAFETY: any index value is legal.
            unsafe { gl.PrimitiveRestartIndex(index) };
        }
    }

    /// Sets the blend factors: source and destination of color, then of alpha.
    pub(super) fn set_blend_func(&mut self, gl: &Gl, factors: [BlendFactor; 4]) {
        self.blend_func = factors.map(gl_enum::blend_factor);
        self.apply_blend(gl);
    }

    /// Sets the blend equations of color and of alpha.
    pub(super) fn set_blend_equation(&mut self, gl: &Gl, equations: [BlendEquation; 2]) {
        self.blend_equation = equations.map(gl_enum::blend_equation);
        self.apply_blend(gl);
    }

    /// Sets the depth test's comparison.
    pub(super) fn set_depth_func(&mut self, gl: &Gl, func: CompareFunc) {
        self.depth_func = gl_enum::compare_func(func);
        self.apply_depth_func(gl);
    }

    /// Sets which winding faces front.
    pub(super) fn set_front_face(&mut self, gl: &Gl, winding: Winding) {
        self.front_face = gl_enum::winding(winding);
        self.apply_rasterization(gl);
    }

    /// Sets which faces culling drops.
    pub(super) fn set_cull_face(&mut self, gl: &Gl, face: Face) {
        self.cull_face = gl_enum::face(face);
        self.apply_rasterization(gl);
    }

    /// Draws polygons as lines or filled.
    pub(super) fn set_wireframe(&mut self, gl: &Gl, wireframe: bool) {
        self.polygon_mode = if wireframe { gl::LINE } else { gl::FILL };
        self.apply_rasterization(gl);
    }

    /// Sets the point size (validated: finite, above 0).
    pub(super) fn set_point_size(&mut self, gl: &Gl, size: Float) {
        self.point_size = size.0;
        self.apply_rasterization(gl);
    }

    /// Sets the line width (validated: finite, above 0).
    pub(super) fn set_line_width(&mut self, gl: &Gl, width: Float) {
        self.line_width = width.0;
        self.apply_rasterization(gl);
    }

    /// Sets the polygon offset and, as ModernGL does, turns it on for points, lines and
    /// fills unless both values are 0.
    pub(super) fn set_polygon_offset(&mut self, gl: &Gl, factor: Float, units: Float) {
        self.polygon_offset = [factor.0, units.0];
        let on = factor.0 != 0.0 || units.0 != 0.0;
        for capability in [
            gl::POLYGON_OFFSET_POINT,
            gl::POLYGON_OFFSET_LINE,
            gl::POLYGON_OFFSET_FILL,
        ] {
            self.set_enabled(gl, capability, on);
        }
        self.apply_rasterization(gl);
    }

    /// Sets the stencil test of `face`.
    pub(super) fn set_stencil_func(
        &mut self,
        gl: &Gl,
        face: Face,
        func: CompareFunc,
        reference: i32,
        mask: u32,
    ) {
        for state in self.stencil_faces(face).iter_mut() {
            state.func = gl_enum::compare_func(func);
            state.reference = reference;
            state.value_mask = mask;
        }
        self.apply_stencil(gl);
    }

    /// Sets the stencil actions of `face`: on stencil fail, depth fail, depth pass.
    pub(super) fn set_stencil_op(&mut self, gl: &Gl, face: Face, actions: [StencilAction; 3]) {
        for state in self.stencil_faces(face).iter_mut() {
            state.actions = actions.map(gl_enum::stencil_action);
        }
        self.apply_stencil(gl);
    }

    /// Sets the stencil write mask of `face`.
    pub(super) fn set_stencil_mask(&mut self, gl: &Gl, face: Face, mask: u32) {
        for state in self.stencil_faces(face).iter_mut() {
            state.write_mask = mask;
        }
        self.apply_stencil(gl);
    }

    /// The stencil state of the faces `face` names (front is index 0, back 1).
    fn stencil_faces(&mut self, face: Face) -> &mut [StencilFace] {
        let faces = match face {
            Face::Front => 0..1,
            Face::Back => 1..2,
            Face::FrontAndBack => 0..2,
        };
        self.stencil.get_mut(faces).unwrap_or(&mut [])
    }
}

/// Binds `bound` to binding `index` of `target` through the multi-bind calls, which leave
/// the generic binding alone: a range, or the whole buffer for size 0; nothing for name 0.
fn bind_range(gl: &Gl, target: GLenum, index: GLuint, bound: BoundRange) {
    let BoundRange { name, offset, size } = bound;
    if name == 0 {
        return;
    }
    // SAFETY: a live buffer, an index below GL 4.5's guaranteed count, and an offset and size
    // that GL reported for this binding or that validation checked (size above 0, inside
    // the buffer; the offset's alignment too).
    unsafe {
        if size == 0 {
            gl.BindBuffersBase(target, index, 1, &name);
        } else {
            let (offset, size) = (offset as GLintptr, size as GLsizeiptr);
            gl.BindBuffersRange(target, index, 1, &name, &offset, &size);
        }
    }
}

/// The host's state, read before a replay or submission and applied after it: the
/// [`GlState`] plus the screen's draw and read buffers, which gltape sets on the screen.
pub(super) struct HostState {
    state: GlState,
    /// Draw buffer 0 and the read buffer of the screen framebuffer.
    screen_buffers: [GLenum; 2],
}

impl HostState {
    /// Reads the host's state; `screen` is the GL name of the renderer's screen.
    pub(super) fn read(gl: &Gl, screen: GLuint) -> HostState {
        let state = GlState::read(gl);
        let mut buffers = [0; 2];
        let [_, _, draw, read, ..] = state.bindings;
        // SAFETY: the screen is framebuffer 0 or a live host framebuffer; each query is one
        // GLint; the host's two framebuffer bindings, just read, are put back right after.
        unsafe {
            gl.BindFramebuffer(gl::FRAMEBUFFER, screen);
            gl.GetIntegerv(gl::DRAW_BUFFER0, &mut buffers[0]);
            gl.GetIntegerv(gl::READ_BUFFER, &mut buffers[1]);
            gl.BindFramebuffer(gl::DRAW_FRAMEBUFFER, draw);
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, read);
        }
        HostState {
            state,
            screen_buffers: buffers.map(|b| b as GLenum),
        }
    }

    /// Gives the host its state back.
    pub(super) fn apply(&self, gl: &Gl, screen: GLuint) {
        // SAFETY: values GL returned for the same framebuffer.
        unsafe {
            gl.NamedFramebufferDrawBuffer(screen, self.screen_buffers[0]);
            gl.NamedFramebufferReadBuffer(screen, self.screen_buffers[1]);
        }
        self.state.apply(gl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderngl_defaults_sit_at_their_capabilities() {
        let on: Vec<GLenum> = (CAPABILITIES.iter().zip(GlState::MODERNGL.enabled))
            .filter(|(_, on)| *on)
            .map(|(&c, _)| c)
            .collect();
        let expected = [
            gl::PRIMITIVE_RESTART,
            gl::DITHER,
            gl::MULTISAMPLE,
            gl::TEXTURE_CUBE_MAP_SEAMLESS,
        ];
        assert_eq!(on, expected);
    }

    #[test]
    fn every_command_capability_is_kept() {
        for capability in Capability::ALL {
            assert!(slot(gl_enum::capability(capability)).is_some());
        }
        for capability in [
            gl::PRIMITIVE_RESTART,
            gl::POLYGON_OFFSET_POINT,
            gl::POLYGON_OFFSET_LINE,
            gl::POLYGON_OFFSET_FILL,
        ] {
            assert!(slot(capability).is_some());
        }
    }
}
