"""gltape's text form (docs/text-format.md), written one call at a time.

`Tape` writes JSON Lines, one line per recorder call, hands out the dense ids the assembler
expects and writes payloads either inline as hex or, given a `Payloads` store, as
`{"offset": N, "len": M}` ranges of its binary payload file (what `gltape assemble --payloads
FILE` reads). The capture (`recording.py`) and the differential suite's facade
(tests/moderngl/facade.py) both write through it.
"""

import json

# Uniform types: GLSL name -> (struct letter, words per element).
UNIFORM_TYPES = {
    "float": ("f", 1), "vec2": ("f", 2), "vec3": ("f", 3), "vec4": ("f", 4),
    "int": ("i", 1), "ivec2": ("i", 2), "ivec3": ("i", 3), "ivec4": ("i", 4),
    "uint": ("I", 1), "uvec2": ("I", 2), "uvec3": ("I", 3), "uvec4": ("I", 4),
    "bool": ("i", 1), "bvec2": ("i", 2), "bvec3": ("i", 3), "bvec4": ("i", 4),
    "double": ("d", 1), "dvec2": ("d", 2), "dvec3": ("d", 3), "dvec4": ("d", 4),
    "mat2": ("f", 4), "mat3": ("f", 9), "mat4": ("f", 16),
    "mat2x3": ("f", 6), "mat2x4": ("f", 8), "mat3x2": ("f", 6),
    "mat3x4": ("f", 12), "mat4x2": ("f", 8), "mat4x3": ("f", 12),
    "dmat2": ("d", 4), "dmat3": ("d", 9), "dmat4": ("d", 16),
    "dmat2x3": ("d", 6), "dmat2x4": ("d", 8), "dmat3x2": ("d", 6),
    "dmat3x4": ("d", 12), "dmat4x2": ("d", 8), "dmat4x3": ("d", 12),
}

# The first id of each kind (framebuffer 0 is the screen).
FIRST_IDS = {"buffer": 0, "program": 0, "vertex_array": 0, "framebuffer": 1,
             "renderbuffer": 0, "readback": 0, "texture": 0, "sampler": 0, "query": 0}


# How many payload bytes a `Payloads` store holds in memory before writing them to its file.
SPILL_BYTES = 1 << 30


class Payloads:
    """The payloads of a capture: ranges of the binary payload file at `path`, whose bytes
    stay in memory until `flush` (at save, or once `spill_bytes` are held) writes them.

    Taking a payload costs no copy when it is immutable: a `bytes` object, or a read-only
    view of one, is kept by reference, and the same `bytes` object taken again (a loop
    writing one frame's data) reuses its range. Anything else (a `bytearray`, an array, a
    writable view) the program may change later, so its bytes are copied, unless they equal
    the copy last taken from the same object, whose range is then reused. Reuse lasts while
    the bytes are held."""

    def __init__(self, path, spill_bytes=SPILL_BYTES):
        self.path = path
        self.spill_bytes = spill_bytes
        self.size = 0  # bytes of the payload file, written and held
        self._held = []  # the bytes of the ranges not written yet, in file order
        self._held_bytes = 0
        self._ranges = {}  # id of a held `bytes` object -> its offset
        self._copies = {}  # id of a mutable object -> (the last copy of it, its offset)
        self._written = False

    def take(self, data):
        """The range (offset, length) of the bytes of `data` in the payload file."""
        if type(data) is bytes:
            offset = self._ranges.get(id(data))
            if offset is not None:
                return offset, len(data)
            self._ranges[id(data)] = self.size
            return self._hold(data)
        view = memoryview(data)
        if view.readonly and type(view.obj) is bytes and view.c_contiguous:
            return self._hold(view.cast("B"))
        last = self._copies.get(id(view.obj))
        if last is not None and last[0] == view:  # bytearray == view compares with memcmp
            return last[1], len(last[0])
        copy = bytearray(view)
        self._copies[id(view.obj)] = (copy, self.size)
        return self._hold(copy)

    def _hold(self, kept):
        """Appends `kept` (bytes of a C-contiguous buffer) to the file's ranges."""
        offset, length = self.size, len(kept)
        self._held.append(kept)
        self.size += length
        self._held_bytes += length
        if self._held_bytes >= self.spill_bytes:
            self.flush()
        return offset, length

    def flush(self):
        """Appends the held bytes to the payload file (made by the first flush) and lets
        them go."""
        with open(self.path, "ab" if self._written else "wb") as out:
            for kept in self._held:
                out.write(kept)
        self._written = True
        self._held.clear()
        self._ranges.clear()
        self._copies.clear()
        self._held_bytes = 0


class Tape:
    """Writes lines of the text form to `out` (a text file or `io.StringIO`).

    With `payloads` (a `Payloads` store) every payload becomes a range of its file; without,
    payloads are hex strings in the line. With `sites` (a `wrapping.CallSites`) the call
    site of each line is noted."""

    def __init__(self, out, payloads=None, sites=None):
        self.out = out
        self.payloads = payloads
        self.sites = sites
        self.next = dict(FIRST_IDS)

    def emit(self, op, **fields):
        """Writes one line: `op` and the fields in the order given."""
        if self.sites is not None:
            self.sites.note()
        self.out.write(json.dumps(dict(op=op, **fields), separators=(",", ":")))
        self.out.write("\n")

    def take_id(self, kind):
        """The next id of `kind` ("buffer", "readback", ...), handed out."""
        self.next[kind] += 1
        return self.next[kind] - 1

    def payload(self, data):
        """A payload field for the bytes of `data` (anything with the buffer protocol),
        or None for None."""
        if data is None:
            return None
        if self.payloads is None:
            return memoryview(data).tobytes().hex()
        offset, length = self.payloads.take(data)
        return {"offset": offset, "len": length}


def attachment(kind, id):
    """A framebuffer attachment of the text form: a renderbuffer, or a texture as ModernGL
    attaches it (its level 0, every layer)."""
    if kind == "texture":
        return {"texture": {"id": id, "level": 0, "layer": None}}
    return {kind: id}


def number(x):
    """A float as the text form writes it: non-finite values are words."""
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return x


def rest(size):
    """ModernGL's size=-1 ("the rest") is the text form's null."""
    return None if size == -1 else size
