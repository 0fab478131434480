"""The recording context: ModernGL's objects wrapped so that every call goes to ModernGL
unchanged and is mirrored into a gltape trace.

Each wrapper (`Context`, `Buffer`, `Program`, ...) holds the real ModernGL object. A method
gltape records is forwarded first (so the program sees ModernGL's result or exception, and a
refused call records nothing), then written as the text form's line. Anything else the
program touches (an attribute no wrapper defines: `ctx.detect_framebuffer`, raw GL through
`mglo`) is forwarded too and listed by the capture (`wrapping.Capture`) with the Python file
and line of its first use and a count; the trace is then marked incomplete. Attributes that
only read what ModernGL knows (sizes, names, constants, `ctx.info`) are forwarded silently.
"""

import struct

from . import queries, textures
from .names import ALL_BARRIER_BITS, BARRIER_BITS, BY_REGION_BARRIER_BITS, DTYPE_SIZE
from .tape import UNIFORM_TYPES, attachment, number, rest
from .wrapping import Uncapturable, Wrapper, id_key, id_of, unwrap

# GL uniform types (ModernGL's `Uniform.gl_type`) by GLSL name.
GL_UNIFORM_TYPES = {
    0x1406: "float", 0x8B50: "vec2", 0x8B51: "vec3", 0x8B52: "vec4",
    0x1404: "int", 0x8B53: "ivec2", 0x8B54: "ivec3", 0x8B55: "ivec4",
    0x1405: "uint", 0x8DC6: "uvec2", 0x8DC7: "uvec3", 0x8DC8: "uvec4",
    0x8B56: "bool", 0x8B57: "bvec2", 0x8B58: "bvec3", 0x8B59: "bvec4",
    0x140A: "double", 0x8FFC: "dvec2", 0x8FFD: "dvec3", 0x8FFE: "dvec4",
    0x8B5A: "mat2", 0x8B5B: "mat3", 0x8B5C: "mat4",
    0x8B65: "mat2x3", 0x8B66: "mat2x4", 0x8B67: "mat3x2", 0x8B68: "mat3x4",
    0x8B69: "mat4x2", 0x8B6A: "mat4x3",
    0x8F46: "dmat2", 0x8F47: "dmat3", 0x8F48: "dmat4", 0x8F49: "dmat2x3",
    0x8F4A: "dmat2x4", 0x8F4B: "dmat3x2", 0x8F4C: "dmat3x4", 0x8F4D: "dmat4x2",
    0x8F4E: "dmat4x3",
}

# The work groups a compute run takes on each axis (GL 4.5's guaranteed
# MAX_COMPUTE_WORK_GROUP_COUNT, which gltape records).
MAX_WORK_GROUPS = 65535

# The sampler and image types whose uniforms ModernGL sets (to a unit, as an int): its
# table's; it sets nothing for the others, nor does gltape.
UNIT_TYPES = frozenset({
    0x8B5D, 0x8DC0, 0x8DC9, 0x8DCE, 0x8B5E, 0x8DCA, 0x8DD2, 0x8DC1, 0x8DCF, 0x8DD7, 0x8B5F,
    0x8DCB, 0x8DD3, 0x8B62, 0x9108, 0x9109, 0x910A, 0x910B, 0x910C, 0x910D, 0x8B60, 0x8DCC,
    0x8DD4, 0x904D})

# Draw modes (GL enums, ModernGL's constants) by the text form's names.
MODES = {0: "points", 1: "lines", 2: "line_loop", 3: "line_strip", 4: "triangles",
         5: "triangle_strip", 6: "triangle_fan", 10: "lines_adjacency",
         11: "line_strip_adjacency", 12: "triangles_adjacency", 13: "triangle_strip_adjacency"}

# ModernGL's enable flags by capability name, in the text form's order.
CAPABILITIES = [(2, "depth_test"), (4, "cull_face"), (1, "blend"), (8, "rasterizer_discard"),
                (16, "program_point_size")]

BLEND_FACTORS = {0: "zero", 1: "one", 0x0300: "src_color", 0x0301: "one_minus_src_color",
                 0x0302: "src_alpha", 0x0303: "one_minus_src_alpha", 0x0304: "dst_alpha",
                 0x0305: "one_minus_dst_alpha", 0x0306: "dst_color",
                 0x0307: "one_minus_dst_color"}
BLEND_EQUATIONS = {0x8006: "func_add", 0x800A: "func_subtract",
                   0x800B: "func_reverse_subtract", 0x8007: "min", 0x8008: "max"}
DEPTH_FUNCS = {"<", "<=", "==", ">=", ">", "!=", "0", "1"}
FACES = {"front", "back", "front_and_back"}


class Context(Wrapper):
    """A ModernGL context that records."""

    _kind = "Context"
    _pure = Wrapper._pure | frozenset({
        "info", "version_code", "extensions", "error", "finish", "max_samples",
        "max_integer_samples", "max_texture_units", "max_anisotropy", "default_texture_unit",
        "gc_mode", "objects", "gc", "clear_errors", "supports_labels", "supports_debug_scopes",
        "max_label_length", "max_debug_message_length", "max_debug_group_stack_depth",
        "core_profile_check", "includes", "polygon_offset", "point_size", "line_width"})

    def __init__(self, capture, real):
        super().__init__(capture, real, 0)

    @property
    def gltape(self):
        return self._capture

    @property
    def fbo(self):
        real = self._real.fbo
        return self._capture.wrappers.get(id_key(real), real)

    # --- buffers ---------------------------------------------------------------------

    def buffer(self, data=None, reserve=0, dynamic=False):
        real = self._real.buffer(data, reserve=reserve, dynamic=dynamic)
        tape = self._capture.tape
        id = tape.take_id("buffer")
        tape.emit("buffer", id=id, size=real.size, dynamic=bool(dynamic),
                  data=tape.payload(data))
        return self._capture.wrap(Buffer, real, id)

    def copy_buffer(self, dst, src, size=-1, read_offset=0, write_offset=0):
        self._real.copy_buffer(unwrap(dst), unwrap(src), size, read_offset, write_offset)
        what = "Context.copy_buffer"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "copy_buffer", dst=id_of(dst, "buffer", what), src=id_of(src, "buffer", what),
            size=rest(size), read_offset=read_offset, write_offset=write_offset))

    # --- programs and vertex arrays --------------------------------------------------

    def program(self, vertex_shader=None, fragment_shader=None, geometry_shader=None,
                tess_control_shader=None, tess_evaluation_shader=None, task_shader=None,
                mesh_shader=None, varyings=(), fragment_outputs=None, attributes=None,
                varyings_capture_mode="interleaved"):
        real = self._real.program(
            vertex_shader=vertex_shader, fragment_shader=fragment_shader,
            geometry_shader=geometry_shader, tess_control_shader=tess_control_shader,
            tess_evaluation_shader=tess_evaluation_shader, task_shader=task_shader,
            mesh_shader=mesh_shader, varyings=varyings, fragment_outputs=fragment_outputs,
            attributes=attributes, varyings_capture_mode=varyings_capture_mode)
        unsupported = [name for name, value in [
            ("tess_control_shader", tess_control_shader),
            ("tess_evaluation_shader", tess_evaluation_shader), ("task_shader", task_shader),
            ("mesh_shader", mesh_shader), ("fragment_outputs", fragment_outputs),
            ("attributes", attributes)] if value]
        if unsupported or vertex_shader is None:
            self._capture.uncaptured("Context.program with %s" % (
                ", ".join(unsupported) or "no vertex shader"))
            return self._capture.wrap(Program, real, None)
        tape = self._capture.tape
        id = tape.take_id("program")
        tape.emit("program", id=id, vertex_shader=vertex_shader,
                  fragment_shader=fragment_shader, geometry_shader=geometry_shader,
                  varyings=[varyings] if isinstance(varyings, str) else list(varyings),
                  varyings_mode=varyings_capture_mode)
        return self._capture.wrap(Program, real, id)

    def vertex_array(self, *args, **kwargs):
        if len(args) > 2 and isinstance(args[1], Buffer):
            return self.simple_vertex_array(*args, **kwargs)
        return self._vertex_array(*args, **kwargs)

    def simple_vertex_array(self, program, buffer, *attributes, index_buffer=None,
                            index_element_size=4, mode=None):
        import moderngl
        fmt = moderngl.detect_format(unwrap(program), attributes)
        return self._vertex_array(program, [(buffer, fmt) + tuple(attributes)], index_buffer,
                                  index_element_size, mode=mode)

    def _vertex_array(self, program, content, index_buffer=None, index_element_size=4,
                      skip_errors=False, mode=None):
        import moderngl
        real_content = [(unwrap(b), layout, *names) for b, layout, *names in content]
        real = self._real.vertex_array(unwrap(program), real_content, unwrap(index_buffer),
                                       index_element_size, skip_errors=skip_errors, mode=mode)
        what = "Context.vertex_array"
        tape = self._capture.tape
        made = []

        def write():
            entries = []
            for buffer, layout, *names in content:
                if layout is None:
                    layout = moderngl.detect_format(unwrap(program), names)
                if any(not isinstance(n, str) for n in names):
                    raise Uncapturable("%s with attributes by location" % what)
                entries.append([id_of(buffer, "buffer", what), layout, list(names)])
            index = None
            if index_buffer is not None:
                index = [id_of(index_buffer, "buffer", what), index_element_size]
            fields = dict(program=id_of(program, "program", what), content=entries, index=index,
                          skip_errors=bool(skip_errors))
            id = tape.take_id("vertex_array")
            tape.emit("vertex_array", id=id, **fields)
            made.append(id)

        self._capture.record(what, write)
        return self._capture.wrap(VertexArray, real, made[0] if made else None)

    # --- framebuffers ----------------------------------------------------------------

    def renderbuffer(self, size, components=4, samples=0, dtype="f1"):
        real = self._real.renderbuffer(size, components, samples=samples, dtype=dtype)
        tape = self._capture.tape
        id = tape.take_id("renderbuffer")
        tape.emit("create_renderbuffer", components=components, dtype=dtype, height=size[1],
                  renderbuffer=id, samples=samples, width=size[0])
        return self._capture.wrap(Renderbuffer, real, id)

    def depth_renderbuffer(self, size, samples=0):
        real = self._real.depth_renderbuffer(size, samples=samples)
        tape = self._capture.tape
        id = tape.take_id("renderbuffer")
        tape.emit("create_depth_renderbuffer", height=size[1], renderbuffer=id,
                  samples=samples, width=size[0])
        return self._capture.wrap(Renderbuffer, real, id)

    def framebuffer(self, color_attachments=(), depth_attachment=None):
        if isinstance(color_attachments, Wrapper):
            color_attachments = (color_attachments,)
        real = self._real.framebuffer([unwrap(a) for a in color_attachments],
                                      unwrap(depth_attachment))
        what = "Context.framebuffer"
        made = []

        def write():
            colors = [image(a, what) for a in color_attachments]
            depth = None if depth_attachment is None else image(depth_attachment, what)
            id = self._capture.tape.take_id("framebuffer")
            self._capture.tape.emit("framebuffer_from", id=id, color_attachments=colors,
                                    depth_attachment=depth)
            made.append(id)

        self._capture.record(what, write)
        framebuffer = self._capture.wrap(Framebuffer, real, made[0] if made else None)
        object.__setattr__(framebuffer, "_attachments",
                           (tuple(color_attachments), depth_attachment))
        return framebuffer

    def simple_framebuffer(self, size, components=4, samples=0, dtype="f1"):
        return self.framebuffer(self.renderbuffer(size, components, samples=samples, dtype=dtype),
                                self.depth_renderbuffer(size, samples=samples))

    # --- textures and samplers ------------------------------------------------------

    def texture(self, size, components, data=None, samples=0, alignment=1, dtype="f1",
                internal_format=None, renderbuffer=False):
        real = self._real.texture(size, components, data, samples=samples, alignment=alignment,
                                  dtype=dtype, internal_format=internal_format,
                                  renderbuffer=renderbuffer)
        return textures.made(self._capture, real, "Context.texture", data, alignment, samples,
                             internal_format, renderbuffer)

    def texture_array(self, size, components, data=None, alignment=1, dtype="f1"):
        real = self._real.texture_array(size, components, data, alignment=alignment, dtype=dtype)
        return textures.made(self._capture, real, "Context.texture_array", data, alignment)

    def texture3d(self, size, components, data=None, alignment=1, dtype="f1"):
        real = self._real.texture3d(size, components, data, alignment=alignment, dtype=dtype)
        return textures.made(self._capture, real, "Context.texture3d", data, alignment)

    def texture_cube(self, size, components, data=None, alignment=1, dtype="f1",
                     internal_format=None):
        real = self._real.texture_cube(size, components, data, alignment=alignment, dtype=dtype,
                                       internal_format=internal_format)
        return textures.made(self._capture, real, "Context.texture_cube", data, alignment,
                             internal_format=internal_format)

    def depth_texture(self, size, data=None, samples=0, alignment=4, renderbuffer=False):
        real = self._real.depth_texture(size, data, samples=samples, alignment=alignment,
                                        renderbuffer=renderbuffer)
        return textures.made(self._capture, real, "Context.depth_texture", data, alignment,
                             samples, renderbuffer=renderbuffer)

    def sampler(self, repeat_x=True, repeat_y=True, repeat_z=True, filter=None,
                anisotropy=1.0, compare_func="?", border_color=None, min_lod=-1000.0,
                max_lod=1000.0, texture=None):
        arguments = dict(repeat_x=repeat_x, repeat_y=repeat_y, repeat_z=repeat_z,
                         filter=filter, anisotropy=anisotropy, compare_func=compare_func,
                         border_color=border_color, min_lod=min_lod, max_lod=max_lod)
        real = self._real.sampler(texture=unwrap(texture), **arguments)
        return textures.sampler(self._capture, real, texture, arguments)

    def clear(self, red=0.0, green=0.0, blue=0.0, alpha=0.0, depth=1.0, viewport=None,
              color=None):
        self._real.clear(red, green, blue, alpha, depth=depth, viewport=viewport, color=color)
        bound = self._capture.wrappers.get(id_key(self._real.fbo))
        if isinstance(bound, Framebuffer):
            bound._apply_masks()
        if color is not None:
            red, green, blue, alpha, *_ = tuple(color) + (0.0, 0.0, 0.0, 0.0)
        self._capture.record("Context.clear", lambda: clear_line(
            self._capture, self._fbo_id("Context.clear"), (red, green, blue, alpha), depth,
            viewport))

    def copy_framebuffer(self, dst, src):
        self._real.copy_framebuffer(unwrap(dst), unwrap(src))
        what = "Context.copy_framebuffer"

        def write():
            source = id_of(src, "framebuffer", what)
            if isinstance(dst, textures.TextureBase):
                textures.check_copy_into(dst, src, what)
                target = {"texture": id_of(dst, "texture", what)}
            else:
                target = {"framebuffer": id_of(dst, "framebuffer", what)}
            self._capture.tape.emit("copy_framebuffer", dst=target, src=source)
        self._capture.record(what, write)

    def _fbo_id(self, what):
        """The id of the framebuffer in use; Uncapturable when it is ModernGL's screen or
        another framebuffer the capture does not hold."""
        real = self._real.fbo
        if real is None:
            raise Uncapturable("%s on the default framebuffer" % what)
        return id_of(self._capture.wrappers.get(id_key(real), real), "framebuffer", what)

    def set_viewport(self, value):
        self._real.viewport = value
        x, y, w, h = value
        self._capture.record("Context.viewport", lambda: self._capture.tape.emit(
            "viewport", framebuffer=self._fbo_id("Context.viewport"),
            rect=[int(x), int(y), int(w), int(h)]))

    def set_scissor(self, value):
        self._real.scissor = value
        bound = self._capture.wrappers.get(id_key(self._real.fbo))
        if isinstance(bound, Framebuffer):
            bound._scissor_line("Context.scissor", value)
        else:
            self._capture.record("Context.scissor", lambda: self._fbo_id("Context.scissor"))

    # --- compute shaders, barriers and queries ----------------------------------------

    def compute_shader(self, source):
        real = self._real.compute_shader(source)
        tape = self._capture.tape
        id = tape.take_id("program")
        tape.emit("compute_shader", id=id, source=source)
        return self._capture.wrap(ComputeShader, real, id)

    def memory_barrier(self, barriers=ALL_BARRIER_BITS, by_region=False):
        self._real.memory_barrier(barriers, by_region)
        allowed = BY_REGION_BARRIER_BITS if by_region else BARRIER_BITS
        if barriers != ALL_BARRIER_BITS and barriers & ~allowed:
            # GL refuses them: the barrier does nothing.
            return self._capture.uncaptured("Context.memory_barrier of bits 0x%x" % barriers)
        self._capture.tape.emit("memory_barrier", barriers=barriers, by_region=bool(by_region))

    def query(self, samples=False, any_samples=False, time=False, primitives=False):
        real = self._real.query(samples=samples, any_samples=any_samples, time=time,
                                primitives=primitives)
        return queries.made(self._capture, real, dict(
            samples=samples, any_samples=any_samples, time=time, primitives=primitives))

    # --- state -----------------------------------------------------------------------

    def _capabilities(self, flags, what):
        names = [name for bit, name in CAPABILITIES if flags & bit]
        if flags & ~31:
            self._capture.uncaptured("%s of flags 0x%x" % (what, flags & ~31))
        return names

    def enable(self, flags):
        self._real.enable(flags)
        for name in self._capabilities(flags, "Context.enable"):
            self._capture.tape.emit("enable", capability=name)

    def disable(self, flags):
        self._real.disable(flags)
        for name in self._capabilities(flags, "Context.disable"):
            self._capture.tape.emit("disable", capability=name)

    def enable_only(self, flags):
        self._real.enable_only(flags)
        self._capture.tape.emit("enable_only",
                                capabilities=self._capabilities(flags, "Context.enable_only"))

    def set_blend_func(self, value):
        self._real.blend_func = value
        factors = [BLEND_FACTORS.get(v) for v in tuple(value)]
        if None in factors or len(factors) not in (2, 4):
            return self._capture.uncaptured("Context.blend_func = %r" % (value,))
        src_rgb, dst_rgb, src_alpha, dst_alpha = factors * (4 // len(factors))
        self._capture.tape.emit("blend_func", dst_alpha=dst_alpha, dst_rgb=dst_rgb,
                                src_alpha=src_alpha, src_rgb=src_rgb)

    def set_blend_equation(self, value):
        self._real.blend_equation = value
        values = value if isinstance(value, tuple) else (value,)
        equations = [BLEND_EQUATIONS.get(v) for v in values]
        if None in equations or len(equations) not in (1, 2):
            return self._capture.uncaptured("Context.blend_equation = %r" % (value,))
        rgb, alpha = equations * (2 // len(equations))
        self._capture.tape.emit("blend_equation", alpha=alpha, rgb=rgb)

    def _state(self, name, op, field, value, valid):
        setattr(self._real, name, value)
        if valid(value):
            self._capture.tape.emit(op, **{field: value})
        else:
            self._capture.uncaptured("Context.%s = %r" % (name, value))

    def set_depth_func(self, value):
        self._state("depth_func", "depth_func", "func", value, DEPTH_FUNCS.__contains__)

    def set_front_face(self, value):
        self._state("front_face", "front_face", "winding", value, ("ccw", "cw").__contains__)

    def set_cull_face(self, value):
        self._state("cull_face", "cull_face", "face", value, FACES.__contains__)

    def set_wireframe(self, value):
        self._real.wireframe = value
        self._capture.tape.emit("wireframe", enabled=bool(value))

    def set_point_size(self, value):
        self._real.point_size = value
        self._capture.tape.emit("point_size", size=number(float(value)))

    def set_line_width(self, value):
        self._real.line_width = value
        self._capture.tape.emit("line_width", width=number(float(value)))

    def set_polygon_offset(self, value):
        self._real.polygon_offset = value
        factor, units = value
        self._capture.tape.emit("polygon_offset", factor=number(float(factor)),
                                units=number(float(units)))

    def release(self):
        self._real.release()


def image(obj, what):
    """A texture or renderbuffer wrapper as the text form attaches it."""
    kind = "texture" if isinstance(obj, textures.TextureBase) else "renderbuffer"
    return attachment(kind, id_of(obj, kind, what))


def clear_line(capture, framebuffer, color, depth, viewport):
    """The `clear_framebuffer` line of a ModernGL clear."""
    if viewport is not None:
        viewport = list(viewport)
        if len(viewport) == 2:
            viewport = [0, 0] + viewport
    capture.tape.emit("clear_framebuffer", framebuffer=framebuffer,
                      color=[number(float(c)) for c in color], depth=number(float(depth)),
                      viewport=viewport)


class Buffer(Wrapper):
    _kind = "Buffer"
    _kind_name = "buffer"

    def write(self, data, offset=0):
        self._real.write(data, offset=offset)
        tape = self._capture.tape
        self._capture.record("Buffer.write", lambda: tape.emit(
            "write", buffer=self._need_id("Buffer.write"), offset=offset,
            data=tape.payload(data)))

    def orphan(self, size=-1):
        self._real.orphan(size)
        self._capture.record("Buffer.orphan", lambda: self._capture.tape.emit(
            "orphan", buffer=self._need_id("Buffer.orphan"), size=rest(size)))

    def clear(self, size=-1, offset=0, chunk=None):
        self._real.clear(size=size, offset=offset, chunk=chunk)
        tape = self._capture.tape
        self._capture.record("Buffer.clear", lambda: tape.emit(
            "clear", buffer=self._need_id("Buffer.clear"), size=rest(size), offset=offset,
            chunk=tape.payload(chunk)))

    def _read_line(self, what, size, offset):
        tape = self._capture.tape
        buffer = self._need_id(what)
        tape.emit("read", id=tape.take_id("readback"), buffer=buffer, size=rest(size),
                  offset=offset)

    def read(self, size=-1, offset=0):
        data = self._real.read(size=size, offset=offset)
        self._capture.record("Buffer.read", lambda: (
            self._read_line("Buffer.read", size, offset), self._capture.readback(data)))
        return data

    def read_into(self, buffer, size=-1, offset=0, write_offset=0):
        self._real.read_into(buffer, size=size, offset=offset, write_offset=write_offset)
        n = self._real.size - offset if size < 0 else size
        landed = memoryview(buffer).cast("B")[write_offset:write_offset + n]
        self._capture.record("Buffer.read_into", lambda: (
            self._read_line("Buffer.read_into", size, offset), self._capture.readback(landed)))

    def _chunks_line(self, what, chunk_size, start, step, count):
        tape = self._capture.tape
        buffer = self._need_id(what)
        tape.emit("read_chunks", id=tape.take_id("readback"), buffer=buffer,
                  chunk_size=chunk_size, start=start, step=step, count=count)

    def read_chunks(self, chunk_size, start, step, count):
        data = self._real.read_chunks(chunk_size, start, step, count)
        self._capture.record("Buffer.read_chunks", lambda: (
            self._chunks_line("Buffer.read_chunks", chunk_size, start, step, count),
            self._capture.readback(data)))
        return data

    def read_chunks_into(self, buffer, chunk_size, start, step, count, write_offset=0):
        self._real.read_chunks_into(buffer, chunk_size, start, step, count, write_offset)
        landed = memoryview(buffer).cast("B")[write_offset:write_offset + chunk_size * count]
        self._capture.record("Buffer.read_chunks_into", lambda: (
            self._chunks_line("Buffer.read_chunks_into", chunk_size, start, step, count),
            self._capture.readback(landed)))

    def write_chunks(self, data, start, step, count):
        self._real.write_chunks(data, start, step, count)
        tape = self._capture.tape
        self._capture.record("Buffer.write_chunks", lambda: tape.emit(
            "write_chunks", buffer=self._need_id("Buffer.write_chunks"), start=start,
            step=step, count=count, data=tape.payload(data)))

    def bind_to_uniform_block(self, binding=0, offset=0, size=-1):
        self._real.bind_to_uniform_block(binding, offset, size)
        self._capture.record("Buffer.bind_to_uniform_block", lambda: self._capture.tape.emit(
            "bind_to_uniform_block", buffer=self._need_id("Buffer.bind_to_uniform_block"),
            binding=binding, offset=offset, size=rest(size)))

    def bind_to_storage_buffer(self, binding=0, offset=0, size=-1):
        self._real.bind_to_storage_buffer(binding, offset, size)
        self._capture.record("Buffer.bind_to_storage_buffer", lambda: self._capture.tape.emit(
            "bind_to_storage_buffer", buffer=self._need_id("Buffer.bind_to_storage_buffer"),
            binding=binding, offset=offset, size=rest(size)))


class Program(Wrapper):
    _kind = "Program"
    _kind_name = "program"

    def __getitem__(self, key):
        return self._member(self._real[key])

    def __setitem__(self, key, value):
        self[key].value = value

    def __iter__(self):
        return iter(self._real)

    def get(self, key, default):
        member = self._real.get(key, None)
        return default if member is None else self._member(member)

    def _member(self, member):
        kind = type(member).__name__
        if kind == "Uniform":
            return Uniform(self._capture, member, self)
        if kind in ("UniformBlock", "StorageBlock"):
            return Block(self._capture, member, self)
        return member  # attributes, varyings: read-only descriptions


class ComputeShader(Program):
    """A compute shader: a program of its own kind in ModernGL, of the program sequence in
    gltape."""

    _kind = "ComputeShader"

    def run(self, group_x=1, group_y=1, group_z=1):
        self._real.run(group_x, group_y, group_z)
        what = "ComputeShader.run"

        def write():
            if max(group_x, group_y, group_z) > MAX_WORK_GROUPS:
                raise Uncapturable("%s of more than %d work groups on an axis"
                                   % (what, MAX_WORK_GROUPS))
            self._capture.tape.emit("run_compute", group_x=group_x, group_y=group_y,
                                    group_z=group_z, program=self._need_id(what))
        self._capture.record(what, write)

    def run_indirect(self, buffer, offset=0):
        self._real.run_indirect(unwrap(buffer), offset)
        what = "ComputeShader.run_indirect"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "run_compute_indirect", buffer=id_of(buffer, "buffer", what), offset=offset,
            program=self._need_id(what)))


class Uniform(Wrapper):
    """A uniform of a program: setting `value` or calling `write` records a `uniform` line."""

    _kind = "Uniform"
    _pure = Wrapper._pure | frozenset({"location", "array_length", "dimension",
                                       "element_size", "fmt", "gl_type", "matrix", "read",
                                       "handle", "program_obj", "value"})

    def __init__(self, capture, real, program):
        super().__init__(capture, real, None)
        object.__setattr__(self, "_program", program)

    def set_value(self, value):
        self._real.value = value
        self._line("Uniform.value", self._real.read())

    def write(self, data):
        self._real.write(data)
        self._line("Uniform.write", data)

    def _line(self, what, data):
        def write():
            program = self._program._need_id(what)
            real = self._real
            ty = GL_UNIFORM_TYPES.get(real.gl_type)
            if ty is None and real.gl_type in UNIT_TYPES:
                ty = "int"  # a sampler or image: its unit
            if ty is None:
                raise Uncapturable("%s of GL type 0x%x (ModernGL sets nothing)"
                                   % (what, real.gl_type))
            letter, _ = UNIFORM_TYPES[ty]
            view = memoryview(data).cast("B")
            values = struct.unpack("<%d%s" % (view.nbytes // struct.calcsize(letter), letter),
                                   view)
            if letter in "fd":
                values = [number(v) for v in values]
            self._capture.tape.emit("uniform", program=program, name=real.name, type=ty,
                                    values=list(values))
        self._capture.record(what, write)


class Block(Wrapper):
    """A uniform or storage block of a program: setting `binding` records `block_binding`."""

    _kind = "Block"
    _pure = Wrapper._pure | frozenset({"binding", "index", "value", "program_obj"})

    def __init__(self, capture, real, program):
        super().__init__(capture, real, None)
        object.__setattr__(self, "_program", program)

    def set_binding(self, value):
        self._real.binding = value
        self._line(value)

    def set_value(self, value):
        self._real.value = value
        self._line(value)

    def _line(self, binding):
        what = "%s.binding" % self._kind
        self._capture.record(what, lambda: self._capture.tape.emit(
            "block_binding", program=self._program._need_id(what), name=self._real.name,
            binding=int(binding)))


class VertexArray(Wrapper):
    _kind = "VertexArray"
    _kind_name = "vertex_array"
    _pure = Wrapper._pure | frozenset({"program", "index_buffer"})

    def set_vertices(self, value):
        # ModernGL keeps the count for draws that give none; each draw records its count.
        self._real.vertices = value

    def set_instances(self, value):
        self._real.instances = value

    def set_mode(self, value):
        self._real.mode = value

    def _mode(self, what, mode):
        """The text form's name of a draw's mode (None: the vertex array's)."""
        mode = self._real.mode if mode is None else mode
        if mode not in MODES:
            raise Uncapturable("%s in mode 0x%x" % (what, mode))
        return MODES[mode]

    def _draw(self, what, mode, vertices, first, instances):
        """The fields of a draw as ModernGL makes it: defaults taken from the vertex array."""
        return dict(mode=self._mode(what, mode),
                    vertices=self._real.vertices if vertices < 0 else vertices,
                    first=first, instances=self._real.instances if instances < 0 else instances)

    def render(self, mode=None, vertices=-1, first=0, instances=-1):
        self._real.render(mode, vertices, first=first, instances=instances)
        what = "VertexArray.render"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "render", vertex_array=self._need_id(what),
            **self._draw(what, mode, vertices, first, instances)))

    def render_indirect(self, buffer, mode=None, count=-1, first=0):
        self._real.render_indirect(unwrap(buffer), mode, count, first)
        what = "VertexArray.render_indirect"

        def write():
            commands = id_of(buffer, "buffer", what)
            # ModernGL's default count: every command from `first` on.
            n = buffer._real.size // 20 - first if count < 0 else count
            if n < 0:
                raise Uncapturable("%s of a negative count" % what)  # GL draws nothing
            self._capture.tape.emit("render_indirect", buffer=commands, count=n,
                                    first=first, mode=self._mode(what, mode),
                                    vertex_array=self._need_id(what))
        self._capture.record(what, write)

    def transform(self, buffer, mode=None, vertices=-1, first=0, instances=-1,
                  buffer_offset=0):
        outputs = list(buffer) if isinstance(buffer, (list, tuple)) else [buffer]
        self._real.transform([unwrap(b) for b in outputs] if isinstance(buffer, (list, tuple))
                             else unwrap(buffer), mode, vertices, first=first,
                             instances=instances, buffer_offset=buffer_offset)
        what = "VertexArray.transform"

        def write():
            ids = [id_of(b, "buffer", what) for b in outputs]
            draw = self._draw(what, mode, vertices, first, instances)
            self._capture.tape.emit("transform", vertex_array=self._need_id(what),
                                    outputs=ids, buffer_offset=buffer_offset, **draw)
        self._capture.record(what, write)


class Renderbuffer(Wrapper):
    _kind = "Renderbuffer"
    _kind_name = "renderbuffer"


class Framebuffer(Wrapper):
    """A framebuffer. ModernGL applies a color mask set on the framebuffer in use, when it
    has one color attachment, only at its next `use` or `clear`: the capture writes the
    mask's lines then. A clear of a framebuffer not in use leaves its masks and scissor in
    effect for the framebuffer in use (ModernGL restores nothing), which gltape does not
    do: that is reported where they differ."""

    _kind = "Framebuffer"
    _kind_name = "framebuffer"

    def __init__(self, capture, real, id):
        super().__init__(capture, real, id)
        object.__setattr__(self, "_scissor", None)  # the scissor rectangle, None when off
        object.__setattr__(self, "_pending_masks", None)  # masks ModernGL has not applied

    @property
    def color_attachments(self):
        """The wrappers of the color attachments it was made with."""
        return self._attachments[0]

    @property
    def depth_attachment(self):
        return self._attachments[1]

    def use(self):
        self._real.use()
        self._apply_masks()
        what = "Framebuffer.use"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "use_framebuffer", framebuffer=self._need_id(what)))

    def clear(self, red=0.0, green=0.0, blue=0.0, alpha=0.0, depth=1.0, viewport=None,
              color=None):
        self._real.clear(red, green, blue, alpha, depth=depth, viewport=viewport, color=color)
        self._apply_masks()
        if color is not None:
            red, green, blue, alpha, *_ = tuple(color) + (0.0, 0.0, 0.0, 0.0)
        self._capture.record("Framebuffer.clear", lambda: clear_line(
            self._capture, self._need_id("Framebuffer.clear"), (red, green, blue, alpha),
            depth, viewport))
        self._check_leak(viewport)

    def _bound(self):
        """Whether ModernGL's framebuffer in use is this one."""
        return self._real.ctx.fbo is self._real

    def _apply_masks(self):
        """Writes the color mask ModernGL applies now (at a use or clear), if one waits."""
        masks = self._pending_masks
        if masks is not None:
            object.__setattr__(self, "_pending_masks", None)
            self._mask_lines(masks)

    def _check_leak(self, viewport):
        """Reports a clear of this framebuffer, not in use, whose masks or scissor ModernGL
        leaves in effect where they differ from those of the framebuffer in use."""
        real = self._real
        bound = self._capture.wrappers.get(id_key(real.ctx.fbo))
        if self._bound() or not isinstance(bound, Framebuffer):
            return
        mine, theirs = masks_of(real.color_mask), masks_of(bound._real.color_mask)
        if len(mine) == 1:
            mine = mine * len(theirs)
        scissor = bound._scissor
        if viewport is not None:
            scissor = self._scissor
        elif self._scissor is not None:
            scissor = self._scissor
        if (any(a != b for a, b in zip(mine, theirs)) or scissor != bound._scissor
                or real.depth_mask != bound._real.depth_mask):
            self._capture.uncaptured(
                "Framebuffer.clear of a framebuffer not in use whose masks or scissor differ "
                "from those of the one in use (ModernGL leaves them in effect)")

    def read(self, viewport=None, components=3, attachment=0, alignment=1, dtype="f1",
             clamp=False):
        data = self._real.read(viewport=viewport, components=components, attachment=attachment,
                               alignment=alignment, dtype=dtype, clamp=clamp)
        what = "Framebuffer.read"

        def write():
            rect = viewport
            if rect is not None and len(rect) == 2:
                rect = (0, 0) + tuple(rect)
            width = rect[2] if rect is not None else self._real.width
            per_pixel = DTYPE_SIZE.get(dtype, 0) * (1 if attachment == -1 else components)
            if (width * per_pixel) % alignment:
                raise Uncapturable("%s with rows padded to alignment %d" % (what, alignment))
            if clamp and not dtype.startswith(("n", "f1")):
                raise Uncapturable("%s with clamp=True" % what)
            rect = None if rect is None else [int(v) for v in rect]
            tape = self._capture.tape
            framebuffer = self._need_id(what)
            if attachment == -1:
                if components != 1:
                    raise Uncapturable("%s of depth with components=%d" % (what, components))
                tape.emit("read_depth", id=tape.take_id("readback"), framebuffer=framebuffer,
                          viewport=rect, dtype=dtype)
            else:
                tape.emit("read_pixels", id=tape.take_id("readback"), framebuffer=framebuffer,
                          viewport=rect, components=components, attachment=attachment,
                          dtype=dtype)
            self._capture.readback(data)
        self._capture.record(what, write)
        return data

    def set_viewport(self, value):
        self._real.viewport = value
        what = "Framebuffer.viewport"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "viewport", framebuffer=self._need_id(what), rect=[int(v) for v in value]))

    def set_scissor(self, value):
        self._real.scissor = value
        what = "Framebuffer.scissor"
        self._scissor_line(what, value)

    def _scissor_line(self, what, value):
        rect = None if value is None else [int(v) for v in value]
        object.__setattr__(self, "_scissor", rect)
        self._capture.record(what, lambda: self._capture.tape.emit(
            "scissor", framebuffer=self._need_id(what), rect=rect))

    def set_color_mask(self, value):
        self._real.color_mask = value
        masks = masks_of(value)
        if len(masks) == 1 and self._bound():
            object.__setattr__(self, "_pending_masks", masks)
        else:
            object.__setattr__(self, "_pending_masks", None)
            self._mask_lines(masks)

    def _mask_lines(self, masks):
        what = "Framebuffer.color_mask"
        self._capture.record(what, lambda: [self._capture.tape.emit(
            "color_mask", attachment=i, framebuffer=self._need_id(what), mask=mask)
            for i, mask in enumerate(masks)])

    def set_depth_mask(self, value):
        self._real.depth_mask = value
        what = "Framebuffer.depth_mask"
        self._capture.record(what, lambda: self._capture.tape.emit(
            "depth_mask", enabled=bool(value), framebuffer=self._need_id(what)))


def masks_of(value):
    """ModernGL's color mask (one of 4 booleans, or one per attachment) as a list of masks."""
    masks = [value] if isinstance(value[0], bool) else value
    return [[bool(c) for c in mask] for mask in masks]
