"""The differential suite's scenes, generated: each is a function of one facade context.

`scenes()` yields `(name, scene, difference)`; `difference` is None where gltape must give
ModernGL's outcome and bytes exactly, or the key of a documented difference (`DIFFERENCES`)
that the scene must show.
"""

import itertools
import struct

from facade import ALL_BARRIER_BITS, MODES

# Documented differences: key -> (what the suite asserts, why). README's list of differences
# names each key (as `<!-- suite: key -->`), and the Rust runner checks that it does.
DIFFERENCES = {
    "draw-time-vertex-count": (
        "bytes-differ",
        "a draw without a vertex count takes it at the draw, not at vertex-array creation"),
    "record-time-bounds": (
        "gltape-rejects",
        "every byte a non-indexed draw or an instance reads is checked when recorded"),
    "format-zero-count": (
        "gltape-rejects",
        "a format count of 0 is an error (ModernGL reads it as 1)"),
    "format-whitespace": (
        "gltape-accepts",
        "format tokens may be separated by any whitespace, also after the usage token"),
    "attribute-uneven-split": (
        "gltape-rejects",
        "a field whose components do not split evenly over its input's locations is an error"),
    "zero-size-access": (
        "gltape-accepts",
        "a read or clear of 0 bytes does nothing (ModernGL fails to map the buffer)"),
    "unwritten-draw-buffers": (
        "bytes-differ",
        "a draw leaves the color attachments its fragment shader does not write untouched"),
    "zero-size-orphan": (
        "gltape-rejects",
        "orphaning to 0 bytes is an error, as is a buffer of 0 bytes"),
    "color-mask-at-once": (
        "bytes-differ",
        "a color mask set on the framebuffer in use applies at once (ModernGL applies a "
        "single-attachment framebuffer's mask at its next use or clear)"),
    "clear-keeps-state": (
        "bytes-differ",
        "clearing a framebuffer not in use takes its own scissor and masks and leaves those of "
        "the framebuffer in use in effect (ModernGL mixes the two)"),
    "non-finite-state": (
        "gltape-rejects",
        "a polygon offset, point size or line width that is not finite is an error"),
    "zero-size-renderbuffer": (
        "gltape-rejects",
        "a renderbuffer of 0 pixels on a side is an error when made (ModernGL: when attached)"),
    "copy-overlap": (
        "gltape-rejects",
        "copy_framebuffer refuses to read and write one image (GL leaves the result undefined)"),
    "copy-sample-counts": (
        "gltape-rejects",
        "copy_framebuffer refuses two multisampled framebuffers of different sample counts"),
    "renderbuffer-outlives-release": (
        "gltape-accepts",
        "a released renderbuffer stays attached to the framebuffer in use (GL detaches it)"),
    "texture-outlives-release": (
        "gltape-accepts",
        "a released texture stays attached to the framebuffer in use (GL detaches it)"),
    "texture-attachment-kinds": (
        "gltape-accepts",
        "3D textures and cube maps attach (every layer at once, or one), where ModernGL "
        "refuses them"),
    "copy-into-texture-size": (
        "gltape-rejects",
        "copy_framebuffer into a texture from a smaller source is an error (ModernGL shrinks "
        "the texture to the source's size)"),
    "copy-into-texture-format": (
        "gltape-rejects",
        "copy_framebuffer into a texture not stored as 8-bit normalized values (f2, f4, nu2, "
        "ni2, an sRGB format) is an error (ModernGL redefines it as 8-bit storage)"),
    "texture-zero-size": (
        "gltape-rejects",
        "a texture of 0 pixels on a side is an error (ModernGL makes an empty texture)"),
    "texture-unit-limit": (
        "gltape-rejects",
        "texture units are 0 to 79, what GL 4.5 guarantees (ModernGL takes what the driver has)"),
    "chunk-count-zero": (
        "gltape-rejects",
        "read_chunks of 0 chunks is an error (ModernGL returns no bytes when its range checks "
        "pass for the chunk before the first)"),
    "block-binding-limit": (
        "gltape-rejects",
        "uniform block bindings are 0 to 83 and storage block bindings 0 to 7, what GL 4.5 "
        "guarantees (ModernGL takes what the driver has)"),
    "block-binding-checked": (
        "gltape-rejects",
        "a draw whose program reads a block through a binding that holds no buffer, or fewer "
        "bytes than the block, is an error (GL leaves the values read undefined)"),
    "image-unit-limit": (
        "gltape-rejects",
        "image units are 0 to 7, what GL 4.5 guarantees (ModernGL takes what the driver has)"),
    "image-level": (
        "gltape-rejects",
        "bind_to_image refuses a level that holds no image (GL binds it, and image loads and "
        "stores through it do nothing)"),
    "query-one-occlusion": (
        "gltape-accepts",
        "a query counting samples and any samples (ModernGL's `ctx.query()` counts everything) "
        "runs one GL occlusion query for both; ModernGL begins two, which GL refuses "
        "(GL_INVALID_OPERATION)"),
    "texture-missing-property": (
        "gltape-rejects",
        "setting a property ModernGL's class lacks (anisotropy of a Texture3D, repeat_x of a "
        "TextureCube, swizzle of a Sampler) is an error (Python sets a plain attribute that "
        "does nothing)"),
}

HEADER = "#version 450 core\n"

# Values per format type, cycled: edge values where the type has them.
VALUES = {
    "f1": [0, 1, 127, 128, 200, 255, 3, 64, 90, 250, 17, 33],
    "f2": [1.5, -2.0, 0.25, 65504.0, -0.0, 3.0, 0.1, -1000.0, 7.0, 0.5, -0.75, 12.0],
    "f4": [1.5, -7.0, 300.25, 1e10, -0.5, 2.0, 0.1, -1e-3, 7.0, 16777217.0, -3.25, 42.0],
    "f8": [1.5, -7.0, 300.25, 1e10, -0.5, 2.0, 0.1, -1e-3, 7.0, 16777217.0, -3.25, 1e300],
    "i1": [1, -7, 100, -128, 127, 0, -1, 5, 64, -64, 3, -3],
    "i2": [1, -7, 300, -32768, 32767, 0, -1, 5, 1000, -1000, 3, -3],
    "i4": [1, -7, 300, -2**31, 2**31 - 1, 0, -1, 5, 123456789, -123456789, 16777217, -3],
    "u1": [1, 7, 200, 255, 0, 128, 5, 64, 90, 250, 17, 33],
    "u2": [1, 7, 300, 65535, 0, 32768, 5, 64, 1000, 250, 17, 33],
    "u4": [1, 7, 300, 4000000000, 0, 2**31, 5, 64, 16777217, 250, 17, 2**32 - 1],
}
PACK = {"f1": "B", "f2": "e", "f4": "f", "f8": "d", "i1": "b", "i2": "h", "i4": "i",
        "u1": "B", "u2": "H", "u4": "I"}


def pack(kind, values):
    return struct.pack("<%d%s" % (len(values), PACK[kind]), *values)


def values(kind, count, offset=0):
    table = VALUES[kind]
    return [table[(offset + i) % len(table)] for i in range(count)]


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def vec_type(scalar, n):
    """GLSL type of n components of scalar kind float/int/uint/double/bool."""
    prefix = {"float": "", "int": "i", "uint": "u", "double": "d", "bool": "b"}[scalar]
    return scalar if n == 1 else "%svec%d" % (prefix, n)


def widen(expr, n, ctor):
    """`ctor(expr, 0, ...)`: n components padded to 4."""
    return "%s(%s%s)" % (ctor, expr, ", 0" * (4 - n))


OUT_TYPE = {"float": "vec4", "double": "vec4", "int": "ivec4", "uint": "uvec4"}


def capture_program(ctx, inputs, outputs, extra="", mode="interleaved"):
    """A transform program: `inputs` are GLSL declarations, `outputs` (name, type, expr)."""
    vs = HEADER + extra
    vs += "".join("in %s;\n" % d for d in inputs)
    vs += "".join("out %s %s;\n" % (t, n) for n, t, _ in outputs)
    vs += "void main() {\n" + "".join("  %s = %s;\n" % (n, e) for n, _, e in outputs) + "}\n"
    return ctx.program(vertex_shader=vs, varyings=[n for n, _, _ in outputs],
                       varyings_capture_mode=mode)


# --- buffers ----------------------------------------------------------------------------

def buffer_scenes():
    data = bytes(range(1, 17))
    sizes = [1, 3, 4, 16]
    for size in sizes:
        for dynamic in (False, True):
            def s(ctx, size=size, dynamic=dynamic):
                ctx.buffer(data[:size], dynamic=dynamic).read()
            yield "buffer/data-%d%s" % (size, "-dynamic" if dynamic else ""), s, None
    for reserve in (0, 1, 7, 64):
        def s(ctx, reserve=reserve):
            ctx.buffer(reserve=reserve).read()
        yield "buffer/reserve-%d" % reserve, s, None
    yield "buffer/empty-data", lambda ctx: ctx.buffer(b"").read(), None
    # write: every offset near the edges with every length near the edges
    for offset, length in itertools.product((0, 1, 15, 16, 17), (0, 1, 2, 16, 17)):
        def s(ctx, offset=offset, length=length):
            b = ctx.buffer(data)
            b.write(bytes([0xA0 + i % 16 for i in range(length)]), offset=offset)
            b.read()
        yield "buffer/write-%d-at-%d" % (length, offset), s, None
    # read: size -1 or given, offsets near the edges
    for size, offset in itertools.product((-1, 0, 1, 15, 16, 17), (0, 1, 15, 16, 17)):
        def s(ctx, size=size, offset=offset):
            ctx.buffer(data).read(size=size, offset=offset)
        empty = (16 - offset if size == -1 else size) == 0 and offset <= 16
        yield "buffer/read-%s-at-%d" % (size, offset), s, "zero-size-access" if empty else None
    # clear: size, offset and chunk
    for size, offset, chunk in itertools.product(
            (-1, 0, 4, 8, 16, 17), (0, 4, 8, 16), (None, b"\xab", b"\x01\x02", b"\xa1\xa2\xa3")):
        def s(ctx, size=size, offset=offset, chunk=chunk):
            b = ctx.buffer(data)
            b.clear(size, offset, chunk)
            b.read()
        empty = (16 - offset if size == -1 else size) == 0
        yield "buffer/clear-%s-at-%d-chunk-%s" % (
            size, offset, chunk.hex() if chunk else "none"), s, (
                "zero-size-access" if empty else None)
    # orphan: same size, smaller, larger; then a full write (contents are undefined before)
    for size in (-1, 1, 8, 16, 32):
        def s(ctx, size=size):
            b = ctx.buffer(data)
            b.orphan(size)
            n = 16 if size == -1 else size
            b.write(bytes(range(100, 100 + n)))
            b.read()
        yield "buffer/orphan-%s" % size, s, None
    yield "buffer/orphan-0", lambda ctx: ctx.buffer(data).orphan(0), "zero-size-orphan"
    # copy_buffer between two buffers and within one
    for size, ro, wo in itertools.product((-1, 1, 8, 16, 17), (0, 8, 16), (0, 8, 16)):
        def s(ctx, size=size, ro=ro, wo=wo):
            src = ctx.buffer(data)
            dst = ctx.buffer(reserve=16)
            ctx.copy_buffer(dst, src, size, ro, wo)
            dst.read()
        yield "buffer/copy-%s-from-%d-to-%d" % (size, ro, wo), s, None
    for size, ro, wo in ((4, 0, 8), (8, 0, 8), (8, 0, 4), (4, 12, 0), (1, 15, 0)):
        def s(ctx, size=size, ro=ro, wo=wo):
            b = ctx.buffer(data)
            ctx.copy_buffer(b, b, size, ro, wo)
            b.read()
        yield "buffer/copy-self-%d-from-%d-to-%d" % (size, ro, wo), s, None
    def released(ctx):
        b = ctx.buffer(data)
        b.release()
        ctx.buffer(data[:4]).read()
    yield "buffer/release-then-new", released, None


# --- vertex formats x shader input types (issue 12, item 1) -----------------------------

def format_scenes():
    for kind, count, scalar in itertools.product(
            ["f1", "f2", "f4", "f8", "i1", "i2", "i4", "u1", "u2", "u4"], (1, 2, 3, 4),
            ["float", "int", "uint", "double"]):
        def s(ctx, kind=kind, count=count, scalar=scalar):
            prog = capture_program(
                ctx, ["%s a" % vec_type(scalar, count)],
                [("o", OUT_TYPE[scalar], widen("a", count, OUT_TYPE[scalar]))])
            vbo = ctx.buffer(pack(kind, values(kind, 3 * count)))
            out = ctx.buffer(reserve=48)
            vao = ctx.vertex_array(prog, [(vbo, "%d%s" % (count, kind), "a")])
            vao.transform([out], "points", 3)
            out.read()
        yield "format/%d%s-into-%s" % (count, kind, vec_type(scalar, count)), s, None


# --- matrices and arrays (item 2) -------------------------------------------------------

def matrix_scenes():
    shapes = [(2, 2), (3, 3), (4, 4), (2, 3), (2, 4), (3, 2), (3, 4), (4, 2), (4, 3)]
    for (cols, rows), double in itertools.product(shapes, (False, True)):
        glsl = ("dmat" if double else "mat") + (
            str(cols) if cols == rows else "%dx%d" % (cols, rows))
        kind = "f8" if double else "f4"
        outs = [("o%d" % c, "vec4", widen("vec%d(m[%d])" % (rows, c), rows, "vec4"))
                for c in range(cols)]
        forms = {"one-field": "%d%s" % (cols * rows, kind),
                 "per-column": " ".join(["%d%s" % (rows, kind)] * cols)}
        for form, fmt in forms.items():
            names = ["m"] * len(fmt.split())
            def s(ctx, fmt=fmt, names=names, outs=outs, glsl=glsl, kind=kind, cols=cols,
                  rows=rows):
                prog = capture_program(ctx, ["%s m" % glsl], outs)
                vbo = ctx.buffer(pack(kind, values("f4", 2 * cols * rows)))
                out = ctx.buffer(reserve=2 * 16 * cols)
                vao = ctx.vertex_array(prog, [(vbo, fmt, *names)])
                vao.transform([out], "points", 2)
                out.read()
            uneven = form == "per-column" and rows % cols != 0 and rows > cols
            yield "matrix/%s-%s" % (glsl, form), s, (
                "attribute-uneven-split" if uneven else None)
    arrays = [("float", 1, 3, "f"), ("vec2", 2, 2, "f"), ("vec3", 3, 2, "f"),
              ("vec4", 4, 2, "f"), ("ivec2", 2, 2, "i"), ("uint", 1, 2, "u"),
              ("mat2", 4, 2, "f")]
    for glsl, dim, length, letter in arrays:
        scalar = {"f": "float", "i": "int", "u": "uint"}[letter]
        out_t = OUT_TYPE[scalar]
        if glsl == "mat2":
            outs = [("o%d" % k, "vec4", "vec4(v[%d][0], v[%d][1])" % (k, k))
                    for k in range(length)]
        else:
            outs = [("o%d" % k, out_t, widen("v[%d]" % k, dim, out_t)) for k in range(length)]
        kind = letter + "4"
        def s(ctx, glsl=glsl, dim=dim, length=length, kind=kind, outs=outs, letter=letter):
            prog = capture_program(ctx, ["%s v[%d]" % (glsl, length)], outs)
            vbo = ctx.buffer(pack(kind, values(kind, 2 * dim * length)))
            out = ctx.buffer(reserve=2 * 16 * length)
            vao = ctx.vertex_array(prog, [(vbo, "%d%s" % (dim * length, letter), "v")])
            vao.transform([out], "points", 2)
            out.read()
        yield "array/%s[%d]" % (glsl, length), s, None
    def per_instance(ctx):
        prog = capture_program(ctx, ["mat2 m"], [
            ("o", "vec4", "vec4(m[0], m[1])")])
        vbo = ctx.buffer(f32(values("f4", 8)))
        out = ctx.buffer(reserve=3 * 2 * 16)
        vao = ctx.vertex_array(prog, [(vbo, "4f/i", "m")])
        vao.transform([out], "points", 3, instances=2)
        out.read()
    yield "matrix/mat2-per-instance", per_instance, None


# --- attribute names (item 4) -----------------------------------------------------------

def name_scenes():
    def make(names, skip_errors, fmt="2f"):
        def s(ctx):
            prog = capture_program(ctx, ["vec2 a", "float unused"],
                                   [("o", "vec4", "vec4(a, 0, 1)")])
            vbo = ctx.buffer(f32(values("f4", 3 * 3)))
            out = ctx.buffer(reserve=48)
            vao = ctx.vertex_array(prog, [(vbo, fmt, *names)], skip_errors=skip_errors)
            vao.transform([out], "points", 3)
            out.read()
        return s
    for skip in (False, True):
        tag = "-skip-errors" if skip else ""
        yield "names/known" + tag, make(["a"], skip), None
        yield "names/missing" + tag, make(["nope"], skip), None
        yield "names/optimised-away" + tag, make(["a", "unused"], skip, "2f f"), None
        yield "names/missing-beside-known" + tag, make(["a", "nope"], skip, "2f f"), None


# --- format grammar and divisors (item 6) -----------------------------------------------

def grammar_scenes():
    # (format, attribute names, instances): every attribute is a float or vec2 input.
    cases = [
        ("f/i", ["a"]), ("3f4/i", ["c"]), ("2f 3f/r", ["b", "c"]), ("2f /i", ["b"]),
        ("2f/v", ["b"]), ("2f4 /r", ["b"]), ("f 4x 2f", ["a", "b"]), ("f x4 2f /i", ["a", "b"]),
        ("2f2 x2 f", ["b", "a"]), ("f1 3x f", ["a", "a2"]), ("2f  f", ["b", "a"]),
        (" 2f", ["b"]), ("2f ", ["b"]), ("2f/i ", ["b"]), ("2f/x", ["b"]), ("2f /i /v", ["b"]),
        ("/i 2f", ["b"]), ("2f 3", ["b"]), ("f3", ["a"]), ("2f4z", ["b"]), ("2q", ["b"]),
        ("", []), ("4x", []), ("2f f", ["b"]), ("f", ["a", "b"]), ("0f", ["a"]),
        ("2f\t1f", ["b", "a"]), ("2f /i\n", ["b"]), ("3x2 f", ["a"]), ("2x8 f", ["a"]),
    ]
    differences = {"0f": "format-zero-count", "2f\t1f": "format-whitespace",
                   "2f /i\n": "format-whitespace", "2f/i ": "format-whitespace",
                   "2f ": None}
    for fmt, names in cases:
        def s(ctx, fmt=fmt, names=names):
            prog = capture_program(
                ctx, ["float a", "float a2", "vec2 b", "vec3 c"],
                [("o", "vec4", "vec4(a + a2, b.x, b.y, c.x + c.y + c.z)")])
            vbo = ctx.buffer(f32(values("f4", 64)))
            out = ctx.buffer(reserve=4 * 16)
            vao = ctx.vertex_array(prog, [(vbo, fmt, *names)])
            vao.transform([out], "points", 2, instances=2)
            out.read()
        yield "grammar/%r" % fmt, s, differences.get(fmt)
    # divisors: a per-vertex, a per-instance and a per-render buffer together
    for usage_a, usage_b, instances in itertools.product(("", "/i", "/r"), ("", "/i", "/r"),
                                                         (1, 3)):
        def s(ctx, usage_a=usage_a, usage_b=usage_b, instances=instances):
            prog = capture_program(ctx, ["float a", "vec2 b"], [
                ("o", "vec4", "vec4(a, b, gl_InstanceID)")])
            va = ctx.buffer(f32(values("f4", 4)))
            vb = ctx.buffer(f32(values("f4", 8, 3)))
            out = ctx.buffer(reserve=4 * 3 * 16)
            vao = ctx.vertex_array(prog, [(va, "f" + usage_a, "a"), (vb, "2f" + usage_b, "b")])
            vao.transform([out], "points", 3, instances=instances)
            out.read()
        yield "divisor/a%s-b%s-x%d" % (usage_a or "/v", usage_b or "/v", instances), s, None


# --- draws into pixels ------------------------------------------------------------------

POSITIONS = [(-0.8, -0.8), (0.8, -0.6), (-0.6, 0.7), (0.7, 0.8), (0.0, -0.1), (-0.9, 0.1),
             (0.4, 0.3), (-0.2, 0.9)]
DRAW_VS = HEADER + "in vec2 pos;\nout vec3 color;\nvoid main() {\n" \
    "  gl_Position = vec4(pos, 0, 1);\n" \
    "  color = vec3(float(gl_VertexID % 3 == 0), float(gl_VertexID % 3 == 1), 0.5);\n}\n"
DRAW_FS = HEADER + "in vec3 color;\nout vec4 frag;\nvoid main() { frag = vec4(color, 1); }\n"


def draw_scene(mode, first=0, index=None, vertices=-1, instances=1, restart=False,
               positions=POSITIONS):
    def s(ctx):
        prog = ctx.program(vertex_shader=DRAW_VS, fragment_shader=DRAW_FS)
        vbo = ctx.buffer(f32([c for p in positions for c in p]))
        ibo = None
        if index is not None:
            order = [7, 0, 1, 2, 3, 4, 5, 6, 7, 1, 0]
            if restart:
                order[4] = (1 << (8 * index)) - 1
            ibo = ctx.buffer(struct.pack("<%d%s" % (len(order), "BHxI"[index - 1]), *order))
        fbo = ctx.framebuffer((8, 8))
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
        vao = ctx.vertex_array(prog, [(vbo, "2f", "pos")], ibo, index or 4)
        vao.render(mode, vertices, first=first, instances=instances)
        fbo.read(components=4)
    return s


def draw_scenes():
    for mode, first, index in itertools.product(MODES, (0, 2), (None, 1, 2, 4)):
        vertices = 6 if index is None else 8
        yield "draw/%s-first-%d-index-%s" % (mode, first, index or "none"), draw_scene(
            mode, first, index, vertices - first if index is None else vertices), None
    yield "draw/default-count", draw_scene("triangles"), None
    yield "draw/default-count-indexed", draw_scene("triangles", index=2), None
    yield "draw/instances", draw_scene("triangles", vertices=3, instances=4), None
    yield "draw/restart-u4", draw_scene("triangle_strip", index=4, vertices=11,
                                        restart=True), None
    yield "draw/past-the-end", draw_scene("points", vertices=9), "record-time-bounds"
    # Primitive restart is on at 0xFFFFFFFF in a new context: a 4-byte index of that value is
    # skipped, 2-byte indices never restart.
    for index, order in ((4, [0, 0xFFFFFFFF, 3, 1]), (4, [2, 1, 0xFFFFFFFF, 0xFFFFFFFF]),
                         (2, [0, 3, 2, 1]), (1, [3, 0, 1])):
        def restart(ctx, index=index, order=order):
            prog = capture_program(ctx, ["float a"], [("o", "float", "a")])
            vbo = ctx.buffer(f32([10, 11, 12, 13]))
            ibo = ctx.buffer(struct.pack("<%d%s" % (len(order), "BHxI"[index - 1]), *order))
            out = ctx.buffer(f32([-1.0] * len(order)))
            vao = ctx.vertex_array(prog, [(vbo, "f", "a")], ibo, index)
            vao.transform([out], "points", len(order))
            out.read()
        yield "draw/restart-default-u%d-%s" % (index, "-".join(map(str, order))), restart, None

    def orphaned(ctx):
        prog = capture_program(ctx, ["float a"], [("o", "float", "a")])
        vbo = ctx.buffer(f32([1, 2, 3]))
        out = ctx.buffer(reserve=24)
        vao = ctx.vertex_array(prog, [(vbo, "f", "a")])
        vbo.orphan(24)
        vbo.write(f32([4, 5, 6, 7, 8, 9]))
        vao.transform([out], "points")
        out.read()
    yield "draw/default-count-after-orphan", orphaned, "draw-time-vertex-count"

    def states(ctx, cap):
        prog = ctx.program(vertex_shader=HEADER + "in vec3 pos;\nvoid main() {"
                           " gl_Position = vec4(pos, 1); }\n",
                           fragment_shader=HEADER + "uniform vec4 color;\nout vec4 frag;\n"
                           "void main() { frag = color; }\n")
        tri = [-1, -1, 0.5, 1, -1, 0.5, 0, 1, 0.5, -1, 1, -0.5, 1, 1, -0.5, 0, -1, -0.5]
        vbo = ctx.buffer(f32(tri))
        fbo = ctx.framebuffer((4, 4), depth=True)
        fbo.use()
        fbo.clear(color=(0.2, 0.2, 0.2, 0.5))
        ctx.enable(cap)
        vao = ctx.vertex_array(prog, [(vbo, "3f", "pos")])
        ctx.uniform(prog, "color", "vec4", [1, 0, 0, 0.5])
        vao.render("triangles", 3)
        ctx.uniform(prog, "color", "vec4", [0, 1, 0, 0.5])
        vao.render("triangles", 3, first=3)
        ctx.disable(cap)
        fbo.read(components=4)
    for cap in ("depth_test", "cull_face", "blend"):
        yield "state/" + cap, lambda ctx, cap=cap: states(ctx, cap), None

    def runs(ctx):
        # Runs of draws of one vertex array with writes and uniforms between them (replay
        # checks and binds once per run), broken by another vertex array, a framebuffer switch
        # with a clear, and an orphan to fewer vertices.
        prog = ctx.program(vertex_shader=HEADER + "in vec2 pos;\nvoid main() {"
                           " gl_Position = vec4(pos, 0, 1); }\n",
                           fragment_shader=HEADER + "uniform vec4 color;\nout vec4 frag;\n"
                           "void main() { frag = color; }\n")
        vbo = ctx.buffer(reserve=48)
        other = ctx.buffer(f32([-1, 0.5, 1, 0.5, 0, 1]))
        vao = ctx.vertex_array(prog, [(vbo, "2f", "pos")])
        top = ctx.vertex_array(prog, [(other, "2f", "pos")])
        a = ctx.framebuffer((8, 8))
        b = ctx.framebuffer((8, 8))
        a.use()
        a.clear(color=(0.0, 0.0, 0.0, 1.0))
        for i in range(8):
            x = -1 + i * 0.25
            vbo.write(f32([x, -1, x + 0.25, -1, x, 0.5, x, -1, x + 0.25, 0.5, x, 0.5]))
            ctx.uniform(prog, "color", "vec4", [i / 8, 1 - i / 8, 0.5, 1])
            vao.render("triangles", 3)
            if i == 5:
                top.render("triangles")
                b.use()
                b.clear(color=(0.0, 0.0, 1.0, 1.0))
        vbo.orphan(24)
        vbo.write(f32([-1, -1, 1, -1, -1, 1]))
        vao.render("triangles")
        a.read(components=4)
        b.read(components=4)
    yield "draw/runs-of-draws-with-writes-and-switches", runs, None

    def framebuffer(ctx, colors, reads):
        prog = ctx.program(vertex_shader=DRAW_VS, fragment_shader=DRAW_FS)
        vbo = ctx.buffer(f32([c for p in POSITIONS for c in p]))
        fbo = ctx.framebuffer((8, 8), colors=colors)
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 1.0, 1.0))
        fbo.clear(color=(1.0, 0.0, 0.0, 1.0), viewport=(2, 2, 3, 3))
        fbo.set_viewport((0, 0, 4, 8))
        ctx.vertex_array(prog, [(vbo, "2f", "pos")]).render("triangles", 6)
        for read in reads:
            fbo.read(**read)
    yield "framebuffer/viewport-clear-read", lambda ctx: framebuffer(ctx, ("rgba8",), [
        dict(components=3), dict(viewport=(1, 1, 5, 5), components=1),
        dict(components=2, dtype="f4")]), None
    yield "framebuffer/rgba32f", lambda ctx: framebuffer(ctx, ("rgba32f",), [
        dict(components=4, dtype="f4"), dict(components=4)]), None
    for color in ("rgba8", "rgba32f"):
        for dtype in ("f1", "f2", "f4", "nu1", "nu2", "ni1", "ni2"):
            yield "framebuffer/read-%s-as-%s" % (color, dtype), lambda ctx, c=color, d=dtype: (
                framebuffer(ctx, (c,), [dict(components=4, dtype=d),
                                        dict(viewport=(1, 2, 3, 2), components=3, dtype=d)])), None
        yield "framebuffer/read-%s-as-u1" % color, lambda ctx, c=color: framebuffer(
            ctx, (c,), [dict(components=4, dtype="u1")]), None
    yield "framebuffer/unwritten-attachment", lambda ctx: framebuffer(
        ctx, ("rgba8", "rgba32f"), [dict(components=4, attachment=1, dtype="f4")]), (
            "unwritten-draw-buffers")


# --- transform: varyings, buffer_offset, geometry shaders (item 5) ----------------------

def transform_scenes():
    outs = [("x", "float", "a"), ("y", "vec2", "vec2(a, -a)"), ("z", "ivec3", "ivec3(a, 2, 3)")]
    for mode, n in itertools.product(("interleaved", "separate"), (1, 2, 3)):
        for offset in (0, 4, 8, 6, 100):
            def s(ctx, mode=mode, n=n, offset=offset):
                prog = capture_program(ctx, ["float a"], outs[:n], mode=mode)
                vbo = ctx.buffer(f32([1.5, 2.5, 3.5]))
                count = 1 if mode == "interleaved" else n
                targets = [ctx.buffer(reserve=3 * 24 + 8) for _ in range(count)]
                vao = ctx.vertex_array(prog, [(vbo, "f", "a")])
                vao.transform(targets, "points", buffer_offset=offset)
                for t in targets:
                    t.read()
            yield "transform/%s-%d-offset-%d" % (mode, n, offset), s, None
    for mode in ("lines", "line_strip", "line_loop", "triangles", "triangle_strip",
                 "triangle_fan"):
        def s(ctx, mode=mode):
            prog = capture_program(ctx, ["float a"], [("x", "float", "a")])
            vbo = ctx.buffer(f32([1, 2, 3, 4, 5]))
            out = ctx.buffer(reserve=4 * 12)
            ctx.vertex_array(prog, [(vbo, "f", "a")]).transform([out], mode)
            out.read()
        yield "transform/mode-" + mode, s, None
    gs_cases = [
        ("points", "triangle_strip", 4, 3, 52),   # the issue's 48 bytes into 52
        ("points", "triangle_strip", 4, 3, 36),   # more than fits: GL bounds the writes
        ("points", "points", 2, 2, 64),
        ("lines", "line_strip", 3, 3, 64),
        ("triangles", "triangle_strip", 3, 3, 64),
    ]
    for prim_in, prim_out, max_vertices, emitted, size in gs_cases:
        def s(ctx, prim_in=prim_in, prim_out=prim_out, max_vertices=max_vertices,
              emitted=emitted, size=size):
            vs = HEADER + "in float a;\nout float va;\nvoid main() { va = a; }\n"
            gs = HEADER + "layout(%s) in;\nlayout(%s, max_vertices = %d) out;\n" \
                "in float va[];\nout float x;\nvoid main() {\n" \
                "  for (int i = 0; i < %d; ++i) { x = va[0] * 10.0 + float(i); EmitVertex(); }\n" \
                "}\n" % (prim_in, prim_out, max_vertices, emitted)
            prog = ctx.program(vertex_shader=vs, geometry_shader=gs, varyings=["x"])
            vbo = ctx.buffer(f32([1, 2, 3, 4, 5, 6]))
            out = ctx.buffer(reserve=size)
            vao = ctx.vertex_array(prog, [(vbo, "f", "a")])
            n = {"points": 1, "lines": 2, "triangles": 3}[prim_in]
            vao.transform([out], prim_in, n)
            out.read()
        yield "geometry/%s-to-%s-%d-into-%d" % (prim_in, prim_out, emitted, size), s, None

    def gs_render(ctx):
        vs = HEADER + "in vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0, 1); }\n"
        gs = HEADER + "layout(points) in;\nlayout(triangle_strip, max_vertices = 3) out;\n" \
            "void main() {\n  vec4 p = gl_in[0].gl_Position;\n" \
            "  gl_Position = p; EmitVertex();\n" \
            "  gl_Position = p + vec4(0.5, 0, 0, 0); EmitVertex();\n" \
            "  gl_Position = p + vec4(0, 0.5, 0, 0); EmitVertex();\n}\n"
        fs = HEADER + "out vec4 frag;\nvoid main() { frag = vec4(1, 0.5, 0, 1); }\n"
        prog = ctx.program(vertex_shader=vs, fragment_shader=fs, geometry_shader=gs)
        vbo = ctx.buffer(f32([c for p in POSITIONS[:4] for c in p]))
        fbo = ctx.framebuffer((8, 8))
        fbo.use()
        fbo.clear()
        ctx.vertex_array(prog, [(vbo, "2f", "pos")]).render("points")
        fbo.read()
    yield "geometry/render-points-to-triangles", gs_render, None


# --- uniforms (item 7) ------------------------------------------------------------------

def uniform_scenes():
    types = ["float", "vec2", "vec3", "vec4", "int", "ivec2", "ivec3", "ivec4", "uint",
             "uvec2", "uvec3", "uvec4", "bool", "bvec2", "bvec3", "bvec4", "double", "dvec2",
             "dvec3", "dvec4", "mat2", "mat3", "mat4", "mat2x3", "mat2x4", "mat3x2", "mat3x4",
             "mat4x2", "mat4x3", "dmat2", "dmat3", "dmat4", "dmat2x3", "dmat2x4", "dmat3x2",
             "dmat3x4", "dmat4x2", "dmat4x3"]
    for glsl, length in itertools.product(types, (1, 2)):
        base = glsl.lstrip("d") if glsl.startswith("dmat") or glsl.startswith("dvec") else glsl
        matrix = "mat" in glsl
        if matrix:
            dims = base[3:]
            cols, rows = (int(dims), int(dims)) if "x" not in dims else map(int, dims.split("x"))
        else:
            cols, rows = 1, int(base[-1]) if base[-1].isdigit() else 1
        scalar = ("double" if glsl.startswith("d") else
                  {"i": "int", "u": "uint", "b": "bool"}.get(glsl[0], "float"))
        if glsl in ("int", "uint", "bool"):
            scalar = glsl
        out_t = {"bool": "int", "double": "float"}.get(scalar, scalar)
        ctor = OUT_TYPE[out_t]
        element = "u[%d]" if length > 1 else "u%s"
        outs = []
        for k in range(length):
            ref = element % k if length > 1 else "u"
            for c in range(cols):
                col = "%s[%d]" % (ref, c) if matrix else ref
                outs.append(("o%d_%d" % (k, c), ctor, widen(
                    "%s(%s)" % (vec_type(out_t, rows), col), rows, ctor)))
        decl = "uniform %s u%s;\n" % (glsl, "[%d]" % length if length > 1 else "")
        n = cols * rows * length
        vals = {"float": [1.5, -2.25, 3e5, 0.1] * 16, "double": [1.5, -2.25, 3e5, 0.1] * 16,
                "int": [7, -9, 2**31 - 1, -2**31] * 16, "uint": [7, 9, 2**32 - 1, 0] * 16,
                "bool": [1, 0, 0, 1] * 16}[scalar][:n]
        vals = [v + i if scalar != "bool" else v for i, v in enumerate(vals)]
        def s(ctx, decl=decl, outs=outs, glsl=glsl, vals=vals):
            prog = capture_program(ctx, [], outs, extra=decl)
            ctx.uniform(prog, "u", glsl, vals)
            out = ctx.buffer(reserve=16 * len(outs))
            ctx.vertex_array(prog, []).transform([out], "points", 1)
            out.read()
        yield "uniform/%s%s" % (glsl, "[%d]" % length if length > 1 else ""), s, None

    def sampler(ctx):
        fs_decl = "uniform sampler2D tex;\nuniform int pick;\n"
        prog = capture_program(ctx, [], [("o", "vec4", "vec4(textureSize(tex, 0), pick, 1)")],
                               extra=fs_decl)
        ctx.uniform(prog, "tex", "int", [3])
        ctx.uniform(prog, "pick", "int", [5])
        out = ctx.buffer(reserve=16)
        ctx.vertex_array(prog, []).transform([out], "points", 1)
        out.read()
    yield "uniform/sampler2D-unit", sampler, None

    def wrong(glsl, given, name="u"):
        def s(ctx):
            prog = capture_program(ctx, [], [("o", "vec4", "vec4(u)")],
                                   extra="uniform %s u;\n" % glsl)
            ctx.uniform(prog, name, given, [1.0] * {"vec4": 4, "vec3": 3, "float": 1}[given])
            out = ctx.buffer(reserve=16)
            ctx.vertex_array(prog, []).transform([out], "points", 1)
            out.read()
        return s
    yield "uniform/wrong-size", wrong("vec4", "vec3"), None
    yield "uniform/missing-name", wrong("vec4", "vec4", "v"), None

    # Every bit of a double reaches the shader: each component comes back as its two words.
    doubles = [0.1, 1e300, -2.0 ** -1022 * 3, 1 / 3, 2.0 ** 53 + 2, -7.25, 1e-300, 123456.789]
    for glsl, n in (("double", 1), ("dvec2", 2), ("dvec4", 4)):
        for length in (1, 2):
            def bits(ctx, glsl=glsl, n=n, length=length):
                ref = (lambda k: "u[%d]" % k) if length > 1 else (lambda k: "u")
                comps = (lambda r: [r]) if n == 1 else (lambda r: ["%s[%d]" % (r, c)
                                                                   for c in range(n)])
                outs = [("o%d_%d" % (k, c), "uvec4",
                         "uvec4(unpackDouble2x32(%s), 0, 0)" % comp)
                        for k in range(length) for c, comp in enumerate(comps(ref(k)))]
                decl = "uniform %s u%s;\n" % (glsl, "[%d]" % length if length > 1 else "")
                prog = capture_program(ctx, [], outs, extra=decl)
                ctx.uniform(prog, "u", glsl, doubles[:n * length])
                out = ctx.buffer(reserve=16 * len(outs))
                ctx.vertex_array(prog, []).transform([out], "points", 1)
                out.read()
            yield "uniform/%s%s-exact-bits" % (glsl, "[2]" if length > 1 else ""), bits, None

    # A bool is any int, true when not 0, as ModernGL writes it.
    def bools(ctx):
        prog = capture_program(ctx, [], [("o", "ivec4", "ivec4(u)")],
                               extra="uniform bvec4 u;\n")
        ctx.uniform(prog, "u", "bvec4", [-7, 0, 2, 2 ** 31 - 1])
        out = ctx.buffer(reserve=16)
        ctx.vertex_array(prog, []).transform([out], "points", 1)
        out.read()
    yield "uniform/bvec4-any-int", bools, None


# --- pipeline state (issue 13, item 4) --------------------------------------------------

# Positions are pixels of an 8x8 target (and a depth in NDC); the color is a uniform.
PIPE_VS = HEADER + "in vec3 pos;\n" \
    "void main() { gl_Position = vec4(pos.xy / 4.0 - 1.0, pos.z, 1.0); }\n"
PIPE_FS = HEADER + "uniform vec4 color;\nout vec4 frag;\nvoid main() { frag = color; }\n"
POINT_VS = HEADER + "in vec3 pos;\nvoid main() {\n" \
    "  gl_Position = vec4(pos.xy / 4.0 - 1.0, pos.z, 1.0);\n  gl_PointSize = 5.0;\n}\n"
TWO_FS = HEADER + "uniform vec4 color;\nlayout(location = 0) out vec4 a;\n" \
    "layout(location = 1) out vec4 b;\nvoid main() { a = color; b = color.bgra; }\n"

BLEND_FACTORS = ["zero", "one", "src_color", "one_minus_src_color", "src_alpha",
                 "one_minus_src_alpha", "dst_alpha", "one_minus_dst_alpha", "dst_color",
                 "one_minus_dst_color"]
BLEND_EQUATIONS = ["func_add", "func_subtract", "func_reverse_subtract", "min", "max"]
DEPTH_FUNCS = ["<", "<=", "==", ">=", ">", "!=", "0", "1"]


def quad(x0, y0, x1, y1, z=0.0, clockwise=False):
    """The two triangles of a rectangle of pixels, counter-clockwise unless `clockwise`."""
    v = [(x0, y0, z), (x1, y0, z), (x0, y1, z), (x1, y0, z), (x1, y1, z), (x0, y1, z)]
    if clockwise:
        v[1], v[2], v[4], v[5] = v[2], v[1], v[5], v[4]
    return [c for p in v for c in p]


class Pipe:
    """An 8x8 framebuffer in use, cleared, and a flat-color program to draw shapes with."""

    def __init__(self, ctx, colors=("rgba8",), depth=False, clear=(0.0, 0.0, 0.5, 1.0),
                 depth_value=1.0, fs=PIPE_FS):
        self.ctx = ctx
        self.prog = ctx.program(vertex_shader=PIPE_VS, fragment_shader=fs)
        self.fbo = ctx.framebuffer((8, 8), colors=colors, depth=depth)
        self.fbo.use()
        self.fbo.clear(color=clear, depth=depth_value)

    def draw(self, vertices, color=(1.0, 0.0, 0.0, 1.0), mode="triangles", prog=None):
        prog = prog or self.prog
        self.ctx.uniform(prog, "color", "vec4", color)
        vbo = self.ctx.buffer(f32(vertices))
        self.ctx.vertex_array(prog, [(vbo, "3f", "pos")]).render(mode)

    def fill(self, x0, y0, x1, y1, z=0.0, color=(1.0, 0.0, 0.0, 1.0), clockwise=False):
        self.draw(quad(x0, y0, x1, y1, z, clockwise), color)

    def read(self, dtype="f1", attachment=0):
        self.fbo.read(components=4, dtype=dtype, attachment=attachment)


BLEND_SRC = (0.25, 0.5, 0.75, 0.25)
BLEND_DST = (0.5, 0.25, 1.0, 0.75)


def blend_scenes():
    for fmt, dtype in (("rgba8", "f1"), ("rgba32f", "f4")):
        # Each source factor with every destination factor, one pixel each.
        for src in BLEND_FACTORS:
            def s(ctx, fmt=fmt, dtype=dtype, src=src):
                p = Pipe(ctx, colors=(fmt,), clear=BLEND_DST)
                ctx.enable("blend")
                for i, dst in enumerate(BLEND_FACTORS):
                    ctx.blend_func(src, dst)
                    p.fill(i % 8, i // 8, i % 8 + 1, i // 8 + 1, color=BLEND_SRC)
                p.read(dtype)
            yield "blend/%s-%s" % (fmt, src), s, None
        # Color and alpha apart: every pair of equations, with factors that tell them apart.
        for rgb in BLEND_EQUATIONS:
            def s(ctx, fmt=fmt, dtype=dtype, rgb=rgb):
                p = Pipe(ctx, colors=(fmt,), clear=BLEND_DST)
                ctx.enable("blend")
                ctx.blend_func("one", "dst_color", "src_alpha", "one_minus_dst_alpha")
                for i, alpha in enumerate(BLEND_EQUATIONS):
                    ctx.blend_equation(rgb, alpha)
                    p.fill(i, 0, i + 1, 1, color=BLEND_SRC)
                ctx.blend_equation(rgb)
                p.fill(0, 1, 8, 2, color=BLEND_SRC)
                p.read(dtype)
            yield "blend/%s-equation-%s" % (fmt, rgb), s, None

    def default(ctx):
        p = Pipe(ctx, clear=BLEND_DST)
        p.fill(0, 0, 4, 8, color=BLEND_SRC)
        ctx.enable("blend")
        p.fill(4, 0, 8, 8, color=BLEND_SRC)
        p.read()
    yield "blend/default-func-off-then-on", default, None


def depth_scenes():
    for func in [None] + DEPTH_FUNCS:
        def s(ctx, func=func):
            p = Pipe(ctx, depth=True, depth_value=0.5)
            ctx.enable("depth_test")
            if func is not None:
                ctx.depth_func(func)
            for i, z in enumerate((-0.5, 0.0, 0.5)):
                p.fill(i, 0, i + 1, 8, z=z, color=(0.0, 1.0, 0.0, 1.0))
            p.read()
        yield "depth/func-%s" % ("default" if func is None else func), s, None
    for mask in (True, False):
        def s(ctx, mask=mask):
            p = Pipe(ctx, depth=True)
            ctx.enable("depth_test")
            p.fbo.set_depth_mask(mask)
            p.fill(0, 0, 4, 8, z=-0.5)
            p.fill(0, 0, 8, 8, z=0.5, color=(0.0, 1.0, 0.0, 1.0))
            p.fbo.clear(color=(0.0, 0.0, 0.0, 1.0), depth=0.0)
            p.fill(0, 0, 8, 4, z=0.9, color=(0.0, 0.0, 1.0, 1.0))
            p.read()
        yield "depth/mask-%s" % mask, s, None
    offsets = [(0.0, 0.0), (0.0, -4.0), (0.0, 4.0), (-1.0, 0.0), (2.0, 1.0), (-2.0, -1.0)]
    for (factor, units), func in itertools.product(offsets, ("<", "<=")):
        def s(ctx, factor=factor, units=units, func=func):
            p = Pipe(ctx, depth=True)
            ctx.enable("depth_test")
            ctx.depth_func(func)
            flat = quad(0, 0, 4, 8)
            # A sloped quad: depth from -0.5 to 0.5 across x.
            sloped = [c for x, y in ((4, 0), (8, 0), (4, 8), (8, 0), (8, 8), (4, 8))
                      for c in (x, y, (x - 6) / 4.0)]
            p.draw(flat + sloped)
            ctx.polygon_offset(factor, units)
            p.draw(flat + sloped, color=(0.0, 1.0, 0.0, 1.0))
            p.read()
        yield "depth/polygon-offset-%g-%g-%s" % (factor, units, func), s, None
    for what, args in (("polygon_offset", (float("inf"), 0.0)),
                       ("polygon_offset", (0.0, float("nan"))), ("point_size", (float("nan"),)),
                       ("line_width", (float("inf"),))):
        def s(ctx, what=what, args=args):
            p = Pipe(ctx)
            getattr(ctx, what)(*args)
            p.fill(0, 0, 8, 8)
            p.read()
        yield "state/%s-%s" % (what, "-".join(map(str, args))), s, "non-finite-state"


def raster_scenes():
    for cull, winding in itertools.product((None, "front", "back", "front_and_back"),
                                           (None, "ccw", "cw")):
        def s(ctx, cull=cull, winding=winding):
            p = Pipe(ctx)
            if cull is not None:
                ctx.enable("cull_face")
                ctx.cull_face(cull)
            if winding is not None:
                ctx.front_face(winding)
            p.fill(0, 0, 4, 8)
            p.fill(4, 0, 8, 8, color=(0.0, 1.0, 0.0, 1.0), clockwise=True)
            p.read()
        yield "raster/cull-%s-front-%s" % (cull, winding), s, None
    for calls in ([True], [True, False], [False]):
        def s(ctx, calls=calls):
            p = Pipe(ctx)
            for i, on in enumerate(calls):
                ctx.wireframe(on)
                p.draw([1.5, 1.5, 0, 6.5, 1.5, 0, 1.5, 6.5, 0, 6.5, 1.5, 0, 6.5, 6.5, 0,
                        1.5, 6.5, 0], color=(i, 1.0, 0.0, 1.0))
            p.read()
        yield "raster/wireframe-%s" % "-".join(map(str, calls)), s, None
    for size, program in itertools.product((None, 1.0, 3.0, 4.5, 300.0), (False, True)):
        def s(ctx, size=size, program=program):
            p = Pipe(ctx)
            sized = ctx.program(vertex_shader=POINT_VS, fragment_shader=PIPE_FS)
            if size is not None:
                ctx.point_size(size)
            if program:
                ctx.enable("program_point_size")
            p.draw([4.5, 4.5, 0.0], mode="points", prog=sized)
            p.draw([1.5, 1.5, 0.0], mode="points", color=(0.0, 1.0, 0.0, 1.0))
            p.read()
        yield "raster/point-size-%s%s" % (size, "-program" if program else ""), s, None
    for width in (None, 1.0, 2.0, 3.0, 5.5):
        def s(ctx, width=width):
            p = Pipe(ctx)
            if width is not None:
                ctx.line_width(width)
            p.draw([0.0, 4.5, 0.0, 8.0, 4.5, 0.0, 1.0, 0.0, 0.0, 7.0, 8.0, 0.0], mode="lines")
            p.read()
        yield "raster/line-width-%s" % width, s, None
    for what, value in (("point_size", 0.0), ("point_size", -1.0), ("line_width", 0.0),
                        ("line_width", -2.0)):
        def s(ctx, what=what, value=value):
            Pipe(ctx)
            getattr(ctx, what)(value)
        yield "raster/%s-%g" % (what, value), s, None

    def discard(ctx):
        p = Pipe(ctx)
        ctx.enable("rasterizer_discard")
        p.fill(0, 0, 8, 8)
        p.fbo.clear(color=(0.0, 1.0, 0.0, 1.0))
        ctx.disable("rasterizer_discard")
        p.fill(0, 0, 4, 4, color=(1.0, 1.0, 0.0, 1.0))
        p.read()
    yield "raster/rasterizer-discard", discard, None

    def discard_transform(ctx):
        p = Pipe(ctx)
        ctx.enable("rasterizer_discard")
        prog = capture_program(ctx, ["float a"], [("o", "float", "a * 2.0")])
        out = ctx.buffer(reserve=8)
        ctx.vertex_array(prog, [(ctx.buffer(f32([1, 2])), "f", "a")]).transform([out])
        p.fill(0, 0, 8, 8)
        out.read()
        p.read()
    yield "raster/rasterizer-discard-kept-by-transform", discard_transform, None

    for caps in ([], ["blend"], ["depth_test", "cull_face"],
                 ["blend", "depth_test", "cull_face", "program_point_size"],
                 ["rasterizer_discard"]):
        def s(ctx, caps=caps):
            p = Pipe(ctx, depth=True, depth_value=0.25)
            for cap in ("depth_test", "cull_face", "blend", "rasterizer_discard"):
                ctx.enable(cap)
            ctx.enable_only(caps)
            p.fill(0, 0, 4, 8, color=(1.0, 0.0, 0.0, 0.5), clockwise=True)
            p.fill(4, 0, 8, 8, color=(0.0, 1.0, 0.0, 0.5))
            p.read()
        yield "raster/enable-only-%s" % ("-".join(caps) or "nothing"), s, None


def framebuffer_state_scenes():
    def scissor(ctx, clear_viewport=None, off=False, rect=(1, 2, 3, 4)):
        p = Pipe(ctx)
        ctx.scissor(rect)
        p.fill(0, 0, 8, 8)
        p.fbo.clear(color=(0.0, 1.0, 0.0, 1.0), viewport=clear_viewport)
        if off:
            ctx.scissor(None)
            p.fill(0, 0, 8, 1, color=(1.0, 1.0, 0.0, 1.0))
        p.read()
    yield "scissor/draw-and-clear", scissor, None
    yield "scissor/clear-viewport", lambda ctx: scissor(ctx, clear_viewport=(5, 5, 2, 3)), None
    yield "scissor/off-again", lambda ctx: scissor(ctx, off=True), None
    yield "scissor/past-the-edges", lambda ctx: scissor(ctx, rect=(-2, 5, 20, 20)), None
    yield "scissor/empty", lambda ctx: scissor(ctx, rect=(3, 3, 0, 2)), None

    def other(ctx):
        p = Pipe(ctx)
        second = ctx.framebuffer((8, 8))
        second.set_scissor((0, 0, 2, 2))
        p.fill(0, 0, 8, 4)
        second.use()
        second.clear(color=(0.0, 0.0, 1.0, 1.0))
        p.fill(0, 0, 8, 8, color=(0.0, 1.0, 0.0, 1.0))
        second.read()
        p.fbo.use()
        p.fill(0, 6, 8, 8, color=(1.0, 1.0, 1.0, 1.0))
        p.read()
    yield "scissor/per-framebuffer", other, None

    def masked(ctx, mask, use=True, clear=False):
        p = Pipe(ctx)
        p.fbo.set_color_mask(mask)
        if use:
            p.fbo.use()
        if clear:
            p.fbo.clear(color=(1.0, 1.0, 1.0, 1.0), viewport=(0, 0, 4, 4))
        p.fill(4, 0, 8, 8, color=(1.0, 1.0, 1.0, 0.0))
        p.read()
    for mask in ((True, False, True, False), (False, True, False, True), (False,) * 4):
        name = "".join("rgba"[i] for i, m in enumerate(mask) if m) or "none"
        yield "color-mask/%s-then-use" % name, lambda ctx, m=mask: masked(ctx, m), None
        yield "color-mask/%s-then-clear" % name, lambda ctx, m=mask: masked(
            ctx, m, use=False, clear=True), None
    yield "color-mask/at-once", lambda ctx: masked(ctx, (True, False, True, False), use=False), (
        "color-mask-at-once")

    def per_attachment(ctx):
        p = Pipe(ctx, colors=("rgba8", "rgba8"), fs=TWO_FS)
        p.fbo.set_color_mask(((True, False, True, False), (False, True, True, True)))
        p.fill(0, 0, 8, 4, color=(1.0, 0.75, 0.5, 0.25))
        p.fbo.clear(color=(0.5, 0.5, 0.5, 0.5), viewport=(0, 6, 8, 2))
        p.read(attachment=0)
        p.read(attachment=1)
    yield "color-mask/per-attachment", per_attachment, None

    def leaked(ctx, what):
        p = Pipe(ctx)
        second = ctx.framebuffer((8, 8))
        if what == "mask":
            second.set_color_mask((False, True, True, True))
        else:
            second.set_scissor((0, 0, 2, 2))
        second.clear(color=(0.0, 0.0, 1.0, 1.0))
        p.fill(0, 0, 8, 8)
        p.read()
        second.read()
    for what in ("mask", "scissor"):
        yield "clear-not-in-use/%s" % what, lambda ctx, w=what: leaked(ctx, w), (
            "clear-keeps-state")


# --- renderbuffers and framebuffers over them (issue 13, item 3) ------------------------

DTYPES = ["f1", "f2", "f4", "u1", "u2", "u4", "i1", "i2", "i4", "nu1", "nu2", "ni1", "ni2"]
INTEGER = {"u1", "u2", "u4", "i1", "i2", "i4"}
QUAD = f32([-1, -1, 1, -1, -1, 1, 1, 1])
LEFT_HALF = f32([-1, -1, 0, -1, -1, 1, 0, 1])
TRIANGLE = f32([-1, -1, 1, -1, -1, 1])
TRIANGLE_3 = f32([-1, -1, 3, -1, -1, 3])
POS_VS = HEADER + "in vec2 pos;\nuniform float z;\n" \
    "void main() { gl_Position = vec4(pos, z, 1); }\n"


def output_program(ctx, outputs, z=0.0):
    """A program drawing `outputs`: (location, GLSL type, value) per fragment output."""
    fs = HEADER + "".join("layout(location = %d) out %s o%d;\n" % (loc, t, loc)
                          for loc, t, _ in outputs)
    fs += "void main() {\n" + "".join("  o%d = %s;\n" % (loc, v) for loc, _, v in outputs)
    fs += "}\n"
    prog = ctx.program(vertex_shader=POS_VS, fragment_shader=fs)
    ctx.uniform(prog, "z", "float", [z])
    return prog


def shape(ctx, prog, vertices):
    return ctx.vertex_array(prog, [(ctx.buffer(vertices), "2f", "pos")])


def renderbuffer_scenes():
    clears = [(0.5, -2.0, 3.7, 300.0), (0.2, 0.6, 1.0, -0.0), (0.0, 0.0, 0.0, 0.0)]
    for dtype, components in itertools.product(DTYPES, (1, 2, 3, 4)):
        def s(ctx, dtype=dtype, components=components):
            rb = ctx.renderbuffer((3, 2), components, dtype=dtype)
            fbo = ctx.framebuffer_of([rb])
            fbo.read(components=components, dtype=dtype)
            for color in clears:
                fbo.clear(color=color)
                fbo.read(components=components, dtype=dtype)
            fbo.clear(color=(1.0, 0.25, -1.0, 0.5), viewport=(1, 0, 1, 2))
            fbo.read(components=components, dtype=dtype)
        yield "renderbuffer/%s-x%d-clear-read" % (dtype, components), s, None
    # Reads convert between dtypes of one kind and refuse the other kind.
    for storage, dtype in itertools.product(("f1", "f4", "u2", "i1", "nu2"), DTYPES):
        def s(ctx, storage=storage, dtype=dtype):
            rb = ctx.renderbuffer((2, 2), 4, dtype=storage)
            fbo = ctx.framebuffer_of([rb])
            fbo.clear(color=(0.75, 1.5, -0.5, 1.0))
            fbo.read(components=3, dtype=dtype)
        yield "renderbuffer/%s-read-as-%s" % (storage, dtype), s, None
    for samples in (0, 1, 2, 3, 4, 8):
        def s(ctx, samples=samples):
            ctx.renderbuffer((2, 2), samples=samples)
            ctx.depth_renderbuffer((2, 2), samples=samples)
        yield "renderbuffer/samples-%d" % samples, s, None
    for components in (0, 5):
        def s(ctx, components=components):
            ctx.renderbuffer((2, 2), components)
        yield "renderbuffer/components-%d" % components, s, None
    yield "renderbuffer/size-0", lambda ctx: ctx.renderbuffer((0, 2)), "zero-size-renderbuffer"

    def released(ctx, in_use):
        rb = ctx.renderbuffer((2, 2))
        fbo = ctx.framebuffer_of([rb])
        other = ctx.framebuffer_of([rb])
        fbo.clear(color=(1.0, 0.0, 1.0, 1.0))
        if in_use:
            fbo.use()
        rb.release()
        fbo.use()
        prog = output_program(ctx, [(0, "vec4", "vec4(0, 1, 0, 1)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        fbo.read()
        other.read()
    yield "renderbuffer/release-while-attached", lambda ctx: released(ctx, False), None
    yield "renderbuffer/release-while-attached-in-use", lambda ctx: released(ctx, True), \
        "renderbuffer-outlives-release"

    # With the state of the framebuffer in use (issue 13, item 4): masked, scissored clears
    # of every kind of attachment, and a new renderbuffer made under them.
    for dtype in ("f1", "f4", "u1", "i2", "u4", "nu2"):
        def s(ctx, dtype=dtype):
            fbo = ctx.framebuffer_of([ctx.renderbuffer((3, 2), 4, dtype=dtype)],
                                     ctx.depth_renderbuffer((3, 2)))
            fbo.use()
            fbo.clear(color=(0.5, 0.25, 1.0, 1.0), depth=0.5)
            fbo.set_color_mask((True, False, True, False))
            fbo.set_depth_mask(False)
            ctx.scissor((1, 0, 1, 2))
            fbo.use()
            fbo.clear(color=(0.75, 2.0, -1.0, 0.0), depth=0.25)
            fbo.read(components=4, dtype=dtype)
            fbo.read(attachment=-1, dtype="f4")
        yield "renderbuffer/%s-clear-masked-and-scissored" % dtype, s, None

    def made_under_masks(ctx):
        fbo = ctx.framebuffer_of([ctx.renderbuffer((4, 4))])
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
        fbo.set_color_mask((True, False, True, True))
        ctx.scissor((0, 0, 2, 4))
        fbo.use()
        new = ctx.framebuffer_of([ctx.renderbuffer((4, 4))], ctx.depth_renderbuffer((4, 4)))
        new.read()
        new.read(attachment=-1, dtype="f4")
        prog = output_program(ctx, [(0, "vec4", "vec4(1.0, 1.0, 1.0, 1.0)")])
        shape(ctx, prog, QUAD).render("triangle_strip")
        fbo.read()
    yield "renderbuffer/made-under-masks-and-scissor", made_under_masks, None

    def release_then_attach(ctx):
        rb = ctx.renderbuffer((2, 2))
        rb.release()
        ctx.framebuffer_of([rb])
    yield "renderbuffer/attach-after-release", release_then_attach, None


def attachment_scenes():
    def make(colors, depth=None):
        def s(ctx):
            rbs = [ctx.renderbuffer(size, samples=samples) for size, samples in colors]
            d = None
            if depth is not None:
                d = ctx.depth_renderbuffer(depth[0], samples=depth[1])
            fbo = ctx.framebuffer_of(rbs, d)
            fbo.clear(color=(0.5, 0.25, 1.0, 1.0), depth=0.5)
            if not any(samples for _, samples in colors):
                if colors:
                    fbo.read(attachment=len(colors) - 1)
                if depth is not None and not depth[1]:
                    fbo.read(attachment=-1, dtype="f4")
        return s
    cases = {
        "one": ([((2, 2), 0)], None),
        "depth-only": ([], ((2, 2), 0)),
        "color-and-depth": ([((2, 2), 0)], ((2, 2), 0)),
        "eight": ([((2, 2), 0)] * 8, ((2, 2), 0)),
        "nine": ([((2, 2), 0)] * 9, None),
        "none": ([], None),
        "sizes-differ": ([((2, 2), 0), ((3, 2), 0)], None),
        "depth-size-differs": ([((2, 2), 0)], ((2, 3), 0)),
        "samples-differ": ([((2, 2), 0), ((2, 2), 4)], None),
        "depth-samples-differ": ([((2, 2), 4)], ((2, 2), 0)),
        "multisampled": ([((2, 2), 4), ((2, 2), 4)], ((2, 2), 4)),
    }
    for name, (colors, depth) in cases.items():
        yield "framebuffer/attach-%s" % name, make(colors, depth), None

    def misplaced(ctx, depth_as_color):
        color, depth = ctx.renderbuffer((2, 2)), ctx.depth_renderbuffer((2, 2))
        if depth_as_color:
            ctx.framebuffer_of([depth])
        else:
            ctx.framebuffer_of([color], color)
    yield "framebuffer/depth-as-color", lambda ctx: misplaced(ctx, True), None
    yield "framebuffer/color-as-depth", lambda ctx: misplaced(ctx, False), None

    def twice(ctx):
        rb = ctx.renderbuffer((2, 2))
        fbo = ctx.framebuffer_of([rb, rb])
        fbo.clear(color=(0.0, 1.0, 0.0, 1.0))
        fbo.read(attachment=1)
    yield "framebuffer/one-renderbuffer-twice", twice, None

    def read_multisampled(ctx, attachment):
        fbo = ctx.framebuffer_of([ctx.renderbuffer((2, 2), samples=4)],
                                 ctx.depth_renderbuffer((2, 2), samples=4))
        fbo.read(attachment=attachment, dtype="f4")
    yield "framebuffer/read-multisampled", lambda ctx: read_multisampled(ctx, 0), None
    yield "framebuffer/read-depth-multisampled", lambda ctx: read_multisampled(ctx, -1), None

    def no_depth(ctx):
        ctx.framebuffer_of([ctx.renderbuffer((2, 2))]).read(attachment=-1, dtype="f4")
    yield "framebuffer/read-missing-depth", no_depth, None


def draw_into_scenes():
    def mixed(ctx):
        rbs = [ctx.renderbuffer((4, 4), 4, dtype="f1"), ctx.renderbuffer((4, 4), 2, dtype="u2"),
               ctx.renderbuffer((4, 4), 1, dtype="i4"), ctx.renderbuffer((4, 4), 3, dtype="f4"),
               ctx.renderbuffer((4, 4), 4, dtype="i1"), ctx.renderbuffer((4, 4), 2, dtype="nu2")]
        fbo = ctx.framebuffer_of(rbs)
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 0.0))
        prog = output_program(ctx, [
            (0, "vec4", "vec4(1.0, 0.2, 0.6, 1.0)"), (1, "uvec2", "uvec2(65535u, 1234u)"),
            (2, "int", "-123456"), (3, "vec3", "vec3(-2.5, 1e10, 0.125)"),
            (4, "ivec4", "ivec4(-128, 127, 5, -1)"), (5, "vec2", "vec2(0.25, 0.75)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        for i, (c, d) in enumerate([(4, "f1"), (2, "u2"), (1, "i4"), (3, "f4"), (4, "i1"),
                                    (2, "nu2")]):
            fbo.read(components=c, attachment=i, dtype=d)
    yield "framebuffer/draw-mixed-formats", mixed, None

    for dtype in DTYPES:
        def s(ctx, dtype=dtype):
            fbo = ctx.framebuffer_of([ctx.renderbuffer((4, 4), 4, dtype=dtype)])
            fbo.use()
            out = {"u": ("uvec4", "uvec4(7u, 300u, 70000u, 0u)"),
                   "i": ("ivec4", "ivec4(-7, 300, -70000, 1)")}.get(
                       dtype[0], ("vec4", "vec4(0.25, -0.5, 0.75, 1.0)"))
            prog = output_program(ctx, [(0, out[0], out[1])])
            shape(ctx, prog, LEFT_HALF).render("triangle_strip")
            fbo.read(components=4, dtype=dtype)
        yield "framebuffer/draw-into-%s" % dtype, s, None

    def float_into_integer(ctx):
        fbo = ctx.framebuffer_of([ctx.renderbuffer((2, 2), 4, dtype="u1")])
        fbo.use()
        fbo.clear()
        prog = output_program(ctx, [(0, "vec4", "vec4(1.0, 0.5, 0.25, 1.0)")])
        shape(ctx, prog, QUAD).render("triangle_strip")
        fbo.read(dtype="u1")
    yield "framebuffer/draw-float-into-integer", float_into_integer, "unwritten-draw-buffers"

    for dtype in DTYPES:
        def s(ctx, dtype=dtype):
            fbo = ctx.framebuffer_of([ctx.renderbuffer((4, 4))], ctx.depth_renderbuffer((4, 4)))
            fbo.use()
            fbo.clear(depth=1.0)
            ctx.enable("depth_test")
            for z, verts in ((0.0, LEFT_HALF), (-0.5, QUAD), (0.5, QUAD)):
                prog = output_program(ctx, [(0, "vec4", "vec4(1)")], z)
                shape(ctx, prog, verts).render("triangle_strip")
            fbo.read(attachment=-1, dtype=dtype)
            fbo.read(viewport=(1, 1, 2, 3), attachment=-1, dtype=dtype)
        yield "framebuffer/depth-after-draw-as-%s" % dtype, s, None


def copy_scenes():
    for samples in (0, 1, 2, 4):
        def s(ctx, samples=samples):
            src = ctx.framebuffer_of([ctx.renderbuffer((8, 8), samples=samples)],
                                     ctx.depth_renderbuffer((8, 8), samples=samples))
            src.use()
            src.clear(color=(0.0, 0.0, 0.0, 1.0))
            ctx.enable("depth_test")
            prog = output_program(ctx, [(0, "vec4", "vec4(1.0, 0.5, 0.25, 1.0)")], 0.25)
            shape(ctx, prog, TRIANGLE).render("triangles")
            dst = ctx.framebuffer_of([ctx.renderbuffer((8, 8))], ctx.depth_renderbuffer((8, 8)))
            ctx.copy_framebuffer(dst, src)
            dst.read()
            dst.read(attachment=-1, dtype="f4")
        yield "copy/resolve-%d-samples" % samples, s, None

    def make(src_specs, dst_specs, depths=(None, None)):
        """Framebuffers of (size, components, dtype, samples) color attachments and depth
        attachments of the given sizes (or None)."""
        def s(ctx):
            def fbo(specs, depth):
                rbs = [ctx.renderbuffer(size, c, samples=n, dtype=d) for size, c, d, n in specs]
                z = ctx.depth_renderbuffer(depth) if depth is not None else None
                return ctx.framebuffer_of(rbs, z)
            src, dst = fbo(src_specs, depths[0]), fbo(dst_specs, depths[1])
            src.clear(color=(0.25, 2.0, -1.0, 1.0), depth=0.25)
            dst.clear(color=(0.0, 0.0, 1.0, 1.0), depth=0.75)
            ctx.copy_framebuffer(dst, src)
            if not any(n for _, _, _, n in dst_specs):
                for i, (_, c, d, _) in enumerate(dst_specs):
                    dst.read(components=c, attachment=i, dtype=d)
                if depths[1] is not None:
                    dst.read(attachment=-1, dtype="f4")
        return s
    a = ((4, 4), 4, "f4", 0)
    cases = {
        "f4-into-f1": ([a], [((4, 4), 4, "f1", 0)]),
        "into-smaller": ([a], [((3, 5), 4, "f1", 0)]),
        "into-larger": ([((3, 2), 4, "f1", 0)], [((4, 4), 4, "f1", 0)]),
        "two-attachments": ([a, ((4, 4), 2, "u1", 0)], [((4, 4), 4, "f2", 0),
                                                        ((4, 4), 1, "u4", 0)]),
        "integers": ([((4, 4), 4, "i2", 0)], [((4, 4), 4, "i1", 0)]),
        "integer-into-float": ([((4, 4), 4, "u1", 0)], [((4, 4), 4, "f1", 0)]),
        "float-into-integer": ([a], [((4, 4), 4, "u4", 0)]),
        "unsigned-into-signed": ([((4, 4), 4, "u1", 0)], [((4, 4), 4, "i1", 0)]),
        "attachment-counts-differ": ([a], [a, a]),
        "into-multisampled": ([a], [((4, 4), 4, "f4", 4)]),
        "multisampled-same-count": ([((4, 4), 4, "f4", 4)], [((4, 4), 4, "f4", 4)]),
        "with-depth": ([a], [a], ((4, 4), (4, 4))),
        "depth-into-none": ([a], [a], ((4, 4), None)),
        "none-into-depth": ([a], [a], (None, (4, 4))),
        "depth-only": ([], [], ((4, 4), (4, 4))),
    }
    for name, spec in cases.items():
        yield "copy/%s" % name, make(*spec), None
    yield "copy/multisampled-counts-differ", make(
        [((4, 4), 4, "f4", 2)], [((4, 4), 4, "f4", 4)]), "copy-sample-counts"

    def under_scissor(ctx):
        src = ctx.framebuffer_of([ctx.renderbuffer((4, 4), samples=4)])
        src.use()
        src.clear(color=(1.0, 0.5, 0.25, 1.0))
        dst = ctx.framebuffer_of([ctx.renderbuffer((4, 4))])
        dst.use()
        ctx.scissor((0, 0, 3, 2))
        ctx.copy_framebuffer(dst, src)
        dst.read()
    yield "copy/under-the-scissor-in-use", under_scissor, None

    def into_itself(ctx):
        fbo = ctx.framebuffer_of([ctx.renderbuffer((2, 2))])
        fbo.clear(color=(1.0, 0.0, 0.0, 1.0))
        ctx.copy_framebuffer(fbo, fbo)
        fbo.read()
    yield "copy/into-itself", into_itself, "copy-overlap"

    def shared(ctx):
        rb = ctx.renderbuffer((2, 2))
        a, b = ctx.framebuffer_of([rb]), ctx.framebuffer_of([rb])
        ctx.copy_framebuffer(b, a)
        b.read()
    yield "copy/shared-renderbuffer", shared, "copy-overlap"


# --- textures and samplers (issue 13) ---------------------------------------------------

SAMPLE_VS = HEADER + """in vec2 pos;
uniform vec2 scale = vec2(1.0);
uniform vec2 shift = vec2(0.0);
out vec2 uv;
void main() { uv = (pos * 0.5 + 0.5) * scale + shift; gl_Position = vec4(pos, 0.0, 1.0); }
"""
# Values to pack per dtype: the normalized ones take their integer twin's.
PACKED_AS = {"nu1": "u1", "nu2": "u2", "ni1": "i1", "ni2": "i2"}


def sample_fs(decl, expr):
    return HEADER + decl + """in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = %s; }
""" % expr


def sampled(ctx, fs, size, uniforms=()):
    """Draws `fs` over a float framebuffer of `size` and reads its floats."""
    prog = ctx.program(vertex_shader=SAMPLE_VS, fragment_shader=fs)
    for name, gltype, values in uniforms:
        ctx.uniform(prog, name, gltype, values)
    vbo = ctx.buffer(QUAD)
    fbo = ctx.framebuffer(size, colors=("rgba32f",))
    fbo.use()
    fbo.clear(color=(0.5, 0.5, 0.5, 0.5))
    ctx.vertex_array(prog, [(vbo, "2f", "pos")]).render("triangle_strip")
    fbo.read(components=4, dtype="f4")


def image(dtype, components, width, height, depth=1, alignment=1, offset=0):
    """Rows of pixel values of `dtype`, each padded with zero bytes to the alignment."""
    kind = PACKED_AS.get(dtype, dtype)
    out = b""
    for row in range(height * depth):
        data = pack(kind, values(kind, width * components, offset + row * 5))
        out += data + bytes(-len(data) % alignment)
    return out


FS_2D = sample_fs("uniform sampler2D tex;\n", "texture(tex, uv)")


def texture_scenes():
    # Every dtype and component count, created with data and read at two alignments.
    for dtype in DTYPES:
        for components in range(1, 5):
            def roundtrip(ctx, dtype=dtype, components=components):
                data = image(dtype, components, 3, 2, alignment=4)
                tex = ctx.texture((3, 2), components, data, alignment=4, dtype=dtype)
                tex.read(alignment=4)
                tex.read(alignment=1)
                tex.read(0, 8)
            yield "texture/roundtrip-%s-%d" % (dtype, components), roundtrip, None

    def no_data(ctx):
        ctx.texture((5, 3), 3, dtype="f2", alignment=4).read(alignment=4)
        ctx.texture_array((2, 2, 3), 2, dtype="u4").read()
        ctx.texture3d((2, 3, 2), 1, dtype="i1").read(alignment=2)
        ctx.texture_cube((2, 2), 4).read(5)
        ctx.depth_texture((3, 2)).read()
    yield "texture/no-data-reads-zeros", no_data, None

    def viewports(ctx):
        tex = ctx.texture((4, 3), 4)
        tex.write(image("f1", 4, 2, 2), viewport=(1, 1, 2, 2))
        tex.write(b"", viewport=(0, 0, 0, 0))
        tex.read()
        array = ctx.texture_array((2, 2, 3), 1, alignment=2)
        array.write(image("f1", 1, 1, 2, depth=2, alignment=2), viewport=(1, 0, 1, 1, 2, 2),
                    alignment=2)
        array.read()
        volume = ctx.texture3d((2, 2, 2), 2, dtype="u2")
        volume.write(image("u2", 2, 2, 1), viewport=(0, 1, 1, 2, 1, 1))
        volume.read()
        cube = ctx.texture_cube((2, 2), 3, alignment=4)
        cube.write(3, image("f1", 3, 1, 2, alignment=2), viewport=(1, 0, 1, 2), alignment=2)
        for face in range(6):
            cube.read(face, alignment=4)
    yield "texture/viewport-writes", viewports, None

    def cube_data(ctx):
        cube = ctx.texture_cube((2, 2), 2, image("f1", 2, 2, 12), dtype="f1")
        for face in (0, 3, 5):
            cube.read(face)
    yield "texture/cube-data-face-order", cube_data, None

    def mipmaps(ctx):
        tex = ctx.texture((8, 4), 4, bytes([10, 200, 30, 255]) * 32)
        tex.build_mipmaps()
        for level in (1, 2, 3):
            tex.read(level)
        tex.write(bytes(range(8)), level=2)
        tex.read(2)
        tex.read(2, 4)
    yield "texture/mipmaps", mipmaps, None

    def mipmaps_bounded(ctx):
        tex = ctx.texture((4, 4), 1, bytes(range(16)))
        tex.build_mipmaps(0, 1)
        tex.read(1)
        tex.build_mipmaps(1, 2)
        tex.read(2)
    yield "texture/mipmaps-base-and-max", mipmaps_bounded, None

    def mipmaps_depth(ctx):
        depth = ctx.depth_texture((4, 4), f32([0.5] * 16))
        depth.build_mipmaps()
        depth.read(1)
    yield "texture/mipmaps-depth", mipmaps_depth, None

    def level_errors(level, build=None):
        def s(ctx):
            tex = ctx.texture((4, 4), 4)
            if build is not None:
                tex.build_mipmaps(0, build)
            tex.write(bytes(4), level=level)
        return s
    yield "texture/level-before-mipmaps", level_errors(1), None
    yield "texture/level-above-max-level", level_errors(2, build=1), None
    yield "texture/level-past-the-size", level_errors(5, build=1000), None
    yield "texture/read-level-before-mipmaps", lambda ctx: ctx.texture((4, 4), 4).read(1), None
    yield "texture/mipmaps-of-integers", lambda ctx: ctx.texture(
        (4, 4), 1, dtype="u1").build_mipmaps(), None

    bad = {
        "components-5": lambda ctx: ctx.texture((2, 2), 5),
        "components-0": lambda ctx: ctx.texture((2, 2), 0),
        "alignment-3": lambda ctx: ctx.texture((2, 2), 4, alignment=3),
        "samples-3": lambda ctx: ctx.texture((2, 2), 4, samples=3),
        "samples-8": lambda ctx: ctx.texture((2, 2), 4, samples=8),
        "data-size": lambda ctx: ctx.texture((2, 2), 4, bytes(15)),
        "data-padding": lambda ctx: ctx.texture((3, 1), 3, bytes(9), alignment=4),
        "multisample-data": lambda ctx: ctx.texture((2, 2), 4, bytes(16), samples=4),
        "multisample-write": lambda ctx: ctx.texture((2, 2), 4, samples=4).write(bytes(16)),
        "multisample-read": lambda ctx: ctx.texture((2, 2), 4, samples=4).read(),
        "multisample-filter": lambda ctx: ctx.texture((2, 2), 4, samples=2).set(
            "filter", ("nearest", "nearest")),
        "multisample-repeat": lambda ctx: ctx.texture((2, 2), 4, samples=2).set(
            "repeat_x", False),
        "cube-not-square": lambda ctx: ctx.texture_cube((4, 8), 4),
        "too-wide": lambda ctx: ctx.texture((16385, 1), 1),
        "3d-too-deep": lambda ctx: ctx.texture3d((1, 1, 2049), 1),
        "write-size": lambda ctx: ctx.texture((2, 2), 4).write(bytes(17)),
        "write-outside": lambda ctx: ctx.texture((2, 2), 4).write(bytes(8), viewport=(1, 1, 2, 1)),
        "cube-face-6": lambda ctx: ctx.texture_cube((1, 1), 4).write(6, bytes(4)),
        "read-alignment-3": lambda ctx: ctx.texture((2, 2), 4).read(0, 3),
        "swizzle-depth": lambda ctx: ctx.depth_texture((2, 2)).set("swizzle", "R"),
        "swizzle-empty": lambda ctx: ctx.texture((2, 2), 4).set("swizzle", ""),
        "swizzle-long": lambda ctx: ctx.texture((2, 2), 4).set("swizzle", "RGBAR"),
        "swizzle-letter": lambda ctx: ctx.texture((2, 2), 4).set("swizzle", "RX"),
        "compare-color": lambda ctx: ctx.texture((2, 2), 4).set("compare_func", "<"),
        "released": lambda ctx: (lambda t: (t.release(), t.use(0)))(ctx.texture((2, 2), 4)),
    }
    for name, scene in bad.items():
        yield "texture/error-" + name, scene, None
    yield "texture/zero-size", lambda ctx: ctx.texture((0, 4), 4), "texture-zero-size"
    yield "texture/unit-80", lambda ctx: ctx.texture((2, 2), 4).use(80), "texture-unit-limit"
    yield "texture/anisotropy-3d", lambda ctx: ctx.texture3d((2, 2, 2), 4).set(
        "anisotropy", 2.0), "texture-missing-property"
    yield "texture/repeat-cube", lambda ctx: ctx.texture_cube((2, 2), 4).set(
        "repeat_x", False), "texture-missing-property"
    yield "sampler/swizzle", lambda ctx: ctx.sampler().set(
        "swizzle", "R"), "texture-missing-property"

    # Sampling in draws, read back as floats.
    texels = bytes([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255])

    def draw2d(setup, size=(2, 2), fs=FS_2D, uniforms=(), **texture):
        def s(ctx):
            tex = ctx.texture((2, 2), 4, texels, **texture)
            tex.use(3)
            setup(tex)
            sampled(ctx, fs, size, [("tex", "int", [3])] + list(uniforms))
        return s
    yield "sample/linear-at-centres", draw2d(lambda t: None), None
    yield "sample/linear-between", draw2d(lambda t: None, size=(3, 5)), None
    yield "sample/nearest", draw2d(lambda t: t.set("filter", ("nearest", "nearest")),
                                   size=(5, 3)), None
    for swizzle in ("BGRA", "R", "01", "bgr1", "AAAA", "0G"):
        yield "sample/swizzle-" + swizzle, draw2d(lambda t, s=swizzle: t.set("swizzle", s)), None
    for x, y in ((True, True), (False, True), (True, False), (False, False)):
        def repeat(t, x=x, y=y):
            t.set("filter", ("nearest", "nearest"))
            t.set("repeat_x", x)
            t.set("repeat_y", y)
        yield "sample/repeat-%s-%s" % (x, y), draw2d(
            repeat, size=(4, 4), uniforms=[("scale", "vec2", [2.0, 2.0]),
                                           ("shift", "vec2", [-0.5, -0.5])]), None
    yield "sample/mipmap-filter-without-mipmaps", draw2d(
        lambda t: t.set("filter", ("linear_mipmap_linear", "linear"))), None
    yield "sample/mipmapped", draw2d(lambda t: t.build_mipmaps(), size=(1, 1)), None
    yield "sample/anisotropy", draw2d(lambda t: t.set("anisotropy", 8.0)), None
    yield "sample/srgb", draw2d(lambda t: None, internal_format="srgb8_alpha8"), None
    yield "sample/srgb-read-raw", lambda ctx: ctx.texture(
        (2, 2), 4, texels, internal_format="srgb8_alpha8").read(), None

    def srgb_rgb(ctx):
        tex = ctx.texture((1, 1), 3, bytes([188, 100, 10]), internal_format="srgb8")
        tex.use(0)
        sampled(ctx, FS_2D, (1, 1))
    yield "sample/srgb8", srgb_rgb, None

    def float_texture(dtype, components):
        def s(ctx):
            tex = ctx.texture((2, 2), components, image(dtype, components, 2, 2), dtype=dtype)
            tex.set("filter", ("nearest", "nearest"))
            tex.use(0)
            sampled(ctx, FS_2D, (2, 2))
        return s
    for dtype in ("f1", "f2", "f4", "nu1", "nu2", "ni1", "ni2"):
        for components in (1, 3):
            yield "sample/%s-%d" % (dtype, components), float_texture(dtype, components), None

    def integer_texture(dtype, prefix):
        def s(ctx):
            tex = ctx.texture((2, 2), 4, image(dtype, 4, 2, 2), dtype=dtype)
            tex.use(1)
            fs = sample_fs("uniform %ssampler2D tex;\n" % prefix,
                           "vec4(texelFetch(tex, ivec2(gl_FragCoord.xy), 0))")
            sampled(ctx, fs, (2, 2), [("tex", "int", [1])])
        return s
    for dtype, prefix in (("u1", "u"), ("u2", "u"), ("u4", "u"), ("i1", "i"), ("i2", "i"),
                          ("i4", "i")):
        yield "sample/integer-" + dtype, integer_texture(dtype, prefix), None

    def layered(ctx):
        array = ctx.texture_array((2, 2, 3), 4, image("f1", 4, 2, 2, depth=3))
        array.set("filter", ("nearest", "nearest"))
        array.use(2)
        fs = sample_fs("uniform sampler2DArray tex;\nuniform float layer;\n",
                       "texture(tex, vec3(uv, layer))")
        for layer in (0.0, 2.0):
            sampled(ctx, fs, (2, 2), [("tex", "int", [2]), ("layer", "float", [layer])])
    yield "sample/array-layers", layered, None

    def volume(ctx):
        tex = ctx.texture3d((2, 2, 4), 4, image("f1", 4, 2, 2, depth=4))
        tex.use(0)
        fs = sample_fs("uniform sampler3D tex;\nuniform float z;\n", "texture(tex, vec3(uv, z))")
        for z in (0.375, 0.5, 1.25):
            sampled(ctx, fs, (2, 2), [("z", "float", [z])])
        tex.set("repeat_z", False)
        sampled(ctx, fs, (2, 2), [("z", "float", [1.25])])
    yield "sample/3d-slices", volume, None

    def cube_faces(ctx):
        cube = ctx.texture_cube((2, 2), 4, image("f1", 4, 2, 12))
        cube.set("filter", ("nearest", "nearest"))
        cube.use(4)
        fs = sample_fs("uniform samplerCube tex;\nuniform vec3 direction;\n",
                       "texture(tex, direction + vec3(uv - 0.5, 0.0) * 0.5)")
        for direction in ([1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]):
            sampled(ctx, fs, (2, 2), [("tex", "int", [4]), ("direction", "vec3", direction)])
    yield "sample/cube-faces", cube_faces, None

    depths = f32([0.0, 0.25, 0.5, 1.0])
    for func in ("<=", "<", ">=", ">", "==", "!=", "0", "1"):
        def shadow(ctx, func=func):
            depth = ctx.depth_texture((2, 2), depths)
            depth.set("filter", ("nearest", "nearest"))
            depth.set("compare_func", func)
            depth.use(0)
            fs = sample_fs("uniform sampler2DShadow tex;\n",
                           "vec4(texture(tex, vec3(uv, 0.5)))")
            sampled(ctx, fs, (2, 2))
        yield "sample/depth-compare-" + func, shadow, None

    def depth_values(ctx):
        depth = ctx.depth_texture((2, 2), depths, alignment=4)
        depth.read()
        depth.write(f32([0.75]), viewport=(1, 1, 1, 1))
        depth.read()
        depth.set("compare_func", "?")
        depth.set("filter", ("nearest", "nearest"))
        depth.use(0)
        sampled(ctx, FS_2D, (2, 2))
        # ModernGL calls a depth texture's repeat off but leaves GL's repeat on.
        sampled(ctx, FS_2D, (2, 2), [("shift", "vec2", [1.0, 1.0])])
    yield "sample/depth-values", depth_values, None

    def multisample(ctx):
        tex = ctx.texture((2, 2), 4, samples=4)
        tex.set("swizzle", "BGRA")
        tex.use(0)
        fs = sample_fs("uniform sampler2DMS tex;\n",
                       "texelFetch(tex, ivec2(gl_FragCoord.xy), 2) + vec4(0, 0, 0, 0.25)")
        sampled(ctx, fs, (2, 2))
    yield "sample/multisample-zeros", multisample, None

    def unbound(ctx):
        ctx.texture((2, 2), 4, texels).use(1)
        sampled(ctx, FS_2D, (2, 2))
    yield "sample/unbound-unit", unbound, None

    def from_buffer(ctx):
        tex = ctx.texture((3, 2), 1, alignment=4)
        buf = ctx.buffer(bytes([1, 2, 3, 0, 4, 5, 6, 0, 99]), dynamic=True)
        tex.write(buf, alignment=4)
        tex.read()
        buf.orphan()
        buf.write(bytes(range(20, 29)))
        tex.write(buf, viewport=(1, 1, 2, 1))
        tex.read()
    yield "texture/write-from-buffer", from_buffer, None

    # Samplers.
    def with_sampler(properties, uniforms=(), mipmaps=False, clear=False):
        def s(ctx):
            tex = ctx.texture((2, 2), 4, texels)
            tex.set("filter", ("nearest", "nearest"))
            if mipmaps:
                tex.build_mipmaps()
                tex.write(bytes([9, 99, 199, 255]), level=1)
            tex.use(5)
            sampler = ctx.sampler(**properties)
            sampler.use(5)
            if clear:
                sampler.clear_unit(5)
            sampled(ctx, FS_2D, (4, 4), [("tex", "int", [5]), ("scale", "vec2", [2.0, 2.0]),
                                         ("shift", "vec2", [-0.5, -0.5])] + list(uniforms))
        return s
    yield "sampler/defaults", with_sampler({}), None
    yield "sampler/filter-repeat", with_sampler(
        dict(filter=("nearest", "nearest"), repeat_x=False)), None
    yield "sampler/cleared", with_sampler(dict(repeat_x=False, repeat_y=False), clear=True), None
    yield "sampler/border", with_sampler(
        dict(filter=("nearest", "nearest"), border_color=(0.25, 0.5, 1.0, 0.75))), None
    yield "sampler/border-then-repeat", with_sampler(
        dict(repeat_y=True, border_color=(0.0, 0.0, 1.0, 1.0))), None
    yield "sampler/lod", with_sampler(
        dict(filter=("nearest_mipmap_nearest", "nearest"), min_lod=1.0), mipmaps=True), None
    yield "sampler/max-lod", with_sampler(
        dict(filter=("linear_mipmap_linear", "linear"), max_lod=0.0), mipmaps=True), None
    yield "sampler/anisotropy", with_sampler(dict(anisotropy=100.0)), None

    def shadow_sampler(ctx):
        depth = ctx.depth_texture((2, 2), depths)
        depth.set("compare_func", "?")
        depth.use(0)
        sampler = ctx.sampler(filter=("nearest", "nearest"), compare_func=">")
        sampler.use(0)
        fs = sample_fs("uniform sampler2DShadow tex;\n", "vec4(texture(tex, vec3(uv, 0.5)))")
        sampled(ctx, fs, (2, 2))
    yield "sampler/compare", shadow_sampler, None

    def released_sampler(ctx):
        sampler = ctx.sampler()
        sampler.release()
        sampler.use(0)
    yield "sampler/error-released", released_sampler, None


# --- textures as attachments and copy destinations (issue 13, item 3) ---------------------

LAYER_GS = HEADER + """layout(triangles) in;
layout(triangle_strip, max_vertices = 3) out;
uniform int layer;
void main() {
    for (int i = 0; i < 3; i++) {
        gl_Layer = layer;
        gl_Position = gl_in[i].gl_Position;
        EmitVertex();
    }
}
"""


def texture_attachment_scenes():
    # Every dtype and component count as a color attachment: cleared, read through the
    # framebuffer and as a texture.
    for dtype, components in itertools.product(DTYPES, (1, 2, 3, 4)):
        def s(ctx, dtype=dtype, components=components):
            tex = ctx.texture((3, 2), components, dtype=dtype)
            fbo = ctx.framebuffer_of([tex])
            fbo.read(components=components, dtype=dtype)
            fbo.clear(color=(0.5, -2.0, 3.7, 300.0))
            fbo.read(components=components, dtype=dtype)
            tex.read()
        yield "texture-attachment/%s-x%d-clear-read" % (dtype, components), s, None

    for fmt in ("srgb8_alpha8", "srgb8"):
        def s(ctx, fmt=fmt):
            components = 4 if fmt == "srgb8_alpha8" else 3
            tex = ctx.texture((4, 4), components, internal_format=fmt)
            fbo = ctx.framebuffer_of([tex])
            fbo.use()
            fbo.clear(color=(0.5, 0.25, 0.75, 1.0))
            prog = output_program(ctx, [(0, "vec4", "vec4(0.2, 0.4, 0.6, 0.8)")])
            shape(ctx, prog, LEFT_HALF).render("triangle_strip")
            fbo.read(components=4)
            tex.read()
            tex.use(0)
            sampled(ctx, FS_2D, (4, 4))
        yield "texture-attachment/%s-draw-read-sample" % fmt, s, None

    def render_then_sample(ctx):
        tex = ctx.texture((4, 4), 4)
        tex.set("filter", ("nearest", "nearest"))
        fbo = ctx.framebuffer_of([tex])
        fbo.use()
        fbo.clear(color=(1.0, 0.0, 0.0, 1.0))
        prog = output_program(ctx, [(0, "vec4", "vec4(0.0, 1.0, 0.5, 1.0)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        fbo.read(components=4)
        tex.read()
        tex.use(0)
        sampled(ctx, FS_2D, (4, 4))
    yield "texture-attachment/render-then-sample", render_then_sample, None

    def with_depth(ctx, samples):
        color = ctx.texture((4, 4), 4, samples=samples)
        depth = ctx.depth_texture((4, 4), samples=samples)
        fbo = ctx.framebuffer_of([color], depth)
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0), depth=1.0)
        ctx.enable("depth_test")
        for z, verts, value in ((0.5, QUAD, "vec4(1, 0, 0, 1)"),
                                (-0.5, TRIANGLE, "vec4(0, 1, 0, 1)"),
                                (0.75, LEFT_HALF, "vec4(0, 0, 1, 1)")):
            prog = output_program(ctx, [(0, "vec4", value)], z)
            shape(ctx, prog, verts).render(
                "triangles" if verts is TRIANGLE else "triangle_strip")
        if samples:
            # Resolved into textures, as ModernGL's copy_framebuffer resolves.
            resolved = ctx.framebuffer_of([ctx.texture((4, 4), 4)], ctx.depth_texture((4, 4)))
            ctx.copy_framebuffer(resolved, fbo)
            fbo = resolved
        fbo.read(components=4)
        fbo.read(attachment=-1, dtype="f4")
        if not samples:
            color.read()
            depth.read(alignment=4)
    for samples in (0, 2, 4):
        yield "texture-attachment/color-and-depth-%d-samples" % samples, \
            lambda ctx, n=samples: with_depth(ctx, n), None

    def shadow(ctx, compare):
        depth = ctx.depth_texture((4, 4))
        fbo = ctx.framebuffer_of([], depth)
        fbo.use()
        fbo.clear(depth=1.0)
        ctx.enable("depth_test")
        prog = output_program(ctx, [(0, "vec4", "vec4(1)")], 0.0)
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        ctx.disable("depth_test")
        fbo.read(attachment=-1, dtype="f4")
        depth.read(alignment=4)
        depth.set("filter", ("nearest", "nearest"))
        depth.set("compare_func", compare)
        depth.use(0)
        fs = FS_2D if compare is None else sample_fs(
            "uniform sampler2DShadow tex;\n", "vec4(texture(tex, vec3(uv, 0.75)))")
        sampled(ctx, fs, (4, 4))
    for compare in ("<=", ">", None):
        yield "texture-attachment/shadow-map-%s" % compare, \
            lambda ctx, c=compare: shadow(ctx, c), None

    def layered(ctx, layer):
        arr = ctx.texture_array((2, 2, 3), 4)
        fbo = ctx.framebuffer_of([arr])
        fbo.clear(color=(1.0, 0.0, 0.0, 1.0))
        fbo.use()
        fs = HEADER + "out vec4 f;\nvoid main() { f = vec4(0.0, 1.0, 0.0, 1.0); }\n"
        vs = HEADER + "in vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0, 1); }\n"
        if layer is None:
            prog = ctx.program(vertex_shader=vs, fragment_shader=fs)
        else:
            prog = ctx.program(vertex_shader=vs, geometry_shader=LAYER_GS, fragment_shader=fs)
            ctx.uniform(prog, "layer", "int", [layer])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        arr.read()
        fbo.read(components=4)
        fbo.clear(color=(0.0, 0.0, 1.0, 1.0), viewport=(1, 1, 1, 1))
        arr.read()
    for layer in (None, 0, 2):
        yield "texture-attachment/array-layered-draw-%s" % layer, \
            lambda ctx, l=layer: layered(ctx, l), None

    def mixed(ctx):
        rb = ctx.renderbuffer((4, 4), 2, dtype="f4")
        tex = ctx.texture((4, 4), 4, dtype="u1")
        fbo = ctx.framebuffer_of([ctx.texture((4, 4), 4), rb, tex], ctx.depth_renderbuffer((4, 4)))
        fbo.use()
        fbo.clear(color=(0.25, 0.5, 0.0, 1.0))
        prog = output_program(ctx, [(0, "vec4", "vec4(1.0, 0.5, 0.25, 1.0)"),
                                    (1, "vec2", "vec2(-2.5, 7.0)"),
                                    (2, "uvec4", "uvec4(1u, 2u, 300u, 4u)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        fbo.read(components=4)
        fbo.read(components=2, attachment=1, dtype="f4")
        fbo.read(components=4, attachment=2, dtype="u1")
        tex.read()
    yield "texture-attachment/with-renderbuffers", mixed, None

    def attach(colors, depth=None):
        def s(ctx):
            made = {
                "2d": lambda: ctx.texture((2, 2), 4),
                "2d-wide": lambda: ctx.texture((3, 2), 4),
                "ms": lambda: ctx.texture((2, 2), 4, samples=4),
                "array": lambda: ctx.texture_array((2, 2, 2), 4),
                "array-3": lambda: ctx.texture_array((2, 2, 3), 1),
                "3d": lambda: ctx.texture3d((2, 2, 2), 4),
                "cube": lambda: ctx.texture_cube((2, 2), 4),
                "depth": lambda: ctx.depth_texture((2, 2)),
                "depth-ms": lambda: ctx.depth_texture((2, 2), samples=4),
                "rb": lambda: ctx.renderbuffer((2, 2)),
                "rb-depth": lambda: ctx.depth_renderbuffer((2, 2)),
            }
            fbo = ctx.framebuffer_of([made[c]() for c in colors],
                                     made[depth]() if depth else None)
            fbo.clear(color=(0.5, 0.25, 1.0, 1.0), depth=0.5)
        return s
    cases = {
        "2d-and-renderbuffer": (["2d", "rb"], "rb-depth", None),
        "2d-and-depth-texture": (["2d"], "depth", None),
        "depth-texture-only": ([], "depth", None),
        "multisampled": (["ms"], "depth-ms", None),
        "multisampled-with-single-depth": (["ms"], "depth", None),
        "sizes-differ": (["2d", "2d-wide"], None, None),
        "depth-texture-as-color": (["depth"], None, None),
        "color-texture-as-depth": ([], "2d", None),
        "array-as-depth": ([], "array", None),
        "arrays": (["array", "array-3"], None, None),
        "array-and-2d": (["array", "2d"], None, None),
        "array-and-depth-texture": (["array"], "depth", None),
        "array-and-depth-renderbuffer": (["array"], "rb-depth", None),
        "3d": (["3d"], None, "texture-attachment-kinds"),
        "cube": (["cube"], None, "texture-attachment-kinds"),
    }
    for name, (colors, depth, difference) in cases.items():
        yield "texture-attachment/attach-%s" % name, attach(colors, depth), difference

    def released(ctx, in_use):
        tex = ctx.texture((2, 2), 4)
        fbo = ctx.framebuffer_of([tex])
        other = ctx.framebuffer_of([tex])
        fbo.clear(color=(1.0, 0.0, 1.0, 1.0))
        if in_use:
            fbo.use()
        tex.release()
        fbo.use()
        prog = output_program(ctx, [(0, "vec4", "vec4(0, 1, 0, 1)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        fbo.read()
        other.read()
    yield "texture-attachment/release-while-attached", lambda ctx: released(ctx, False), None
    yield "texture-attachment/release-while-attached-in-use", \
        lambda ctx: released(ctx, True), "texture-outlives-release"

    def release_then_attach(ctx):
        tex = ctx.texture((2, 2), 4)
        tex.release()
        ctx.framebuffer_of([tex])
    yield "texture-attachment/attach-after-release", release_then_attach, None


def copy_into_texture_scenes():
    def make(dst, src=((4, 4), 4, "f1", 0), depth_only=False, color=(0.25, 2.0, -1.0, 1.0),
             face=None):
        """A copy of a framebuffer over one renderbuffer (size, components, dtype, samples),
        drawn into, into a texture made by `dst(ctx)`, which is then read (`face` of a cube
        map)."""
        def s(ctx):
            size, components, dtype, samples = src
            if depth_only:
                fbo = ctx.framebuffer_of([], ctx.depth_renderbuffer(size))
            else:
                fbo = ctx.framebuffer_of([ctx.renderbuffer(size, components, samples=samples,
                                                           dtype=dtype)])
                fbo.use()
                fbo.clear(color=color)
                prog = output_program(ctx, [(0, "vec4", "vec4(0.0, 1.0, 0.5, 1.0)")])
                shape(ctx, prog, LEFT_HALF).render("triangle_strip")
            tex = dst(ctx)
            ctx.copy_framebuffer(tex, fbo)
            tex.read(*([] if face is None else [face]))
        return s
    texture = lambda size, components=4, **kw: (lambda ctx: ctx.texture(size, components, **kw))
    cases = {
        "same-size": (texture((4, 4)), {}, None),
        "smaller": (texture((3, 2)), {}, None),
        "with-data": (lambda ctx: ctx.texture((2, 2), 4, bytes(range(16))), {}, None),
        "one-component": (texture((4, 4), 1), {}, None),
        "two-components": (texture((4, 4), 2), {}, None),
        "three-components": (texture((3, 3), 3), {}, None),
        "nu1": (texture((4, 4), 4, dtype="nu1"), {}, None),
        "ni1": (texture((4, 4), 2, dtype="ni1"), {}, None),
        "from-floats": (texture((4, 4)), {"src": ((4, 4), 4, "f4", 0)}, None),
        "from-half-floats": (texture((4, 4)), {"src": ((4, 4), 2, "f2", 0)}, None),
        "from-one-component": (texture((4, 4)), {"src": ((4, 4), 1, "f1", 0)}, None),
        "from-integers": (texture((4, 4)), {"src": ((4, 4), 4, "u1", 0)}, None),
        "into-integers": (texture((4, 4), dtype="u1"), {"src": ((4, 4), 4, "u1", 0)}, None),
        "from-multisampled": (texture((4, 4)), {"src": ((4, 4), 4, "f1", 4)}, None),
        "into-multisampled": (texture((4, 4), samples=4), {}, None),
        "from-depth-only": (texture((4, 4)), {"depth_only": True}, None),
        "into-array": (lambda ctx: ctx.texture_array((4, 4, 2), 4), {}, None),
        "into-cube": (lambda ctx: ctx.texture_cube((4, 4), 4), {"face": 0}, None),
        "into-depth": (lambda ctx: ctx.depth_texture((4, 4)), {}, None),
        "larger": (texture((8, 4)), {}, "copy-into-texture-size"),
        "taller": (texture((4, 8)), {}, "copy-into-texture-size"),
        "into-f4": (texture((4, 4), dtype="f4"), {}, "copy-into-texture-format"),
        "into-f2": (texture((4, 4), dtype="f2"), {}, "copy-into-texture-format"),
        "into-nu2": (texture((4, 4), dtype="nu2"), {}, "copy-into-texture-format"),
        "into-srgb": (texture((4, 4), internal_format="srgb8_alpha8"), {},
                      "copy-into-texture-format"),
    }
    for name, (dst, kw, difference) in cases.items():
        yield "copy-into-texture/%s" % name, make(dst, **kw), difference

    def then_sampled(ctx):
        fbo = ctx.framebuffer_of([ctx.renderbuffer((4, 4))])
        fbo.use()
        fbo.clear(color=(1.0, 0.0, 0.0, 1.0))
        prog = output_program(ctx, [(0, "vec4", "vec4(0.0, 1.0, 0.5, 1.0)")])
        shape(ctx, prog, LEFT_HALF).render("triangle_strip")
        tex = ctx.texture((4, 4), 4)
        tex.build_mipmaps()
        ctx.copy_framebuffer(tex, fbo)
        tex.set("filter", ("nearest", "nearest"))
        tex.use(0)
        sampled(ctx, FS_2D, (4, 4))
    yield "copy-into-texture/then-sampled", then_sampled, None

    def from_texture(ctx, same):
        src_tex = ctx.texture((4, 4), 4)
        fbo = ctx.framebuffer_of([src_tex])
        fbo.clear(color=(0.0, 0.0, 1.0, 1.0))
        tex = src_tex if same else ctx.texture((4, 4), 4)
        ctx.copy_framebuffer(tex, fbo)
        tex.read()
    yield "copy-into-texture/from-a-texture", lambda ctx: from_texture(ctx, False), None
    yield "copy-into-texture/into-its-own-source", lambda ctx: from_texture(ctx, True), \
        "copy-overlap"

    def resolved_into_texture(ctx):
        ms = ctx.texture((4, 4), 4, samples=4)
        fbo = ctx.framebuffer_of([ms])
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
        prog = output_program(ctx, [(0, "vec4", "vec4(1.0, 0.5, 0.25, 1.0)")])
        shape(ctx, prog, TRIANGLE).render("triangles")
        tex = ctx.texture((4, 4), 4)
        ctx.copy_framebuffer(ctx.framebuffer_of([tex]), fbo)
        tex.read()
    yield "copy-into-texture/resolve-then-copy", resolved_into_texture, None
# --- chunked reads and writes, read_into (issue 14, item 2) -----------------------------

def moderngl_accepts_chunks(size, chunk, start, step, count):
    """ModernGL's range check of read_chunks and write_chunks (moderngl.cpp)."""
    if start < 0:
        start += size
    last = start + count * step - step
    return (start >= 0 and chunk >= 0 and chunk <= abs(step) and start + chunk <= size
            and last >= 0 and last + chunk <= size)


def chunk_scenes():
    data = bytes(range(1, 17))
    layouts = list(itertools.product((0, 1, 2, 5), (-16, -3, 0, 1, 15, 16), (-5, -2, 0, 2, 16),
                                     (1, 3)))
    for chunk, start, step, count in layouts:
        def s(ctx, chunk=chunk, start=start, step=step, count=count):
            ctx.buffer(data).read_chunks(chunk, start, step, count)
        yield "chunks/read-%d-from-%d-by-%d-x%d" % (chunk, start, step, count), s, None
        if chunk == 0:
            continue  # no data to cut: write_chunks of b"" is `write` of nothing
        def w(ctx, chunk=chunk, start=start, step=step, count=count):
            b = ctx.buffer(data)
            b.write_chunks(bytes(0xA0 + i for i in range(chunk * count)), start, step, count)
            b.read()
        yield "chunks/write-%d-from-%d-by-%d-x%d" % (chunk, start, step, count), w, None
    for start, step in ((0, 2), (4, 2), (-4, 4), (2, -2)):
        def z(ctx, start=start, step=step):
            ctx.buffer(data).read_chunks(2, start, step, 0)
        accepted = moderngl_accepts_chunks(16, 2, start, step, 0)
        yield "chunks/read-none-from-%d-by-%d" % (start, step), z, (
            "chunk-count-zero" if accepted else None)
    # write_chunks data that does not cut into `count` equal chunks
    for length, count in ((3, 2), (5, 4), (1, 2)):
        def bad(ctx, length=length, count=count):
            ctx.buffer(data).write_chunks(bytes(length), 0, 4, count)
        yield "chunks/write-%d-bytes-in-%d" % (length, count), bad, None
    # the chunks of a streamed buffer, after an orphan and after a full write
    def streamed(ctx):
        b = ctx.buffer(data, dynamic=True)
        b.orphan(32)
        b.write(bytes(range(100, 132)))
        b.write_chunks(b"\x01\x02\x03\x04\x05\x06", 30, -12, 3)
        b.read_chunks(3, 1, 10, 3)
        b.read()
    yield "chunks/streamed", streamed, None
    # read_into and read_chunks_into: the bytes that land after `write_offset`
    for size, offset, write_offset in itertools.product((-1, 0, 4, 16, 17), (0, 5, 16, 17),
                                                        (0, 3)):
        def r(ctx, size=size, offset=offset, write_offset=write_offset):
            ctx.buffer(data).read_into(size, offset, write_offset)
        # Unlike `read`, ModernGL's read_into copies 0 bytes without checking the map.
        yield "chunks/read-into-%s-at-%d-to-%d" % (size, offset, write_offset), r, None
    for layout in ((2, 0, 4, 4), (1, -1, -3, 5), (4, 12, -4, 3), (3, 14, 4, 1)):
        for write_offset in (0, 5):
            def ri(ctx, layout=layout, write_offset=write_offset):
                ctx.buffer(data).read_chunks_into(*layout, write_offset=write_offset)
            yield "chunks/read-into-%s-to-%d" % ("-".join(map(str, layout)), write_offset), ri, \
                None


# --- uniform and storage blocks fed from buffer bindings (issue 14, item 1) ---------------

BLOCK_VS = HEADER + "in vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0, 1); }\n"
# Pixel x of a 4x1 framebuffer takes colors[x] of a uniform block (`%s`: more layout).
UNIFORM_BLOCK_LAYOUT = HEADER + """layout(std140%s) uniform Colors { vec4 colors[4]; };
layout(location = 0) out vec4 color;
void main() { color = colors[int(gl_FragCoord.x)]; }
"""
UNIFORM_BLOCK_FS = UNIFORM_BLOCK_LAYOUT % ""
# Pixel x takes values[4x .. 4x + 4] of a storage block.
STORAGE_BLOCK_FS = HEADER + """layout(std430) buffer Values { float values[]; };
layout(location = 0) out vec4 color;
void main() {
  int i = int(gl_FragCoord.x) * 4;
  color = vec4(values[i], values[i + 1], values[i + 2], values[i + 3]);
}
"""


def block_colors(seed):
    return f32([seed * 10 + i * 0.25 for i in range(16)])


def block_draw(ctx, fs, bindings=()):
    """A 4x1 float framebuffer in use and a function drawing `fs` over it and reading it;
    `bindings` are (block name, binding) pairs set on the program first."""
    prog = ctx.program(vertex_shader=BLOCK_VS, fragment_shader=fs)
    for name, binding in bindings:
        prog.set_binding(name, binding)
    fbo = ctx.framebuffer((4, 1), colors=("rgba32f",))
    fbo.use()
    fbo.clear(color=(0.5, 0.5, 0.5, 0.5))
    vao = ctx.vertex_array(prog, [(ctx.buffer(TRIANGLE_3), "2f", "pos")])

    def draw():
        vao.render("triangles")
        fbo.read(components=4, dtype="f4")
    return prog, draw


def block_scenes():
    # A uniform block read through each way of naming a binding and a range.
    for binding, offset, size in itertools.product((0, 1, 83), (0, 256), (-1, 64, 80)):
        def s(ctx, binding=binding, offset=offset, size=size):
            _, draw = block_draw(ctx, UNIFORM_BLOCK_FS, bindings=[("Colors", binding)])
            ubo = ctx.buffer(bytes(offset) + block_colors(1) + bytes(16))
            ubo.bind_to_uniform_block(binding, offset, size)
            draw()
        yield "blocks/uniform-binding-%d-offset-%d-size-%d" % (binding, offset, size), s, None
    for binding in (3, 89):
        def declared(ctx, binding=binding):
            fs = UNIFORM_BLOCK_LAYOUT % (", binding = %d" % binding)
            _, draw = block_draw(ctx, fs)
            ctx.buffer(block_colors(2)).bind_to_uniform_block(binding)
            draw()
        yield "blocks/uniform-declared-binding-%d" % binding, declared, (
            "block-binding-limit" if binding >= 84 else None)
    # Offsets that are not a multiple of the alignment (16 on llvmpipe), bindings past the
    # guaranteed count and past the driver's, ranges out of the buffer: GL or gltape refuse.
    for binding, offset, size, difference in (
            (0, 4, -1, None), (0, 8, 16, None), (84, 0, -1, "block-binding-limit"),
            (90, 0, -1, None), (0, 0, 0, None), (0, 48, 32, "block-binding-checked")):
        def bad(ctx, binding=binding, offset=offset, size=size):
            _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
            ctx.buffer(block_colors(3)).bind_to_uniform_block(binding, offset, size)
            draw()
        yield "blocks/uniform-bad-%d-%d-%d" % (binding, offset, size), bad, difference
    # Storage blocks: a range from an offset, a binding set by name.
    for binding, offset in itertools.product((0, 5, 7), (0, 16, 32)):
        def st(ctx, binding=binding, offset=offset):
            _, draw = block_draw(ctx, STORAGE_BLOCK_FS, bindings=[("Values", binding)])
            ctx.buffer(bytes(offset) + block_colors(4)).bind_to_storage_buffer(binding, offset)
            draw()
        yield "blocks/storage-binding-%d-offset-%d" % (binding, offset), st, None
    for binding, offset, where, difference in (
            (8, 0, "buffer", "block-binding-limit"), (8, 0, "program", "block-binding-limit"),
            (80, 0, "program", None), (0, 4, "buffer", None)):
        def sbad(ctx, binding=binding, offset=offset, where=where):
            named = [("Values", binding)] if where == "program" else []
            _, draw = block_draw(ctx, STORAGE_BLOCK_FS, bindings=named)
            ssbo = ctx.buffer(bytes(offset) + block_colors(5))
            ssbo.bind_to_storage_buffer(binding if where == "buffer" else 0, offset)
            if where == "program":
                ssbo.bind_to_storage_buffer(0, offset)
            draw()
        yield "blocks/storage-bad-%s-%d-%d" % (where, binding, offset), sbad, difference
    # Names: a missing block, a block named as ModernGL names it.
    def missing(ctx):
        block_draw(ctx, UNIFORM_BLOCK_FS, bindings=[("Missing", 1)])
    yield "blocks/missing-name", missing, None
    # Two blocks of one program on two buffers, swapped between draws.
    def two(ctx):
        fs = HEADER + """layout(std140) uniform A { vec4 a; };
layout(std430) buffer B { vec4 b; };
layout(location = 0) out vec4 color;
void main() { color = a * 2.0 + b; }
"""
        prog, draw = block_draw(ctx, fs, bindings=[("A", 1), ("B", 2)])
        x = ctx.buffer(f32([1, 2, 3, 4]))
        y = ctx.buffer(f32([0.5, 0.25, 0.125, 8]))
        x.bind_to_uniform_block(1)
        y.bind_to_storage_buffer(2)
        draw()
        y.bind_to_uniform_block(1)
        x.bind_to_storage_buffer(2)
        draw()
        prog.set_binding("A", 2)
        y.bind_to_uniform_block(2)
        draw()
    yield "blocks/two-blocks-swapped", two, None
    # Streamed: orphan + write each frame, the binding made once or each frame.
    for rebind in (False, True):
        def streamed(ctx, rebind=rebind):
            _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
            ubo = ctx.buffer(reserve=64, dynamic=True)
            ubo.bind_to_uniform_block(0)
            for frame in range(4):
                ubo.orphan()
                ubo.write(block_colors(frame))
                if rebind:
                    ubo.bind_to_uniform_block(0)
                draw()
        yield "blocks/streamed%s" % ("-rebound" if rebind else ""), streamed, None
    # A binding keeps its range when its buffer grows; reading past it once it shrinks, or
    # through an empty binding, or from a released buffer, is gltape's error.
    def grown(ctx):
        _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
        ubo = ctx.buffer(block_colors(6))
        ubo.bind_to_uniform_block(0)
        ubo.orphan(128)
        ubo.write(block_colors(7) + block_colors(8))
        draw()
    yield "blocks/orphan-grown", grown, None
    def shrunk(ctx):
        _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
        ubo = ctx.buffer(block_colors(6))
        ubo.bind_to_uniform_block(0)
        ubo.orphan(32)
        ubo.write(block_colors(7)[:32])
        draw()
    yield "blocks/orphan-shrunk", shrunk, "block-binding-checked"
    def unbound(ctx):
        _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
        draw()
    yield "blocks/unbound", unbound, "block-binding-checked"
    def released(ctx):
        _, draw = block_draw(ctx, UNIFORM_BLOCK_FS)
        ubo = ctx.buffer(block_colors(9))
        ubo.bind_to_uniform_block(0)
        ubo.release()
        draw()
    yield "blocks/released", released, "block-binding-checked"
    # A vertex shader reading a uniform block, captured by transform feedback.
    def captured(ctx):
        prog = capture_program(
            ctx, ["vec4 p"], [("moved", "vec4", "p * scale + offset")],
            extra="layout(std140) uniform Params { vec4 scale; vec4 offset; };\n")
        points = ctx.buffer(f32([1, 2, 3, 4, -1, 0.5, 0, 8]))
        vao = ctx.vertex_array(prog, [(points, "4f", "p")])
        ctx.buffer(f32([2, 3, 0.5, -1, 10, 20, 30, 40])).bind_to_uniform_block(0)
        out = ctx.buffer(reserve=32)
        vao.transform([out], "points")
        out.read()
    yield "blocks/transform", captured, None


# --- compute shaders, image units, barriers (issue 14, item 3) ----------------------------

STORE_CS = HEADER + """layout(local_size_x = 2, local_size_y = 2) in;
layout(r32ui, binding = 0) uniform writeonly uimage2D img;
uniform uint offset;
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    imageStore(img, at, uvec4(offset + uint(at.x + at.y * 4)));
}
"""

INCREMENT_CS = HEADER + """layout(local_size_x = 1) in;
layout(r32ui, binding = 0) uniform readonly uimage2D src;
layout(r32ui, binding = 1) uniform writeonly uimage2D dst;
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    imageStore(dst, at, imageLoad(src, at) + 1u);
}
"""


def stored(ctx, run, unit=0, level=0, offset=100):
    """A 4x4 r32ui texture bound to image `unit`, the store shader run by `run(shader)`, the
    texture read."""
    tex = ctx.texture((4, 4), 1, dtype="u4")
    tex.bind_to_image(unit, read=False, write=True, level=level)
    cs = ctx.compute_shader(STORE_CS.replace("binding = 0", "binding = %d" % unit))
    ctx.uniform(cs, "offset", "uint", [offset])
    run(cs)
    ctx.memory_barrier()
    tex.read()


def compute_scenes():
    yield "compute/store", lambda ctx: stored(ctx, lambda cs: cs.run(2, 2)), None
    yield "compute/store-part", lambda ctx: stored(ctx, lambda cs: cs.run(1, 2, 1)), None
    yield "compute/zero-groups", lambda ctx: stored(ctx, lambda cs: cs.run(0, 2, 1)), None
    yield "compute/unit-7", lambda ctx: stored(ctx, lambda cs: cs.run(2, 2), unit=7), None
    yield "compute/unit-8", lambda ctx: stored(ctx, lambda cs: cs.run(2, 2), unit=8), (
        "image-unit-limit")
    yield "compute/error-groups", lambda ctx: stored(ctx, lambda cs: cs.run(65536, 1, 1)), None

    for offset, counts in ((0, [2, 2, 1]), (4, [9, 2, 2, 1]), (0, [2, 2, 2]), (0, [0, 1, 1])):
        def indirect(ctx, offset=offset, counts=counts):
            buf = ctx.buffer(struct.pack("<%dI" % len(counts), *counts))
            stored(ctx, lambda cs: cs.run_indirect(buf, offset))
        yield "compute/indirect-%d-%s" % (offset, "-".join(map(str, counts))), indirect, None

    def indirect_written(ctx):
        # Counts written by transform feedback, which gltape reads back at replay.
        prog = capture_program(ctx, ["uint a"], [("o", "uint", "a * 2u")])
        src = ctx.buffer(struct.pack("<3I", 1, 1, 1))
        counts = ctx.buffer(reserve=12)
        ctx.vertex_array(prog, [(src, "u", "a")]).transform([counts], "points")
        stored(ctx, lambda cs: cs.run_indirect(counts))
    yield "compute/indirect-written-by-gl", indirect_written, None

    def increment(ctx, by_region):
        pixels = bytes(range(1, 17))
        rgba = ctx.texture((2, 2), 4, pixels)
        out = ctx.texture((2, 2), 1, dtype="u4")
        rgba.bind_to_image(0, write=False, format="r32ui")
        out.bind_to_image(1, read=False)
        cs = ctx.compute_shader(INCREMENT_CS)
        cs.run(2, 2)
        ctx.memory_barrier(32, by_region)
        out.bind_to_image(0, write=False)
        rgba.bind_to_image(1, read=False, format="r32ui")
        cs.run(2, 2)
        ctx.memory_barrier(ALL_BARRIER_BITS)
        out.read()
        rgba.read()
    yield "compute/load-store-format", lambda ctx: increment(ctx, False), None
    yield "compute/load-store-by-region", lambda ctx: increment(ctx, True), None

    def layered(ctx):
        vol = ctx.texture3d((2, 1, 3), 1, dtype="f4")
        vol.bind_to_image(2, read=False)
        cs = ctx.compute_shader(HEADER + """layout(local_size_x = 1) in;
layout(r32f, binding = 2) uniform writeonly image3D img;
void main() {
    ivec3 at = ivec3(gl_GlobalInvocationID);
    imageStore(img, at, vec4(float(at.x) + 10.0 * float(at.z) + 0.5));
}
""")
        cs.run(2, 1, 3)
        ctx.memory_barrier()
        vol.read()
    yield "compute/layered-3d", layered, None

    def uniforms(ctx):
        tex = ctx.texture((2, 2), 4, dtype="f4")
        tex.bind_to_image(3, read=False, format="rgba32f")
        cs = ctx.compute_shader(HEADER + """layout(local_size_x = 2, local_size_y = 2) in;
layout(rgba32f, binding = 3) uniform writeonly image2D img;
uniform vec4 scale;
uniform int shift[2];
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    imageStore(img, at, scale * vec4(at.x + shift[0], at.y + shift[1], 1, 2));
}
""")
        ctx.uniform(cs, "scale", "vec4", [0.5, 2.0, -1.0, 3.0])
        ctx.uniform(cs, "shift", "int", [10, -3])
        cs.run()
        ctx.memory_barrier()
        tex.read()
    yield "compute/uniforms", uniforms, None

    def level(ctx, build):
        tex = ctx.texture((4, 4), 1, dtype="f4")
        if build:
            tex.build_mipmaps()
        tex.bind_to_image(0, read=False, level=1)
        cs = ctx.compute_shader(HEADER + """layout(local_size_x = 1) in;
layout(r32f, binding = 0) uniform writeonly image2D img;
void main() { imageStore(img, ivec2(gl_GlobalInvocationID.xy), vec4(0.25)); }
""")
        if build:
            # ModernGL binds a level that holds no image too; a run storing to it is left
            # out (GL ignores such stores, llvmpipe need not).
            cs.run(2, 2)
        ctx.memory_barrier()
        tex.read(level=1 if build else 0)
    yield "compute/level-1", lambda ctx: level(ctx, True), None
    yield "compute/level-missing", lambda ctx: level(ctx, False), "image-level"

    def no_access(ctx):
        ctx.texture((2, 2), 4).bind_to_image(0, read=False, write=False)
    yield "compute/error-no-access", no_access, None

    def rgb(ctx, format):
        ctx.texture((2, 2), 3).bind_to_image(0, format=format)
        ctx.buffer(b"\x00").read()
    yield "compute/error-rgb-own-format", lambda ctx: rgb(ctx, None), None

    def compile_error(ctx):
        ctx.compute_shader(HEADER + "layout(local_size_x = 1) in;\nvoid main() { nope; }\n")
    yield "compute/error-compile", compile_error, None

    def released(ctx):
        cs = ctx.compute_shader(HEADER + "layout(local_size_x = 1) in;\nvoid main() {}\n")
        cs.release()
        cs.run()
    yield "compute/error-released", released, None

    def vertex_array(ctx):
        cs = ctx.compute_shader(HEADER + "layout(local_size_x = 1) in;\nvoid main() {}\n")
        ctx.vertex_array(cs, [(ctx.buffer(f32([0, 0])), "2f", "pos")])
    yield "compute/error-vertex-array", vertex_array, None

    def storage_sum(ctx, rebind):
        values = ctx.buffer(struct.pack("<256I", *range(256)))
        out = ctx.buffer(reserve=16)
        params = ctx.buffer(struct.pack("<4I", 3, 0, 0, 0))
        values.bind_to_storage_buffer(0)
        out.bind_to_storage_buffer(1)
        params.bind_to_uniform_block(0)
        cs = ctx.compute_shader(HEADER + """layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Input { uint values[]; };
layout(std430, binding = 1) buffer Output { uint sum; };
layout(std140, binding = 0) uniform Params { uint scale; };
void main() { atomicAdd(sum, scale * values[gl_GlobalInvocationID.x]); }
""")
        if rebind:
            values.bind_to_storage_buffer(4, 512)
            cs.set_binding("Input", 4)
        cs.run(4 if not rebind else 2)
        ctx.memory_barrier()
        out.read()
    yield "compute/storage-sum", lambda ctx: storage_sum(ctx, False), None
    yield "compute/storage-sum-rebound", lambda ctx: storage_sum(ctx, True), None

    def counts_from_a_shader(ctx):
        # A shader writes the work group counts, then a run reads them (GPU-driven).
        counts = ctx.buffer(struct.pack("<4I", 0, 0, 0, 0))
        counts.bind_to_storage_buffer(2)
        writer = ctx.compute_shader(HEADER + """layout(local_size_x = 1) in;
layout(std430, binding = 2) buffer Commands { uint words[]; };
void main() { words[0] = 2u; words[1] = 2u; words[2] = 1u; }
""")
        writer.run()
        ctx.memory_barrier(0x40)
        stored(ctx, lambda cs: cs.run_indirect(counts))
    yield "compute/indirect-from-a-shader", counts_from_a_shader, None

    def barriers(ctx):
        for bits in (1, 0x2000 | 0x20, 0x8000, ALL_BARRIER_BITS):
            ctx.memory_barrier(bits)
        ctx.memory_barrier(0x2000 | 0x1000, True)
        ctx.buffer(b"\x01").read()
    yield "compute/barriers", barriers, None


# --- queries and conditional rendering (item 4) ------------------------------------------

QUERY_VS = HEADER + "in vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0, 1); }\n"
QUERY_FS = HEADER + "out vec4 frag;\nvoid main() { frag = vec4(1); }\n"
QUERY_HALF = [-1, -1, 1, -1, -1, 1]
QUERY_OUTSIDE = [2, 2, 3, 2, 2, 3]
QUERY_QUAD = [-1, -1, 1, -1, -1, 1, 1, 1]


def query_target(ctx):
    """An 8x8 framebuffer in use, cleared, and `draw(points, mode, instances)`."""
    prog = ctx.program(vertex_shader=QUERY_VS, fragment_shader=QUERY_FS)
    fbo = ctx.framebuffer((8, 8))
    fbo.use()
    fbo.clear(color=(0.0, 0.0, 0.0, 1.0))

    def draw(points, mode="triangles", instances=1):
        vao = ctx.vertex_array(prog, [(ctx.buffer(f32(points)), "2f", "pos")])
        vao.render(mode, instances=instances)
    return fbo, draw


def query_scenes():
    def counted(ctx, points, mode, instances, reads, **kinds):
        fbo, draw = query_target(ctx)
        query = ctx.query(**kinds)
        query.begin()
        draw(points, mode, instances)
        query.end()
        for result in reads:
            query.read(result)
        fbo.read()
    yield "query/samples-triangle", lambda ctx: counted(
        ctx, QUERY_HALF, "triangles", 1, ["samples"], samples=True), None
    yield "query/samples-outside", lambda ctx: counted(
        ctx, QUERY_OUTSIDE, "triangles", 1, ["samples"], samples=True), None
    yield "query/samples-and-primitives", lambda ctx: counted(
        ctx, QUERY_QUAD, "triangle_strip", 3, ["samples", "primitives"], samples=True,
        primitives=True), None
    yield "query/primitives-points", lambda ctx: counted(
        ctx, QUERY_QUAD, "points", 2, ["primitives"], primitives=True), None
    yield "query/elapsed", lambda ctx: counted(
        ctx, QUERY_HALF, "triangles", 1, ["elapsed"], time=True), None
    yield "query/samples-primitives-time", lambda ctx: counted(
        ctx, QUERY_HALF, "triangles", 1, ["samples", "primitives", "elapsed"], samples=True,
        primitives=True, time=True), None
    yield "query/everything", lambda ctx: counted(
        ctx, QUERY_HALF, "triangles", 1, ["samples", "primitives"]), "query-one-occlusion"

    def twice(ctx):
        fbo, draw = query_target(ctx)
        query = ctx.query(samples=True)
        query.read("samples")
        for points in (QUERY_HALF, QUERY_QUAD):
            query.begin()
            draw(points, "triangle_strip")
            query.end()
            query.read("samples")
    yield "query/again-from-zero", twice, None

    for kinds in (dict(samples=True), dict(any_samples=True)):
        for counted_points, name in ((QUERY_HALF, "passed"), (QUERY_OUTSIDE, "failed")):
            def crender(ctx, kinds=kinds, counted_points=counted_points):
                fbo, draw = query_target(ctx)
                query = ctx.query(**kinds)
                query.begin()
                draw(counted_points)
                query.end()
                fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
                query.begin_render()
                draw(QUERY_QUAD, "triangle_strip")
                query.end_render()
                fbo.read()
                query.begin_render()
                fbo.clear(color=(0.0, 1.0, 0.0, 1.0))
                query.end_render()
                fbo.read()
            yield "query/crender-%s-%s" % ("-".join(kinds), name), crender, None

    def error(ctx, calls):
        fbo, draw = query_target(ctx)
        a = ctx.query(samples=True)
        b = ctx.query(samples=True, primitives=True)
        t = ctx.query(time=True)
        calls(a, b, t, draw)
    yield "query/error-end-unstarted", lambda ctx: error(ctx, lambda a, b, t, d: a.end()), None
    yield "query/error-begin-twice", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), a.begin())), None
    yield "query/error-read-running", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), a.read("samples"))), None
    yield "query/error-read-uncounted", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), a.end(), a.read("primitives"))), None
    yield "query/error-two-sample-queries", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), b.begin(), d(QUERY_HALF), b.end(), a.end())), None
    yield "query/error-crender-unended", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin_render(), d(QUERY_HALF), a.end_render())), None
    yield "query/error-crender-running", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), a.begin_render())), None
    yield "query/error-crender-without-samples", lambda ctx: error(
        ctx, lambda a, b, t, d: (t.begin(), t.end(), t.begin_render())), None
    yield "query/time-and-samples-at-once", lambda ctx: error(
        ctx, lambda a, b, t, d: (a.begin(), t.begin(), d(QUERY_HALF), t.end(), a.end(),
                                 a.read("samples"))), None


# --- indirect draws (item 5) ---------------------------------------------------------------

INDIRECT_VS = HEADER + """in vec2 pos;
in vec4 tint;
out vec4 color;
void main() { color = tint; gl_Position = vec4(pos, 0, 1); }
"""
INDIRECT_FS = HEADER + "in vec4 color;\nout vec4 frag;\nvoid main() { frag = color; }\n"
TWO_TRIANGLES = [-1, -1, 1, -1, -1, 1, 1, 1, -1, 1, 1, -1]


def commands(*cmds):
    """Draw commands of 5 words each (arrays use the first 4)."""
    words = [w for c in cmds for w in (list(c) + [0] * 5)[:5]]
    return struct.pack("<%dI" % len(words), *words)


def indirect_scene(cmds, count=-1, first=0, indexed=False, mode="triangles"):
    def s(ctx):
        prog = ctx.program(vertex_shader=INDIRECT_VS, fragment_shader=INDIRECT_FS)
        vbo = ctx.buffer(f32(TWO_TRIANGLES))
        tints = ctx.buffer(bytes([255, 0, 0, 255, 0, 255, 0, 255]))
        ibo = ctx.buffer(struct.pack("<6H", 0, 1, 2, 3, 4, 5)) if indexed else None
        fbo = ctx.framebuffer((8, 8))
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
        vao = ctx.vertex_array(prog, [(vbo, "2f", "pos"), (tints, "4f1 /i", "tint")], ibo, 2)
        vao.render_indirect(ctx.buffer(commands(*cmds)), mode, count, first)
        fbo.read()
    return s


def indirect_scenes():
    yield "indirect/arrays", indirect_scene([(3, 1, 0, 0)]), None
    yield "indirect/arrays-two", indirect_scene([(3, 1, 0, 0), (3, 1, 3, 1)]), None
    yield "indirect/arrays-first", indirect_scene([(3, 1, 0, 0), (3, 1, 3, 1)], first=1), None
    yield "indirect/arrays-count", indirect_scene([(3, 1, 0, 0), (3, 1, 3, 1)], count=1), None
    yield "indirect/arrays-none", indirect_scene([(3, 1, 0, 0)], count=0), None
    yield "indirect/arrays-instances", indirect_scene([(6, 2, 0, 0)], mode="points"), None
    yield "indirect/indexed", indirect_scene([(3, 1, 3, 0, 1)], indexed=True), None
    yield "indirect/indexed-base-vertex", indirect_scene(
        [(3, 1, 0, 3, 0), (3, 1, 0, 0, 1)], indexed=True), None
    yield "indirect/lines", indirect_scene([(6, 1, 0, 0)], mode="line_strip"), None
    yield "indirect/error-past-the-buffer", indirect_scene([(3, 1, 0, 0)], count=2), None
    yield "indirect/past-the-vertices", indirect_scene([(7, 1, 0, 0)]), "record-time-bounds"

    def written(ctx):
        # Commands written by transform feedback, which gltape reads back at replay.
        prog = capture_program(ctx, ["uint a"], [("o", "uint", "a")])
        words = [6, 2, 0, 0, 0]
        src = ctx.buffer(struct.pack("<5I", *words))
        out = ctx.buffer(reserve=20)
        ctx.vertex_array(prog, [(src, "u", "a")]).transform([out], "points")
        draw = ctx.program(vertex_shader=INDIRECT_VS, fragment_shader=INDIRECT_FS)
        vbo = ctx.buffer(f32(TWO_TRIANGLES))
        tints = ctx.buffer(bytes([255, 0, 0, 255, 0, 255, 0, 128]))
        fbo = ctx.framebuffer((8, 8))
        fbo.use()
        fbo.clear(color=(0.0, 0.0, 0.0, 1.0))
        vao = ctx.vertex_array(draw, [(vbo, "2f", "pos"), (tints, "4f1 /i", "tint")])
        vao.render_indirect(out, "triangles")
        fbo.read()
    yield "indirect/written-by-gl", written, None


# --- streaming: gltape replays these under every stream strategy ------------------------

def stream_scenes():
    """Orphan + full write streams, which tests/moderngl.rs also replays with the fold and
    ring strategies: fills in a row with nothing between (the ring refills its slot in
    place), around transforms and reads that use the buffer (the ring moves on, fenced), and
    to other sizes and back (a ring per size)."""
    def frame(value):
        return f32([value, value + 0.25, value + 0.5, value + 0.75])

    def refill(ctx):
        prog = capture_program(ctx, ["float a"], [("x", "float", "a * 2.0")])
        vbo = ctx.buffer(reserve=16, dynamic=True)
        out = ctx.buffer(reserve=16)
        vao = ctx.vertex_array(prog, [(vbo, "f", "a")])
        value = 0
        for _ in range(3):
            for _ in range(3):
                value += 1
                vbo.orphan()
                vbo.write(frame(value))
            vao.transform([out], "points")
            out.read()
            value += 1
            vbo.orphan()
            vbo.write(frame(value))
            vbo.read()
    yield "stream/refill-around-transforms-and-reads", refill, None

    def sizes(ctx):
        buf = ctx.buffer(reserve=16, dynamic=True)
        for i, size in enumerate((16, 32, 32, 8, 16, 16)):
            buf.orphan(size)
            buf.write(bytes((i * 40 + j) % 256 for j in range(size)))
            buf.read()
        buf.orphan()
        buf.write(bytes(range(200, 216)))
        buf.orphan()
        buf.write(bytes(range(100, 116)))
        buf.read()
    yield "stream/sizes", sizes, None


def scenes():
    for group in (buffer_scenes, format_scenes, matrix_scenes, name_scenes, grammar_scenes,
                  draw_scenes, transform_scenes, uniform_scenes, blend_scenes, depth_scenes,
                  raster_scenes, framebuffer_state_scenes, renderbuffer_scenes,
                  attachment_scenes, draw_into_scenes, copy_scenes, texture_scenes,
                  texture_attachment_scenes, copy_into_texture_scenes, chunk_scenes,
                  block_scenes, compute_scenes, query_scenes, indirect_scenes,
                  stream_scenes):
        yield from group()
