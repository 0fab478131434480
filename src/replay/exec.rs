//! The dispatch: one command of a validated list to the GL calls it stands for, one match
//! with one call per arm into the table of its object kind.

use super::stream::full_rewrite;
use super::{compute, Fault, Readbacks, Renderer, ReplayError};
use crate::command::{
    Capability, Command, Draw, FramebufferDesc, Mode, Object, PixelType, ValidatedList,
};
use crate::gl;
use crate::ids::{BufferId, VertexArrayId};

/// Whether `command` leaves what the checks and binds before a draw found as it was (the
/// framebuffer in use and its draw buffers, block bindings and buffer sizes, the bound
/// program and vertex array, the objects alive): draws themselves, buffer writes (which
/// change bytes, not sizes or locations) and frame markers. Every other command makes the
/// next draw check again.
fn keeps_draw_checked(command: &Command) -> bool {
    matches!(
        command,
        Command::Render { .. } | Command::Write { .. } | Command::EndFrame
    )
}

impl Renderer {
    /// Runs command `index` of a validated list and checks glGetError; returns the command.
    ///
    /// glGetError is left for later after a buffer write and after a draw that repeats the
    /// draw before it ([`Renderer::checked_draw`] set: same vertex array, program, framebuffer,
    /// bindings and state, nothing but writes between them, and that draw raised no error), so
    /// that runs of writes and draws ask GL once: before the next other command, and at the
    /// end of every replay pass, setup, submission and capture call. Validation proved their
    /// arguments, so GL could only fail them for lack of memory; such an error is reported at
    /// the first command of the run (see [`ReplayError::Gl`]). Under [`ReplayOptions::debug`]
    /// every command is checked at once.
    ///
    /// [`ReplayOptions::debug`]: super::ReplayOptions::debug
    pub(crate) fn execute<'l>(
        &mut self,
        list: &'l ValidatedList<'_>,
        index: usize,
        readbacks: &mut Readbacks,
    ) -> Result<&'l Command, ReplayError> {
        let Some(command) = list.list().commands().get(index) else {
            return Err(ReplayError::Internal {
                index,
                command: "(none)",
                what: "command index past the end of the list",
            });
        };
        self.debug.at(index);
        let later = match command {
            Command::Write { .. } => true,
            Command::Render { vertex_array, .. } => self.checked_draw == Some(*vertex_array),
            _ => false,
        } && !self.debug.is_registered();
        if !later {
            self.check_unchecked()?;
            if !keeps_draw_checked(command) {
                self.checked_draw = None;
            }
        }
        if let Err(fault) = self.run(list, index, command, readbacks) {
            // A GL error of the commands before this one came first.
            self.check_unchecked()?;
            return Err(fault.at(index, command.name()));
        }
        if later {
            if self.unchecked.is_none() {
                self.unchecked = Some((index, command.name()));
            }
            return Ok(command);
        }
        // SAFETY: no arguments; the context is current.
        let code = unsafe { self.gl.GetError() };
        if code != gl::NO_ERROR {
            return Err(self.gl_error(index, command.name(), code));
        }
        Ok(command)
    }

    /// Asks glGetError for the commands run since it was last asked (see
    /// [`Renderer::execute`]); an error is reported at the first of them.
    pub(crate) fn check_unchecked(&mut self) -> Result<(), ReplayError> {
        match self.unchecked.take() {
            Some((index, command)) => self.check_gl(index, command),
            None => Ok(()),
        }
    }

    fn run(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        command: &Command,
        readbacks: &mut Readbacks,
    ) -> Result<(), Fault> {
        let gl = &self.gl;
        match *command {
            Command::CreateBuffer {
                buffer,
                dynamic,
                size,
                data,
            } => self
                .buffers
                .create(gl, buffer, dynamic, size, data.map(|p| list.payload(p))),
            Command::Write {
                buffer,
                offset,
                data,
            } => self.buffers.write(gl, buffer, offset, list.payload(data)),
            Command::Orphan { buffer, size } => self.orphan(list, index, buffer, size),
            Command::ClearBuffer {
                buffer,
                chunk,
                offset,
                size,
            } => self
                .buffers
                .clear(gl, buffer, offset, size, chunk.map(|p| list.payload(p))),
            Command::Read {
                buffer,
                offset,
                size,
                ..
            } => self
                .buffers
                .read(gl, buffer, offset, size)
                .map(|bytes| readbacks.push(bytes)),
            Command::CopyBuffer { copy } => self.buffers.copy(gl, list.entry(copy)),
            Command::CreateProgram { desc, .. } => self.programs.create(gl, list.entry(desc)),
            Command::Uniform {
                program,
                name,
                ty,
                data,
            } => self.programs.set_uniform(
                gl,
                program,
                list.entry(name).as_str(),
                ty,
                list.payload(data),
            ),
            Command::CreateVertexArray { desc, .. } => {
                self.vertex_arrays
                    .create(gl, list.entry(desc), &self.programs, &self.buffers)
            }
            Command::Render { vertex_array, draw } => self.render(vertex_array, &draw),
            Command::Transform { transform } => {
                let transform = list.entry(transform);
                let program = self.vertex_arrays.program(transform.vertex_array)?;
                self.blocks
                    .check(self.programs.get(program)?, &self.buffers)?;
                self.vertex_arrays.transform(
                    gl,
                    transform,
                    &self.programs,
                    &self.buffers,
                    self.state.is_enabled(Capability::RasterizerDiscard),
                )
            }
            Command::CreateFramebuffer { desc, .. } => self.create_framebuffer(list.entry(desc)),
            Command::UseFramebuffer { framebuffer } => {
                self.framebuffers.use_framebuffer(gl, framebuffer)
            }
            Command::Viewport { framebuffer, rect } => {
                self.framebuffers.viewport(gl, framebuffer, rect)
            }
            Command::Scissor { framebuffer, rect } => {
                self.framebuffers.scissor(gl, framebuffer, rect)
            }
            Command::ColorMask {
                framebuffer,
                attachment,
                mask,
            } => (self.framebuffers).color_mask(gl, framebuffer, attachment, mask),
            Command::DepthMask {
                framebuffer,
                enabled,
            } => self.framebuffers.depth_mask(gl, framebuffer, enabled),
            Command::ClearFramebuffer { clear } => self.framebuffers.clear(gl, list.entry(clear)),
            Command::ReadPixels { read } => {
                (self.framebuffers.read(gl, list.entry(read))).map(|pixels| readbacks.push(pixels))
            }
            Command::SetCapability {
                capability,
                enabled,
            } => {
                self.state.set_capability(gl, capability, enabled);
                Ok(())
            }
            Command::EndFrame => Ok(()),
            Command::PrimitiveRestart { index } => {
                self.state.set_primitive_restart(gl, index);
                Ok(())
            }
            Command::EnableOnly { capabilities } => {
                self.state.enable_only(gl, capabilities);
                Ok(())
            }
            Command::BlendFunc {
                src_rgb,
                dst_rgb,
                src_alpha,
                dst_alpha,
            } => {
                (self.state).set_blend_func(gl, [src_rgb, dst_rgb, src_alpha, dst_alpha]);
                Ok(())
            }
            Command::BlendEquation { rgb, alpha } => {
                self.state.set_blend_equation(gl, [rgb, alpha]);
                Ok(())
            }
            Command::DepthFunc { func } => {
                self.state.set_depth_func(gl, func);
                Ok(())
            }
            Command::FrontFace { winding } => {
                self.state.set_front_face(gl, winding);
                Ok(())
            }
            Command::CullFace { face } => {
                self.state.set_cull_face(gl, face);
                Ok(())
            }
            Command::PolygonOffset { factor, units } => {
                self.state.set_polygon_offset(gl, factor, units);
                Ok(())
            }
            Command::Wireframe { enabled } => {
                self.state.set_wireframe(gl, enabled);
                Ok(())
            }
            Command::PointSize { size } => {
                self.state.set_point_size(gl, size);
                Ok(())
            }
            Command::LineWidth { width } => {
                self.state.set_line_width(gl, width);
                Ok(())
            }
            Command::StencilFunc {
                face,
                func,
                reference,
                mask,
            } => {
                (self.state).set_stencil_func(gl, face, func, reference, mask);
                Ok(())
            }
            Command::StencilOp {
                face,
                stencil_fail,
                depth_fail,
                depth_pass,
            } => {
                let actions = [stencil_fail, depth_fail, depth_pass];
                self.state.set_stencil_op(gl, face, actions);
                Ok(())
            }
            Command::StencilMask { face, mask } => {
                self.state.set_stencil_mask(gl, face, mask);
                Ok(())
            }
            Command::Release { object } => self.release(object),
            Command::CreateRenderbuffer {
                width,
                height,
                components,
                samples,
                dtype,
                ..
            } => self.create_renderbuffer(width, height, samples, Some((components, dtype))),
            Command::CreateDepthRenderbuffer {
                width,
                height,
                samples,
                ..
            } => self.create_renderbuffer(width, height, samples, None),
            Command::CreateFramebufferFrom { attachments, .. } => {
                let attachments = list.entry(attachments);
                let (renderbuffers, textures) = (&self.renderbuffers, &self.textures);
                (self.framebuffers).create_from(gl, attachments, renderbuffers, textures)
            }
            Command::ReadDepth { read } => (self.framebuffers.read_depth(gl, list.entry(read)))
                .map(|pixels| readbacks.push(pixels)),
            Command::CopyFramebuffer { dst, src } => {
                self.framebuffers.copy(gl, dst, src, &self.textures)
            }
            Command::CreateTexture {
                texture,
                desc,
                data,
            } => self.textures.create(
                gl,
                texture,
                list.entry(desc),
                data.map(|p| list.payload(p)),
                &self.state,
            ),
            Command::WriteTexture { write, data } => self.textures.write(
                gl,
                list.entry(write),
                data.map(|p| list.payload(p)),
                &self.buffers,
            ),
            Command::ReadTexture {
                texture,
                level,
                face,
                alignment,
                ..
            } => (self.textures.read(gl, texture, level, face, alignment))
                .map(|pixels| readbacks.push(pixels)),
            Command::BuildMipmaps {
                texture,
                base,
                max_level,
            } => self.textures.build_mipmaps(gl, texture, base, max_level),
            Command::SetTextureParameter { texture, parameter } => {
                (self.textures).set_parameter(gl, texture, &parameter, self.max_anisotropy)
            }
            Command::UseTexture { texture, unit } => {
                let (name, target) = self.textures.binding(texture)?;
                self.state.bind_texture(gl, unit, target, name);
                Ok(())
            }
            Command::CreateSampler { sampler } => self.samplers.create(gl, sampler),
            Command::SetSamplerParameter { sampler, parameter } => {
                (self.samplers).set_parameter(gl, sampler, &parameter, self.max_anisotropy)
            }
            Command::UseSampler { sampler, unit } => {
                let name = sampler.map_or(Ok(0), |s| self.samplers.name(s))?;
                self.state.bind_sampler(gl, unit, name);
                Ok(())
            }
            Command::BindBufferRange {
                kind,
                buffer,
                binding,
                offset,
                size,
            } => self.blocks.bind(
                gl,
                &mut self.state,
                &self.buffers,
                kind,
                binding,
                buffer,
                offset,
                size,
            ),
            Command::BlockBinding {
                program,
                name,
                binding,
            } => (self.programs).block_binding(gl, program, list.entry(name).as_str(), binding),
            Command::ReadChunks {
                buffer,
                chunk_size,
                chunks,
                ..
            } => (self
                .buffers
                .read_chunks(gl, buffer, chunk_size, list.entry(chunks)))
            .map(|bytes| readbacks.push(bytes)),
            Command::WriteChunks {
                buffer,
                chunks,
                data,
            } => (self.buffers).write_chunks(gl, buffer, list.entry(chunks), list.payload(data)),
            Command::CreateComputeShader { desc, .. } => {
                self.programs.create_compute(gl, list.entry(desc))
            }
            Command::RunCompute {
                program,
                group_x,
                group_y,
                group_z,
            } => {
                let program = self.programs.get(program)?;
                self.blocks.check(program, &self.buffers)?;
                compute::run(gl, program, [group_x, group_y, group_z]);
                self.vertex_arrays.forget_bindings();
                Ok(())
            }
            Command::RunComputeIndirect {
                program,
                buffer,
                offset,
            } => {
                let program = self.programs.get(program)?;
                self.blocks.check(program, &self.buffers)?;
                let (max, limit) = (self.max_groups, self.indirect_work_limit);
                let run = (buffer, offset);
                let ran = compute::run_indirect(gl, program, &self.buffers, run, max, limit);
                self.vertex_arrays.forget_bindings();
                ran
            }
            Command::MemoryBarrier {
                barriers,
                by_region,
            } => {
                compute::memory_barrier(gl, barriers, by_region);
                Ok(())
            }
            Command::BindToImage {
                texture,
                unit,
                access,
                level,
                format,
            } => {
                let (name, layered, own) = self.textures.image_unit_binding(texture)?;
                let format = format.or(own).ok_or(Fault::Corrupt(
                    "an image binding without a format passed validation",
                ))?;
                (self.state).bind_image(gl, unit, (name, level, layered), access, format);
                Ok(())
            }
            Command::CreateQuery { kinds, .. } => self.queries.create(gl, kinds),
            Command::BeginQuery { query } => self.queries.begin(gl, query),
            Command::EndQuery { query } => self.queries.end(gl, query),
            Command::BeginConditionalRender { query } => {
                self.queries.begin_conditional_render(gl, query)
            }
            Command::EndConditionalRender { .. } => {
                self.queries.end_conditional_render(gl);
                Ok(())
            }
            Command::ReadQuery { query, result, .. } => {
                (self.queries.read(gl, query, result)).map(|bytes| readbacks.push(bytes))
            }
            Command::RenderIndirect {
                vertex_array,
                buffer,
                mode,
                count,
                first,
            } => self.render_indirect(vertex_array, buffer, (mode, count, first)),
        }
    }

    /// Creates a renderbuffer (see [`RenderbufferTable::create`]), zeroed through open masks
    /// whatever the framebuffer in use lets through, and whatever conditional rendering
    /// would drop.
    ///
    /// [`RenderbufferTable::create`]: super::renderbuffers::RenderbufferTable::create
    fn create_renderbuffer(
        &mut self,
        width: u32,
        height: u32,
        samples: u8,
        color: Option<(u8, PixelType)>,
    ) -> Result<(), Fault> {
        let (gl, renderbuffers) = (&self.gl, &mut self.renderbuffers);
        let framebuffers = &mut self.framebuffers;
        self.queries.unconditionally(gl, || {
            framebuffers.with_open_masks(gl, 1, || {
                renderbuffers.create(gl, width, height, samples, color)
            })
        })
    }

    /// Orphans `buffer` to `size` fresh bytes and points vertex arrays at them. Fresh
    /// storage is undefined in GL (llvmpipe hands out recycled heap memory): it is zeroed
    /// unless the next command overwrites all of it.
    fn orphan(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        buffer: BufferId,
        size: u64,
    ) -> Result<(), Fault> {
        let overwritten = full_rewrite(list.list(), index, list.list().len()).is_some();
        if self.buffers.orphan(&self.gl, buffer, size, !overwritten)? {
            self.buffer_moved(buffer)?;
        }
        Ok(())
    }

    /// Points vertex arrays and block bindings at the GL buffer that holds `buffer`'s bytes
    /// now (a stream strategy moved them).
    pub(super) fn buffer_moved(&mut self, buffer: BufferId) -> Result<(), Fault> {
        let at = self.buffers.location(buffer)?;
        self.vertex_arrays.rebind(&self.gl, buffer, at);
        self.blocks.moved(&self.gl, &mut self.state, buffer, at);
        Ok(())
    }

    /// Creates a framebuffer. Its attachments are zeroed by a clear, which rasterizer
    /// discard or conditional rendering would drop: both are off while it runs.
    fn create_framebuffer(&mut self, desc: &FramebufferDesc) -> Result<(), Fault> {
        let discard = self.state.is_enabled(Capability::RasterizerDiscard);
        if discard {
            (self.state).set_capability(&self.gl, Capability::RasterizerDiscard, false);
        }
        let framebuffers = &mut self.framebuffers;
        let created =
            (self.queries).unconditionally(&self.gl, || framebuffers.create(&self.gl, desc));
        if discard {
            (self.state).set_capability(&self.gl, Capability::RasterizerDiscard, true);
        }
        created
    }

    /// Before a draw of `vertex_array`: checks the blocks its program reads and makes the
    /// framebuffer in use write only the attachments its fragment shader writes.
    fn check_draw(&mut self, vertex_array: VertexArrayId) -> Result<(), Fault> {
        let program = self
            .programs
            .get(self.vertex_arrays.program(vertex_array)?)?;
        self.blocks.check(program, &self.buffers)?;
        self.framebuffers
            .draw_only(&self.gl, &program.fragment_outputs)
    }

    /// Draws `vertex_array` into the framebuffer in use, writing only the attachments its
    /// fragment shader writes.
    ///
    /// The checks and binds before the draw (the program's blocks, the draw buffers, the
    /// program and vertex array bound) are skipped when the last draw was of the same vertex
    /// array and passed them, and no command since could change their outcome
    /// ([`keeps_draw_checked`]): a run of draws, or of writes and draws, pays them once.
    #[inline]
    fn render(&mut self, vertex_array: VertexArrayId, draw: &Draw) -> Result<(), Fault> {
        if self.checked_draw != Some(vertex_array) {
            self.check_draw(vertex_array)?;
            (self.vertex_arrays).bind(&self.gl, vertex_array, &self.programs)?;
            self.checked_draw = Some(vertex_array);
        }
        self.vertex_arrays
            .draw(&self.gl, vertex_array, draw, &self.buffers)
    }

    /// Draws `vertex_array` with the draw commands of `buffer` into the framebuffer in use,
    /// writing only the attachments its fragment shader writes.
    fn render_indirect(
        &mut self,
        vertex_array: VertexArrayId,
        buffer: BufferId,
        commands: (Mode, u32, u32),
    ) -> Result<(), Fault> {
        self.check_draw(vertex_array)?;
        let (programs, buffers) = (&self.programs, &self.buffers);
        let limit = self.indirect_work_limit;
        (self.vertex_arrays).render_indirect(
            &self.gl,
            vertex_array,
            buffer,
            commands,
            programs,
            buffers,
            limit,
        )
    }

    /// Deletes one object (a program's release also forgets the bound program; a texture's
    /// or sampler's, the units it was bound to).
    fn release(&mut self, object: Object) -> Result<(), Fault> {
        let gl = &self.gl;
        match object {
            Object::Buffer(buffer) => {
                self.blocks.released(gl, &mut self.state, buffer);
                self.buffers.release(gl, buffer)
            }
            Object::Program(program) => {
                self.vertex_arrays.forget_bindings();
                self.programs.release(gl, program)
            }
            Object::VertexArray(vao) => self.vertex_arrays.release(gl, vao),
            Object::Framebuffer(fbo) => self.framebuffers.release(gl, fbo),
            Object::Renderbuffer(renderbuffer) => {
                let renderbuffers = &mut self.renderbuffers;
                (self.framebuffers).unbound(gl, || renderbuffers.release(gl, renderbuffer))
            }
            Object::Texture(texture) => {
                let textures = &mut self.textures;
                let name = (self.framebuffers).unbound(gl, || textures.release(gl, texture))?;
                self.state.forget_texture(name);
                Ok(())
            }
            Object::Sampler(sampler) => {
                let name = self.samplers.release(gl, sampler)?;
                self.state.forget_sampler(name);
                Ok(())
            }
            Object::Query(query) => self.queries.release(gl, query),
        }
    }
}
