"""Textures and samplers of a recording context: ModernGL's `Texture` (2D, multisample and
depth), `TextureArray`, `Texture3D`, `TextureCube` and `Sampler` wrapped, each call forwarded
and written as the text form's texture and sampler lines (recording.py's `Context` makes
them)."""

from .names import (DTYPE_SIZE, FILTERS, IMAGE_ACCESS, IMAGE_FORMATS, INTERNAL_FORMATS,
                    level_size, row_stride)
from .tape import number
from .wrapping import Uncapturable, Wrapper, id_of, unwrap

FILTER_NAMES = {value: name for name, value in FILTERS.items()}
IMAGE_FORMAT_NAMES = {value: name for name, value in IMAGE_FORMATS.items()}
INTERNAL_FORMAT_NAMES = {value: name for name, value in INTERNAL_FORMATS.items()}

# The text form's texture kind of each ModernGL texture class.
KINDS = {"Texture": "texture", "TextureArray": "texture_array", "Texture3D": "texture3d",
         "TextureCube": "texture_cube"}

# Texture and image units gltape records: what GL 4.5 guarantees (ModernGL takes what the
# driver has).
TEXTURE_UNITS = 80
IMAGE_UNITS = 8

# The properties ModernGL's `ctx.sampler` sets, in its order, with its defaults (which a new
# sampler of gltape's has already).
SAMPLER_PROPERTIES = [("repeat_x", True), ("repeat_y", True), ("repeat_z", True),
                      ("filter", None), ("anisotropy", 1.0), ("compare_func", "?"),
                      ("border_color", None), ("min_lod", -1000.0), ("max_lod", 1000.0)]


def made(capture, real, what, data, alignment, samples=0, internal_format=None,
         renderbuffer=False):
    """The wrapper of a texture ModernGL made (`what` says how), after writing its `texture`
    line."""
    kind = KINDS[type(real).__name__]
    ids = []

    def write():
        if renderbuffer:
            raise Uncapturable("%s with renderbuffer=True" % what)
        name = None
        if internal_format:
            name = INTERNAL_FORMAT_NAMES.get(internal_format)
            if name is None:
                raise Uncapturable("%s with internal_format 0x%x" % (what, internal_format))
        size = [int(side) for side in real.size]
        if 0 in size:
            raise Uncapturable("%s of 0 pixels on a side" % what)
        tape = capture.tape
        ids.append(tape.take_id("texture"))
        tape.emit("texture", id=ids[0], kind=kind, size=size, components=real.components,
                  dtype=real.dtype, samples=samples, alignment=alignment,
                  internal_format=name, depth=kind == "texture" and bool(real.depth),
                  data=tape.payload(data))

    capture.record(what, write)
    cls = {"texture": Texture, "texture_cube": TextureCube}.get(kind, TextureVolume)
    texture = capture.wrap(cls, real, ids[0] if ids else None)
    object.__setattr__(texture, "_internal_format", internal_format)
    return texture


def region(viewport):
    """A write's viewport as the text form takes it: ModernGL's `(width, height)` and
    `(width, height, depth)` start at the origin."""
    if viewport is None:
        return None
    viewport = [int(v) for v in viewport]
    if len(viewport) in (2, 3):
        return [0] * len(viewport) + viewport
    return viewport


def zero_padding(data, row, stride):
    """The bytes of `data`, rows of `stride` bytes of which `row` are pixels, with the
    padding zeroed: what gltape's replay reads where GL leaves the padding as it was."""
    view = memoryview(data).cast("B")
    if row == stride:
        return view
    out = bytearray(view)
    padding = bytes(stride - row)
    for start in range(row, len(out), stride):
        out[start:start + stride - row] = padding
    return out


def property_value(real, name, what):
    """The text form's value of property `name` of a texture or sampler, as ModernGL holds it
    once set (anisotropy clamped, no comparison as null); Uncapturable for filters gltape
    does not know."""
    value = getattr(real, name)
    if name == "filter":
        names = [FILTER_NAMES.get(v) for v in value]
        if None in names or names[1] not in ("nearest", "linear"):
            raise Uncapturable("%s = (0x%x, 0x%x)" % ((what,) + tuple(value)))
        return names
    if name == "compare_func":
        return None if value == "?" else value
    if name in ("repeat_x", "repeat_y", "repeat_z"):
        return bool(value)
    if name == "border_color":
        return [number(float(v)) for v in value]
    if name in ("anisotropy", "min_lod", "max_lod"):
        return number(float(value))
    return value  # swizzle


class Sampling(Wrapper):
    """What textures and samplers share: properties set as ModernGL's class has them."""

    _pure = Wrapper._pure | frozenset({
        "repeat_x", "repeat_y", "repeat_z", "filter", "anisotropy", "swizzle", "compare_func",
        "border_color", "min_lod", "max_lod", "layers"})
    # The parameter line and its id field.
    _parameter_op = None

    def _property(self, name, value):
        """Sets property `name` and writes its line; a property ModernGL's class lacks is a
        plain Python attribute there, which does nothing, and writes nothing."""
        setattr(self._real, name, value)
        if isinstance(getattr(type(self._real), name, None), property):
            self._property_line(name)

    def _property_line(self, name):
        what = "%s.%s" % (self._kind, name)
        self._capture.record(what, lambda: self._capture.tape.emit(
            self._parameter_op, **{self._kind_name: self._need_id(what)},
            parameter={name: property_value(self._real, name, what)}))

    def set_repeat_x(self, value):
        self._property("repeat_x", value)

    def set_repeat_y(self, value):
        self._property("repeat_y", value)

    def set_repeat_z(self, value):
        self._property("repeat_z", value)

    def set_filter(self, value):
        self._property("filter", value)

    def set_anisotropy(self, value):
        self._property("anisotropy", value)

    def set_compare_func(self, value):
        self._property("compare_func", value)


def check_unit(what, unit, units):
    """Uncapturable when `unit` is not below `units`."""
    if not 0 <= unit < units:
        raise Uncapturable("%s of unit %d (gltape records 0 to %d)" % (what, unit, units - 1))


class TextureBase(Sampling):
    """A texture of any kind: `use`, `build_mipmaps`, `bind_to_image`, properties, reads and
    writes (each kind's signatures are ModernGL's, in the subclasses)."""

    _kind_name = "texture"
    _parameter_op = "texture_parameter"

    def __init__(self, capture, real, id):
        super().__init__(capture, real, id)
        object.__setattr__(self, "_kind", type(real).__name__)
        object.__setattr__(self, "_levels", 1)  # levels holding images (build_mipmaps)

    def set_swizzle(self, value):
        self._property("swizzle", value)

    def use(self, location=0):
        self._real.use(location)
        self._use_line("%s.use" % self._kind, location)

    def _use_line(self, what, location):
        def write():
            check_unit(what, location, TEXTURE_UNITS)
            self._capture.tape.emit("use_texture", texture=self._need_id(what), unit=location)
        self._capture.record(what, write)

    def build_mipmaps(self, base=0, max_level=1000):
        self._real.build_mipmaps(base, max_level)
        if max_level > base:
            top = max(self._real.size[:3 if self._kind == "Texture3D" else 2]).bit_length() - 1
            object.__setattr__(self, "_levels", max(self._levels, min(max_level, top) + 1))
        what = "%s.build_mipmaps" % self._kind
        self._capture.record(what, lambda: self._capture.tape.emit(
            "build_mipmaps", base=base, max_level=max_level, texture=self._need_id(what)))

    def bind_to_image(self, unit, read=True, write=True, level=0, format=0):
        self._real.bind_to_image(unit, read, write, level, format)
        what = "%s.bind_to_image" % self._kind

        def line():
            check_unit(what, unit, IMAGE_UNITS)
            name = None
            if format:
                name = IMAGE_FORMAT_NAMES.get(format)
                if name is None:
                    raise Uncapturable("%s in format 0x%x" % (what, format))
            if level >= self._levels:
                raise Uncapturable("%s of level %d, which holds no image" % (what, level))
            self._capture.tape.emit("bind_to_image", access=IMAGE_ACCESS[bool(read), bool(write)],
                                    format=name, level=level, texture=self._need_id(what),
                                    unit=unit)
        self._capture.record(what, line)

    def _read(self, what, data, level, face, alignment):
        """Writes the `read_texture` line of a read that gave `data` (the bytes that landed)
        and keeps their digest; reports a read into a ModernGL buffer."""
        if is_buffer(data):
            self._capture.uncaptured("%s into a Buffer" % what)
            return

        def write():
            texture = self._need_id(what)
            tape = self._capture.tape
            tape.emit("read_texture", alignment=alignment, face=face, level=level,
                      readback=tape.take_id("readback"), texture=texture)
            real = self._real
            width, _ = level_size(KINDS[self._kind], real.size, level)
            row = width * real.components * DTYPE_SIZE[real.dtype]
            stride = row_stride(width, real.components, real.dtype, alignment)
            self._capture.readback(zero_padding(data, row, stride))
        self._capture.record(what, write)

    def _landed(self, buffer, write_offset, level, alignment):
        """The bytes a `read_into` of `buffer` wrote (or the buffer, when a ModernGL one)."""
        if is_buffer(buffer):
            return buffer
        real = self._real
        width, height = level_size(KINDS[self._kind], real.size, level)
        layers = real.size[2] if self._kind in ("TextureArray", "Texture3D") else 1
        n = row_stride(width, real.components, real.dtype, alignment) * height * layers
        return memoryview(buffer).cast("B")[write_offset:write_offset + n]

    def _write(self, what, data, face, viewport, level, alignment):
        """Writes the `write_texture` line of a write of `data` (bytes or a buffer);
        Uncapturable outside the level (ModernGL leaves that to GL, which writes nothing)."""
        def write():
            texture = self._need_id(what)
            rect = region(viewport)
            if rect is not None:
                width, height = level_size(KINDS[self._kind], self._real.size, level)
                sides = [width, height] + list(self._real.size[2:3])
                half = len(rect) // 2
                if any(start < 0 or start + side > limit for start, side, limit in
                       zip(rect[:half], rect[half:], sides)):
                    raise Uncapturable("%s outside level %d" % (what, level))
            tape = self._capture.tape
            if is_buffer(data):
                source = dict(data=None, buffer=id_of(data, "buffer", what))
            else:
                source = dict(data=tape.payload(data), buffer=None)
            tape.emit("write_texture", texture=texture, face=face, viewport=rect,
                      level=level, alignment=alignment, **source)
        self._capture.record(what, write)


class Texture(TextureBase):
    """ModernGL's `Texture`: 2D, multisample or depth."""

    def read(self, level=0, alignment=1):
        data = self._real.read(level, alignment)
        self._read("Texture.read", data, level, None, alignment)
        return data

    def read_into(self, buffer, level=0, alignment=1, write_offset=0):
        self._real.read_into(unwrap(buffer), level, alignment, write_offset)
        self._read("Texture.read_into", self._landed(buffer, write_offset, level, alignment),
                   level, None, alignment)

    def write(self, data, viewport=None, level=0, alignment=1):
        self._real.write(unwrap(data), viewport, level, alignment)
        self._write("Texture.write", data, None, viewport, level, alignment)


class TextureVolume(TextureBase):
    """ModernGL's `TextureArray` and `Texture3D`: reads and writes of every layer."""

    def read(self, alignment=1):
        data = self._real.read(alignment)
        self._read("%s.read" % self._kind, data, 0, None, alignment)
        return data

    def read_into(self, buffer, alignment=1, write_offset=0):
        self._real.read_into(unwrap(buffer), alignment, write_offset)
        self._read("%s.read_into" % self._kind, self._landed(buffer, write_offset, 0, alignment),
                   0, None, alignment)

    def write(self, data, viewport=None, alignment=1):
        self._real.write(unwrap(data), viewport, alignment)
        self._write("%s.write" % self._kind, data, None, viewport, 0, alignment)


class TextureCube(TextureBase):
    """ModernGL's `TextureCube`: reads and writes of one face."""

    def read(self, face, alignment=1):
        data = self._real.read(face, alignment)
        self._read("TextureCube.read", data, 0, face, alignment)
        return data

    def read_into(self, buffer, face, alignment=1, write_offset=0):
        self._real.read_into(unwrap(buffer), face, alignment, write_offset)
        self._read("TextureCube.read_into", self._landed(buffer, write_offset, 0, alignment), 0,
                   face, alignment)

    def write(self, face, data, viewport=None, alignment=1):
        self._real.write(face, unwrap(data), viewport, alignment)
        self._write("TextureCube.write", data, face, viewport, 0, alignment)


def is_buffer(obj):
    """Whether `obj` is a ModernGL buffer (or a wrapper, which only a buffer may be here)
    rather than bytes."""
    return isinstance(obj, Wrapper) or type(obj).__name__ == "Buffer"


class Sampler(Sampling):
    """ModernGL's `Sampler`; its `texture` (a plain attribute in ModernGL) is used with it."""

    _kind = "Sampler"
    _kind_name = "sampler"
    _parameter_op = "sampler_parameter"

    def __init__(self, capture, real, id):
        super().__init__(capture, real, id)
        object.__setattr__(self, "_texture", None)

    @property
    def texture(self):
        return self._texture

    def set_texture(self, value):
        self._real.texture = unwrap(value)
        object.__setattr__(self, "_texture", value)

    def set_border_color(self, value):
        self._property("border_color", value)

    def set_min_lod(self, value):
        self._property("min_lod", value)

    def set_max_lod(self, value):
        self._property("max_lod", value)

    def use(self, location=0):
        self._real.use(location)
        if isinstance(self._texture, TextureBase):
            self._texture._use_line("Sampler.use", location)
        elif self._texture is not None:
            self._capture.uncaptured("Sampler.use with a texture the capture did not make")
        self._unit_line("Sampler.use", location, True)

    def clear(self, location=0):
        self._real.clear(location)
        self._unit_line("Sampler.clear", location, False)

    def _unit_line(self, what, location, bind):
        def write():
            check_unit(what, location, TEXTURE_UNITS)
            sampler = self._need_id(what)
            self._capture.tape.emit("use_sampler", sampler=sampler if bind else None,
                                    unit=location)
        self._capture.record(what, write)


def sampler(capture, real, texture, arguments):
    """The wrapper of a sampler ModernGL's `ctx.sampler(texture=texture, **arguments)` made,
    after its `create_sampler` line and a `sampler_parameter` line per property not at its
    default."""
    tape = capture.tape
    id = tape.take_id("sampler")
    tape.emit("create_sampler", sampler=id)
    wrapper = capture.wrap(Sampler, real, id)
    object.__setattr__(wrapper, "_texture", texture)
    for name, default in SAMPLER_PROPERTIES:
        if arguments[name] != default:
            wrapper._property_line(name)
    return wrapper


def check_copy_into(texture, src, what):
    """Uncapturable where gltape's copy of framebuffer `src` into `texture` would differ from
    ModernGL's (which redefines the texture's level 0 as 8-bit storage of the size both
    have): a texture not of 8-bit normalized values, a smaller or multisampled source, a
    source holding the texture."""
    real = texture._real
    if (texture._kind != "Texture" or real.depth or real.samples or texture._internal_format
            or real.dtype not in ("f1", "nu1", "ni1")):
        raise Uncapturable("%s into a %s of dtype %s" % (what, texture._kind, real.dtype))
    if src.width < real.width or src.height < real.height or src.samples:
        raise Uncapturable("%s into a texture from a smaller or multisampled framebuffer"
                           % what)
    if any(a is real for a in src._real.color_attachments):
        raise Uncapturable("%s into a texture the framebuffer holds" % what)
