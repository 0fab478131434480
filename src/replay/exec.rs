//! The dispatch: one command of a validated list to the GL calls it stands for, one match
//! with one call per arm into the table of its object kind.

use super::stream::full_rewrite;
use super::{Fault, Readbacks, Renderer, ReplayError};
use crate::command::{Command, Draw, Object, ValidatedList};
use crate::ids::{BufferId, VertexArrayId};

impl Renderer {
    /// Runs command `index` of a validated list and checks glGetError.
    pub(crate) fn execute(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        readbacks: &mut Readbacks,
    ) -> Result<Command, ReplayError> {
        self.debug.at(index);
        let command = *list
            .list()
            .commands()
            .get(index)
            .ok_or(ReplayError::Internal {
                index,
                command: "(none)",
                what: "command index past the end of the list",
            })?;
        self.run(list, index, &command, readbacks)
            .map_err(|fault| fault.at(index, command.name()))?;
        self.check_gl(index, command.name())?;
        Ok(command)
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
            Command::Transform { transform } => self.vertex_arrays.transform(
                gl,
                list.entry(transform),
                &self.programs,
                &self.buffers,
            ),
            Command::CreateFramebuffer { desc, .. } => {
                self.framebuffers.create(gl, list.entry(desc))
            }
            Command::UseFramebuffer { framebuffer } => {
                self.framebuffers.use_framebuffer(gl, framebuffer)
            }
            Command::Viewport { framebuffer, rect } => {
                self.framebuffers.viewport(gl, framebuffer, rect)
            }
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
            Command::Release { object } => self.release(object),
            Command::CreateRenderbuffer {
                width,
                height,
                components,
                samples,
                dtype,
                ..
            } => (self.renderbuffers).create(gl, width, height, samples, Some((components, dtype))),
            Command::CreateDepthRenderbuffer {
                width,
                height,
                samples,
                ..
            } => self.renderbuffers.create(gl, width, height, samples, None),
            Command::CreateFramebufferFrom { attachments, .. } => {
                let attachments = list.entry(attachments);
                (self.framebuffers).create_from(gl, attachments, &self.renderbuffers)
            }
            Command::ReadDepth { read } => (self.framebuffers.read_depth(gl, list.entry(read)))
                .map(|pixels| readbacks.push(pixels)),
            Command::CopyFramebuffer { dst, src } => self.framebuffers.copy(gl, dst, src),
        }
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
            let at = self.buffers.location(buffer)?;
            self.vertex_arrays.rebind(&self.gl, buffer, at);
        }
        Ok(())
    }

    /// Draws `vertex_array` into the framebuffer in use, writing only the attachments its
    /// fragment shader writes.
    fn render(&mut self, vertex_array: VertexArrayId, draw: &Draw) -> Result<(), Fault> {
        let program = self
            .programs
            .get(self.vertex_arrays.program(vertex_array)?)?;
        self.framebuffers
            .draw_only(&self.gl, &program.fragment_outputs)?;
        let (programs, buffers) = (&self.programs, &self.buffers);
        self.vertex_arrays
            .render(&self.gl, vertex_array, draw, programs, buffers)
    }

    /// Deletes one object (a program's release also forgets the bound program).
    fn release(&mut self, object: Object) -> Result<(), Fault> {
        let gl = &self.gl;
        match object {
            Object::Buffer(buffer) => self.buffers.release(gl, buffer),
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
        }
    }
}
