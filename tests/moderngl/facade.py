"""A small ModernGL-shaped API that runs a scene on ModernGL or writes it as gltape's text.

A scene is a function of one context, written once against this facade:

    def scene(ctx):
        buf = ctx.buffer(b"\\x01\\x02\\x03\\x04")
        buf.write(b"\\xff", offset=2)
        buf.read()

`MglContext` makes the calls on a real ModernGL context and keeps every read's bytes;
`TapeContext` writes each call as one line of gltape's JSON Lines text form
(docs/text-format.md), so `gltape::text::assemble` records the same calls. The facade only
forwards: the checks under test are ModernGL's and gltape's own.
"""

import io
import os
import struct
import sys

# The text form's writer and tables are the capture package's (python/gltape_moderngl).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "python"))
from gltape_moderngl.names import (  # noqa: E402
    ALL_BARRIER_BITS, FILTERS, IMAGE_ACCESS, IMAGE_FORMATS, INTERNAL_FORMATS, read_size)
from gltape_moderngl.tape import UNIFORM_TYPES, Tape, attachment, number, rest  # noqa: E402
from gltape_moderngl.textures import SAMPLER_PROPERTIES  # noqa: E402

MODES = [
    "points", "lines", "line_loop", "line_strip", "triangles", "triangle_strip",
    "triangle_fan", "lines_adjacency", "line_strip_adjacency", "triangles_adjacency",
    "triangle_strip_adjacency",
]

# ModernGL's enable flags, by gltape's capability names.
CAPABILITIES = ["depth_test", "cull_face", "blend", "rasterizer_discard", "program_point_size"]

# What a ModernGL elapsed time reads as in the readbacks: the runner takes any 4 bytes of
# gltape's for it (elapsed times differ from run to run).
ELAPSED = b"elapsed"


# --- ModernGL ---------------------------------------------------------------------------

class MglContext:
    """Runs the calls on a ModernGL context; `readbacks` holds the bytes of every read."""

    def __init__(self, mgl, ctx):
        self.mgl = mgl
        self.ctx = ctx
        self.readbacks = []

    def buffer(self, data=None, reserve=0, dynamic=False):
        return MglBuffer(self, self.ctx.buffer(data, reserve=reserve, dynamic=dynamic))

    def copy_buffer(self, dst, src, size=-1, read_offset=0, write_offset=0):
        self.ctx.copy_buffer(dst.obj, src.obj, size, read_offset, write_offset)

    def program(self, vertex_shader, fragment_shader=None, geometry_shader=None,
                varyings=(), varyings_capture_mode="interleaved"):
        return MglProgram(self.ctx.program(
            vertex_shader=vertex_shader, fragment_shader=fragment_shader,
            geometry_shader=geometry_shader, varyings=varyings,
            varyings_capture_mode=varyings_capture_mode))

    def uniform(self, program, name, gltype, values):
        letter, _ = UNIFORM_TYPES[gltype]
        program.obj[name].write(struct.pack("<%d%s" % (len(values), letter), *values))

    def vertex_array(self, program, content, index_buffer=None, index_element_size=4,
                     skip_errors=False):
        content = [(b.obj, fmt, *names) for b, fmt, *names in content]
        ibo = index_buffer.obj if index_buffer is not None else None
        return MglVertexArray(self, self.ctx.vertex_array(
            program.obj, content, ibo, index_element_size, skip_errors=skip_errors))

    def framebuffer(self, size, colors=("rgba8",), depth=False):
        dtypes = {"rgba8": "f1", "rgba32f": "f4"}
        color = [self.ctx.renderbuffer(size, 4, dtype=dtypes[c]) for c in colors]
        depth = self.ctx.depth_renderbuffer(size) if depth else None
        return MglFramebuffer(self, self.ctx.framebuffer(color, depth))

    def renderbuffer(self, size, components=4, samples=0, dtype="f1"):
        return MglRenderbuffer(self.ctx.renderbuffer(size, components, samples=samples,
                                                     dtype=dtype))

    def depth_renderbuffer(self, size, samples=0):
        return MglRenderbuffer(self.ctx.depth_renderbuffer(size, samples=samples))

    def framebuffer_of(self, color_attachments=(), depth_attachment=None):
        """ModernGL's `ctx.framebuffer(color_attachments, depth_attachment)`."""
        depth = depth_attachment.obj if depth_attachment is not None else None
        return MglFramebuffer(self, self.ctx.framebuffer(
            [a.obj for a in color_attachments], depth))

    def copy_framebuffer(self, dst, src):
        self.ctx.copy_framebuffer(dst.obj, src.obj)
    def texture(self, size, components, data=None, samples=0, alignment=1, dtype="f1",
                internal_format=None):
        return MglTexture(self, "texture", size, components, dtype, self.ctx.texture(
            size, components, self._data(data), samples=samples, alignment=alignment,
            dtype=dtype, internal_format=INTERNAL_FORMATS.get(internal_format)))

    def texture_array(self, size, components, data=None, alignment=1, dtype="f1"):
        return MglTexture(self, "texture_array", size, components, dtype, self.ctx.texture_array(
            size, components, self._data(data), alignment=alignment, dtype=dtype))

    def texture3d(self, size, components, data=None, alignment=1, dtype="f1"):
        return MglTexture(self, "texture3d", size, components, dtype, self.ctx.texture3d(
            size, components, self._data(data), alignment=alignment, dtype=dtype))

    def texture_cube(self, size, components, data=None, alignment=1, dtype="f1",
                     internal_format=None):
        return MglTexture(self, "texture_cube", size, components, dtype, self.ctx.texture_cube(
            size, components, self._data(data), alignment=alignment, dtype=dtype,
            internal_format=INTERNAL_FORMATS.get(internal_format)))

    def depth_texture(self, size, data=None, samples=0, alignment=4):
        return MglTexture(self, "texture", size, 1, "f4", self.ctx.depth_texture(
            size, self._data(data), samples=samples, alignment=alignment))

    def compute_shader(self, source):
        return MglProgram(self.ctx.compute_shader(source))

    def memory_barrier(self, barriers=ALL_BARRIER_BITS, by_region=False):
        self.ctx.memory_barrier(barriers, by_region)

    def query(self, samples=False, any_samples=False, time=False, primitives=False):
        return MglQuery(self, self.ctx.query(samples=samples, any_samples=any_samples,
                                             time=time, primitives=primitives))

    def sampler(self, **properties):
        if "filter" in properties:
            properties["filter"] = tuple(FILTERS[f] for f in properties["filter"])
        return MglSampler(self.ctx.sampler(**properties))

    @staticmethod
    def _data(data):
        return data.obj if isinstance(data, MglBuffer) else data

    def enable(self, capability):
        self.ctx.enable(self._flag(capability))

    def disable(self, capability):
        self.ctx.disable(self._flag(capability))

    def enable_only(self, capabilities):
        flags = self.mgl.NOTHING
        for capability in capabilities:
            flags |= self._flag(capability)
        self.ctx.enable_only(flags)

    def _flag(self, capability):
        assert capability in CAPABILITIES, capability
        return getattr(self.mgl, capability.upper())

    def blend_func(self, *factors):
        self.ctx.blend_func = tuple(getattr(self.mgl, f.upper()) for f in factors)

    def blend_equation(self, *equations):
        values = tuple(getattr(self.mgl, e.upper()) for e in equations)
        self.ctx.blend_equation = values[0] if len(values) == 1 else values

    def depth_func(self, func):
        self.ctx.depth_func = func

    def front_face(self, winding):
        self.ctx.front_face = winding

    def cull_face(self, face):
        self.ctx.cull_face = face

    def polygon_offset(self, factor, units):
        self.ctx.polygon_offset = (factor, units)

    def wireframe(self, enabled):
        self.ctx.wireframe = enabled

    def point_size(self, size):
        self.ctx.point_size = size

    def line_width(self, width):
        self.ctx.line_width = width

    def scissor(self, rect):
        """`ctx.scissor`: the scissor of the framebuffer in use."""
        self.ctx.scissor = rect

    def mode(self, name):
        return getattr(self.mgl, name.upper())


class MglBuffer:
    def __init__(self, ctx, obj):
        self.ctx, self.obj = ctx, obj

    def write(self, data, offset=0):
        self.obj.write(data, offset=offset)

    def read(self, size=-1, offset=0):
        self.ctx.readbacks.append(self.obj.read(size=size, offset=offset))

    def orphan(self, size=-1):
        self.obj.orphan(size)

    def clear(self, size=-1, offset=0, chunk=None):
        self.obj.clear(size=size, offset=offset, chunk=chunk)

    def read_into(self, size=-1, offset=0, write_offset=0):
        """`read_into` a zeroed buffer with room for `write_offset` bytes before the read;
        the readback is what lands after them."""
        n = self.obj.size - offset if size < 0 else size
        out = bytearray(write_offset + max(n, 0))
        self.obj.read_into(out, size=size, offset=offset, write_offset=write_offset)
        self.ctx.readbacks.append(bytes(out[write_offset:]))

    def read_chunks(self, chunk_size, start, step, count):
        self.ctx.readbacks.append(self.obj.read_chunks(chunk_size, start, step, count))

    def read_chunks_into(self, chunk_size, start, step, count, write_offset=0):
        out = bytearray(write_offset + max(chunk_size * count, 0))
        self.obj.read_chunks_into(out, chunk_size, start, step, count, write_offset)
        self.ctx.readbacks.append(bytes(out[write_offset:]))

    def write_chunks(self, data, start, step, count):
        self.obj.write_chunks(data, start, step, count)

    def bind_to_uniform_block(self, binding=0, offset=0, size=-1):
        self.obj.bind_to_uniform_block(binding, offset, size)

    def bind_to_storage_buffer(self, binding=0, offset=0, size=-1):
        self.obj.bind_to_storage_buffer(binding, offset, size)

    def release(self):
        self.obj.release()


class MglProgram:
    """A program or a compute shader."""

    def __init__(self, obj):
        self.obj = obj

    def run(self, group_x=1, group_y=1, group_z=1):
        self.obj.run(group_x, group_y, group_z)

    def run_indirect(self, buffer, offset=0):
        self.obj.run_indirect(buffer.obj, offset)

    def set_binding(self, name, binding):
        """`program[name].binding = binding` of a uniform or storage block."""
        self.obj[name].binding = binding

    def release(self):
        self.obj.release()


class MglQuery:
    """`with query:` is `begin()` ... `end()`, `with query.crender:` is `begin_render()` ...
    `end_render()`; the counts are read into the readbacks as 4-byte integers."""

    def __init__(self, ctx, obj):
        self.ctx, self.obj = ctx, obj

    def begin(self):
        self.obj.__enter__()

    def end(self):
        self.obj.__exit__(None, None, None)

    def begin_render(self):
        # ModernGL's crender does not wait for the count (GL_QUERY_NO_WAIT): GL may draw
        # before it is known, which llvmpipe does until its work is finished. gltape's replay
        # waits; finishing first makes ModernGL's outcome the one of the count.
        self.ctx.ctx.finish()
        self.obj.crender.__enter__()

    def end_render(self):
        self.obj.crender.__exit__(None, None, None)

    def read(self, result):
        value = getattr(self.obj, result)
        self.ctx.readbacks.append(ELAPSED if result == "elapsed" else struct.pack("<I", value))

    def release(self):
        self.obj.release()


class MglVertexArray:
    def __init__(self, ctx, obj):
        self.ctx, self.obj = ctx, obj

    def render(self, mode="triangles", vertices=-1, first=0, instances=1):
        self.obj.render(self.ctx.mode(mode), vertices, first=first, instances=instances)

    def render_indirect(self, buffer, mode="triangles", count=-1, first=0):
        self.obj.render_indirect(buffer.obj, self.ctx.mode(mode), count=count, first=first)

    def transform(self, outputs, mode="points", vertices=-1, first=0, instances=1,
                  buffer_offset=0):
        target = [b.obj for b in outputs] if len(outputs) > 1 else outputs[0].obj
        self.obj.transform(target, self.ctx.mode(mode), vertices, first=first,
                           instances=instances, buffer_offset=buffer_offset)

    def release(self):
        self.obj.release()


class MglRenderbuffer:
    def __init__(self, obj):
        self.obj = obj

    def release(self):
        self.obj.release()


class MglFramebuffer:
    def __init__(self, ctx, obj):
        self.ctx, self.obj = ctx, obj

    def use(self):
        self.obj.use()

    def set_viewport(self, rect):
        self.obj.viewport = tuple(rect)

    def set_scissor(self, rect):
        self.obj.scissor = rect

    def set_color_mask(self, mask):
        """One mask of 4 bools, or one per color attachment."""
        self.obj.color_mask = mask

    def set_depth_mask(self, enabled):
        self.obj.depth_mask = enabled

    def clear(self, color=(0.0, 0.0, 0.0, 0.0), depth=1.0, viewport=None):
        self.obj.clear(*color, depth=depth, viewport=viewport)

    def read(self, viewport=None, components=4, attachment=0, dtype="f1"):
        if attachment == -1:
            # Depth: one value per pixel. ModernGL sizes its result by `components` but
            # writes one component, so a correct caller passes 1.
            components = 1
        self.ctx.readbacks.append(self.obj.read(
            viewport=viewport, components=components, attachment=attachment, dtype=dtype))

    def release(self):
        self.obj.release()


class MglTexture:
    """A texture of any kind; reads go through `read_into` a zeroed buffer, so the padding
    of rows (which ModernGL's `read` leaves uninitialized) reads as zeros."""

    def __init__(self, ctx, kind, size, components, dtype, obj):
        self.ctx, self.kind, self.size, self.obj = ctx, kind, tuple(size), obj
        self.components, self.dtype = components, dtype

    def write(self, *args, **kw):
        if self.kind == "texture_cube":
            face, data, *rest = args
            self.obj.write(face, MglContext._data(data), *rest, **kw)
        else:
            data, *rest = args
            self.obj.write(MglContext._data(data), *rest, **kw)

    def read(self, *args, **kw):
        if self.kind == "texture_cube":
            face, *rest = args
            alignment = rest[0] if rest else kw.get("alignment", 1)
            out = bytearray(read_size(self.kind, self.size, self.components, self.dtype, 0,
                                      alignment))
            self.obj.read_into(out, face, alignment)
        elif self.kind == "texture":
            level = args[0] if args else kw.get("level", 0)
            alignment = args[1] if len(args) > 1 else kw.get("alignment", 1)
            out = bytearray(read_size(self.kind, self.size, self.components, self.dtype,
                                      level, alignment))
            self.obj.read_into(out, level=level, alignment=alignment)
        else:
            alignment = args[0] if args else kw.get("alignment", 1)
            out = bytearray(read_size(self.kind, self.size, self.components, self.dtype, 0,
                                      alignment))
            self.obj.read_into(out, alignment=alignment)
        self.ctx.readbacks.append(bytes(out))

    def build_mipmaps(self, base=0, max_level=1000):
        self.obj.build_mipmaps(base, max_level)

    def use(self, location=0):
        self.obj.use(location)

    def bind_to_image(self, unit, read=True, write=True, level=0, format=None):
        self.obj.bind_to_image(unit, read, write, level, IMAGE_FORMATS[format] if format else 0)

    def set(self, name, value):
        """Sets property `name` as ModernGL's Python object takes it."""
        setattr(self.obj, name, mgl_property(name, value))

    def release(self):
        self.obj.release()


class MglSampler:
    def __init__(self, obj):
        self.obj = obj

    def use(self, location=0):
        self.obj.use(location)

    def clear_unit(self, location=0):
        self.obj.clear(location)

    def set(self, name, value):
        setattr(self.obj, name, mgl_property(name, value))

    def release(self):
        self.obj.release()


def mgl_property(name, value):
    """A property's value as ModernGL takes it: filters as GL enums, "?" for no comparison."""
    if name == "filter":
        return tuple(FILTERS[f] for f in value)
    if name == "compare_func" and value is None:
        return "?"
    return value


# --- gltape's text form -----------------------------------------------------------------

class TapeContext:
    """Writes the calls as gltape's text form; `text()` is the whole list."""

    def __init__(self):
        self.tape = Tape(io.StringIO())
        self.emit, self.take_id = self.tape.emit, self.tape.take_id
        self.fbo = 0  # the framebuffer in use: the screen until one is used

    def text(self):
        return self.tape.out.getvalue()

    def buffer(self, data=None, reserve=0, dynamic=False):
        size = len(data) if data is not None else reserve
        obj = TapeObject(self, "buffer", self.take_id("buffer"))
        obj.size = size
        self.emit("buffer", id=obj.id, size=size, dynamic=dynamic,
                  data=self.tape.payload(data))
        return obj

    def copy_buffer(self, dst, src, size=-1, read_offset=0, write_offset=0):
        self.emit("copy_buffer", dst=dst.id, src=src.id, size=rest(size),
                  read_offset=read_offset, write_offset=write_offset)

    def program(self, vertex_shader, fragment_shader=None, geometry_shader=None,
                varyings=(), varyings_capture_mode="interleaved"):
        obj = TapeObject(self, "program", self.take_id("program"))
        self.emit("program", id=obj.id, vertex_shader=vertex_shader,
                  fragment_shader=fragment_shader, geometry_shader=geometry_shader,
                  varyings=list(varyings), varyings_mode=varyings_capture_mode)
        return obj

    def uniform(self, program, name, gltype, values):
        self.emit("uniform", program=program.id, name=name, type=gltype, values=list(values))

    def vertex_array(self, program, content, index_buffer=None, index_element_size=4,
                     skip_errors=False):
        obj = TapeObject(self, "vertex_array", self.take_id("vertex_array"))
        fields = dict(
            id=obj.id, program=program.id,
            content=[[b.id, fmt, list(names)] for b, fmt, *names in content],
            index=[index_buffer.id, index_element_size] if index_buffer is not None else None)
        if skip_errors:
            fields["skip_errors"] = True
        self.emit("vertex_array", **fields)
        return obj

    def framebuffer(self, size, colors=("rgba8",), depth=False):
        obj = TapeObject(self, "framebuffer", self.take_id("framebuffer"))
        self.emit("framebuffer", id=obj.id, width=size[0], height=size[1],
                  color=list(colors), depth=depth)
        return obj

    def renderbuffer(self, size, components=4, samples=0, dtype="f1"):
        obj = TapeObject(self, "renderbuffer", self.take_id("renderbuffer"))
        self.emit("create_renderbuffer", renderbuffer=obj.id, width=size[0], height=size[1],
                  components=components, samples=samples, dtype=dtype)
        return obj

    def depth_renderbuffer(self, size, samples=0):
        obj = TapeObject(self, "renderbuffer", self.take_id("renderbuffer"))
        self.emit("create_depth_renderbuffer", renderbuffer=obj.id, width=size[0],
                  height=size[1], samples=samples)
        return obj

    def framebuffer_of(self, color_attachments=(), depth_attachment=None):
        obj = TapeObject(self, "framebuffer", self.take_id("framebuffer"))
        self.emit("framebuffer_from", id=obj.id,
                  color_attachments=[attachment(a.kind, a.id) for a in color_attachments],
                  depth_attachment=(attachment(depth_attachment.kind, depth_attachment.id)
                                    if depth_attachment is not None else None))
        return obj

    def copy_framebuffer(self, dst, src):
        """Into a framebuffer (`{"framebuffer": id}`) or a texture (`{"texture": id}`)."""
        self.emit("copy_framebuffer", dst={dst.kind: dst.id}, src=src.id)

    def texture(self, size, components, data=None, samples=0, alignment=1, dtype="f1",
                internal_format=None):
        return self._texture("texture", size, components, data, samples, alignment, dtype,
                             internal_format, False)

    def texture_array(self, size, components, data=None, alignment=1, dtype="f1"):
        return self._texture("texture_array", size, components, data, 0, alignment, dtype,
                             None, False)

    def texture3d(self, size, components, data=None, alignment=1, dtype="f1"):
        return self._texture("texture3d", size, components, data, 0, alignment, dtype, None,
                             False)

    def texture_cube(self, size, components, data=None, alignment=1, dtype="f1",
                     internal_format=None):
        return self._texture("texture_cube", size, components, data, 0, alignment, dtype,
                             internal_format, False)

    def depth_texture(self, size, data=None, samples=0, alignment=4):
        return self._texture("texture", size, 1, data, samples, alignment, "f4", None, True)

    def _texture(self, kind, size, components, data, samples, alignment, dtype,
                 internal_format, depth):
        obj = TapeTexture(self, kind, self.take_id("texture"))
        self.emit("texture", id=obj.id, kind=kind, size=list(size), components=components,
                  dtype=dtype, samples=samples, alignment=alignment,
                  internal_format=internal_format, depth=depth,
                  data=self.tape.payload(data))
        return obj

    def compute_shader(self, source):
        obj = TapeObject(self, "program", self.take_id("program"))
        self.emit("compute_shader", id=obj.id, source=source)
        return obj

    def memory_barrier(self, barriers=ALL_BARRIER_BITS, by_region=False):
        self.emit("memory_barrier", barriers=barriers, by_region=by_region)

    def query(self, samples=False, any_samples=False, time=False, primitives=False):
        obj = TapeQuery(self, self.take_id("query"))
        if not (samples or any_samples or time or primitives):
            samples = any_samples = time = primitives = True
        self.emit("create_query", query=obj.id, kinds=dict(
            samples=samples, any_samples=any_samples, time=time, primitives=primitives))
        return obj

    def sampler(self, **properties):
        obj = TapeObject(self, "sampler", self.take_id("sampler"))
        self.emit("create_sampler", sampler=obj.id)
        for name, _ in SAMPLER_PROPERTIES:  # in the order ModernGL's `ctx.sampler` sets them
            if name in properties:
                obj.set(name, properties[name])
        return obj

    def enable(self, capability):
        self.emit("enable", capability=capability)

    def disable(self, capability):
        self.emit("disable", capability=capability)

    def enable_only(self, capabilities):
        self.emit("enable_only", capabilities=list(capabilities))

    def blend_func(self, *factors):
        src_rgb, dst_rgb, src_alpha, dst_alpha = factors * (4 // len(factors))
        self.emit("blend_func", src_rgb=src_rgb, dst_rgb=dst_rgb, src_alpha=src_alpha,
                  dst_alpha=dst_alpha)

    def blend_equation(self, *equations):
        rgb, alpha = equations * (2 // len(equations))
        self.emit("blend_equation", rgb=rgb, alpha=alpha)

    def depth_func(self, func):
        self.emit("depth_func", func=func)

    def front_face(self, winding):
        self.emit("front_face", winding=winding)

    def cull_face(self, face):
        self.emit("cull_face", face=face)

    def polygon_offset(self, factor, units):
        self.emit("polygon_offset", factor=number(factor), units=number(units))

    def wireframe(self, enabled):
        self.emit("wireframe", enabled=enabled)

    def point_size(self, size):
        self.emit("point_size", size=number(size))

    def line_width(self, width):
        self.emit("line_width", width=number(width))

    def scissor(self, rect):
        self.emit("scissor", framebuffer=self.fbo, rect=list(rect) if rect else None)


class TapeObject:
    """A buffer, program, vertex array, renderbuffer or framebuffer of a `TapeContext`."""

    def __init__(self, ctx, kind, id):
        self.ctx, self.kind, self.id = ctx, kind, id

    # buffers
    def write(self, data, offset=0):
        self.ctx.emit("write", buffer=self.id, offset=offset, data=data.hex())

    def read(self, size=-1, offset=0, viewport=None, components=4, attachment=0, dtype="f1"):
        id = self.ctx.take_id("readback")
        if self.kind == "buffer":
            self.ctx.emit("read", id=id, buffer=self.id, size=rest(size), offset=offset)
        elif attachment == -1:
            self.ctx.emit("read_depth", id=id, framebuffer=self.id,
                          viewport=list(viewport) if viewport is not None else None,
                          dtype=dtype)
        else:
            self.ctx.emit("read_pixels", id=id, framebuffer=self.id,
                          viewport=list(viewport) if viewport is not None else None,
                          components=components, attachment=attachment, dtype=dtype)

    def orphan(self, size=-1):
        if size != -1:
            self.size = size
        self.ctx.emit("orphan", buffer=self.id, size=rest(size))

    def read_into(self, size=-1, offset=0, write_offset=0):
        # The copy into the caller's buffer happens outside the list.
        self.read(size=size, offset=offset)

    def read_chunks(self, chunk_size, start, step, count):
        self.ctx.emit("read_chunks", id=self.ctx.take_id("readback"), buffer=self.id,
                      chunk_size=chunk_size, start=start, step=step, count=count)

    def read_chunks_into(self, chunk_size, start, step, count, write_offset=0):
        self.read_chunks(chunk_size, start, step, count)

    def write_chunks(self, data, start, step, count):
        self.ctx.emit("write_chunks", buffer=self.id, start=start, step=step, count=count,
                      data=data.hex())

    def bind_to_uniform_block(self, binding=0, offset=0, size=-1):
        self.ctx.emit("bind_to_uniform_block", buffer=self.id, binding=binding, offset=offset,
                      size=rest(size))

    def bind_to_storage_buffer(self, binding=0, offset=0, size=-1):
        self.ctx.emit("bind_to_storage_buffer", buffer=self.id, binding=binding, offset=offset,
                      size=rest(size))

    # programs
    def set_binding(self, name, binding):
        self.ctx.emit("block_binding", program=self.id, name=name, binding=binding)

    def clear(self, size=-1, offset=0, chunk=None, color=None, depth=1.0, viewport=None):
        if self.kind == "buffer":
            self.ctx.emit("clear", buffer=self.id, size=rest(size), offset=offset,
                          chunk=chunk.hex() if chunk is not None else None)
        else:
            self.ctx.emit("clear_framebuffer", framebuffer=self.id,
                          color=list(color or (0.0, 0.0, 0.0, 0.0)), depth=depth,
                          viewport=list(viewport) if viewport is not None else None)

    # vertex arrays
    def render(self, mode="triangles", vertices=-1, first=0, instances=1):
        self.ctx.emit("render", vertex_array=self.id, mode=mode, vertices=rest(vertices),
                      first=first, instances=instances)

    def render_indirect(self, buffer, mode="triangles", count=-1, first=0):
        if count == -1:
            count = buffer.size // 20 - first
        self.ctx.emit("render_indirect", vertex_array=self.id, buffer=buffer.id, mode=mode,
                      count=count, first=first)

    # compute shaders
    def run(self, group_x=1, group_y=1, group_z=1):
        self.ctx.emit("run_compute", program=self.id, group_x=group_x, group_y=group_y,
                      group_z=group_z)

    def run_indirect(self, buffer, offset=0):
        self.ctx.emit("run_compute_indirect", program=self.id, buffer=buffer.id, offset=offset)

    def transform(self, outputs, mode="points", vertices=-1, first=0, instances=1,
                  buffer_offset=0):
        self.ctx.emit("transform", vertex_array=self.id, outputs=[b.id for b in outputs],
                      mode=mode, vertices=rest(vertices), first=first, instances=instances,
                      buffer_offset=buffer_offset)

    # framebuffers (`use` below serves samplers too)
    def set_viewport(self, rect):
        self.ctx.emit("viewport", framebuffer=self.id, rect=list(rect))

    def set_scissor(self, rect):
        self.ctx.emit("scissor", framebuffer=self.id, rect=list(rect) if rect else None)

    def set_color_mask(self, mask):
        masks = [mask] if isinstance(mask[0], bool) else mask
        for attachment, m in enumerate(masks):
            self.ctx.emit("color_mask", framebuffer=self.id, attachment=attachment, mask=list(m))

    def set_depth_mask(self, enabled):
        self.ctx.emit("depth_mask", framebuffer=self.id, enabled=enabled)

    def release(self):
        self.ctx.emit("release", object={self.kind: self.id})

    # framebuffers and samplers
    def use(self, location=0):
        if self.kind == "sampler":
            self.ctx.emit("use_sampler", sampler=self.id, unit=location)
        else:
            self.ctx.fbo = self.id
            self.ctx.emit("use_framebuffer", framebuffer=self.id)

    def clear_unit(self, location=0):
        self.ctx.emit("use_sampler", sampler=None, unit=location)

    def set(self, name, value):
        self.ctx.emit("sampler_parameter", sampler=self.id,
                      parameter={name: tape_property(name, value)})


def tape_property(name, value):
    """A property's value in the text form: lists for tuples, null for no comparison."""
    if name == "compare_func" and value == "?":
        return None
    return list(value) if isinstance(value, tuple) else value


class TapeTexture(TapeObject):
    """A texture of a `TapeContext`, of ModernGL's constructor `kind`."""

    def __init__(self, ctx, kind, id):
        super().__init__(ctx, "texture", id)
        self.texture_kind = kind

    def write(self, *args, viewport=None, level=0, alignment=1):
        if self.texture_kind == "texture_cube":
            face, data, *rest = args
        else:
            face, (data, *rest) = None, args
        if rest:
            viewport = rest[0]
        source = dict(data=None, buffer=data.id) if isinstance(data, TapeObject) else dict(
            data=data.hex(), buffer=None)
        self.ctx.emit("write_texture", texture=self.id, face=face,
                      viewport=list(viewport) if viewport is not None else None,
                      level=level, alignment=alignment, **source)

    def read(self, *args, level=0, alignment=1):
        face = None
        if self.texture_kind == "texture_cube":
            face, *args = args
        elif self.texture_kind == "texture" and args:
            level, *args = args
        if args:
            alignment = args[0]
        self.ctx.emit("read_texture", texture=self.id, readback=self.ctx.take_id("readback"),
                      level=level, face=face, alignment=alignment)

    def build_mipmaps(self, base=0, max_level=1000):
        self.ctx.emit("build_mipmaps", texture=self.id, base=base, max_level=max_level)

    def use(self, location=0):
        self.ctx.emit("use_texture", texture=self.id, unit=location)

    def bind_to_image(self, unit, read=True, write=True, level=0, format=None):
        access = IMAGE_ACCESS.get((read, write), "none")
        self.ctx.emit("bind_to_image", texture=self.id, unit=unit, access=access, level=level,
                      format=format)

    def set(self, name, value):
        self.ctx.emit("texture_parameter", texture=self.id,
                      parameter={name: tape_property(name, value)})


class TapeQuery:
    """A query of a `TapeContext`."""

    def __init__(self, ctx, id):
        self.ctx, self.id = ctx, id

    def begin(self):
        self.ctx.emit("begin_query", query=self.id)

    def end(self):
        self.ctx.emit("end_query", query=self.id)

    def begin_render(self):
        self.ctx.emit("begin_conditional_render", query=self.id)

    def end_render(self):
        self.ctx.emit("end_conditional_render", query=self.id)

    def read(self, result):
        self.ctx.emit("read_query", query=self.id, readback=self.ctx.take_id("readback"),
                      result=result)

    def release(self):
        self.ctx.emit("release", object={"query": self.id})
