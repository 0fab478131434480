"""The wrapping machinery of a capture: `Wrapper` (a ModernGL object and the capture it
records into; what no wrapper method handles is forwarded and reported), `Opaque` (an object
made by a call the capture could not record) and `Capture` (the tape, the readback digests
and the report of what could not be recorded, with the Python file and line of each first
use). The wrappers of each kind of object live in the modules that use this one."""

import array
import hashlib
import sys
import weakref

def digest(data):
    """The SHA-256 of the bytes of `data`, in hex, as the trace header keeps it."""
    return hashlib.sha256(memoryview(data).cast("B")).hexdigest()


# The packages whose frames a call site skips: this one and ModernGL's own Python (its
# `create_standalone_context` calls `create_context`).
_SKIPPED = frozenset({__package__, "moderngl"})


def call_site(depth=1):
    """(file, line) of the innermost frame outside this package and ModernGL's, searched
    from the caller's frame (`depth` 1) outward: the program's call."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_globals.get("__package__") in _SKIPPED:
        frame = frame.f_back
    if frame is None:
        return "?", 0
    return frame.f_code.co_filename, frame.f_lineno


class CallSites:
    """The call site of each line of the text form, kept cheaply: one small index per line
    into the distinct sites."""

    def __init__(self):
        self._lines = array.array("I")
        self._sites = []
        self._index = {}

    def note(self):
        """Notes the call site of the line being written (called by `Tape.emit`; each
        frame walked costs about 0.2 us, about 1 us a call in all)."""
        site = call_site(3)
        index = self._index.get(site)
        if index is None:
            index = self._index[site] = len(self._sites)
            self._sites.append(site)
        self._lines.append(index)

    def of_line(self, number):
        """`file:line` of the call that wrote line `number` (1-based), or None."""
        if not 1 <= number <= len(self._lines):
            return None
        return "%s:%d" % self._sites[self._lines[number - 1]]


class Uncapturable(Exception):
    """An argument gltape cannot record (raised inside the wrappers, reported, never seen by
    the program)."""


class Wrapper:
    """A ModernGL object and the capture it records into. `_id` is its gltape id, or None
    when the capture holds no such object (one made from something it could not record)."""

    _kind = "Object"
    # The text form's name of its kind of object (`release` lines, `id_of`).
    _kind_name = None
    # Attributes that only read what ModernGL knows: forwarded without a report.
    _pure = frozenset({"extra", "glo", "label", "ctx", "size", "width", "height", "samples",
                       "components", "dtype", "depth", "dynamic", "name", "is_transform",
                       "geometry_input", "geometry_output", "geometry_vertices", "viewport",
                       "scissor", "color_mask", "depth_mask", "bits", "vertices", "instances",
                       "mode", "index_element_size", "subroutines"})

    def __init__(self, capture, real, id):
        object.__setattr__(self, "_capture", capture)
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_id", id)

    @property
    def __class__(self):
        """ModernGL's class of the object, so that `isinstance(wrapper, moderngl.Buffer)`
        holds as it does without a capture (`type(wrapper)` stays the wrapper's class)."""
        return type(self._real)

    def __getattr__(self, name):
        value = getattr(self._real, name)
        if name in self._pure or name.isupper():
            return value
        self._capture.uncaptured("%s.%s" % (self._kind, name))
        if not callable(value):
            return self._capture.opaque(value)

        def forward(*args, **kwargs):
            args = [unwrap(a) for a in args]
            kwargs = {k: unwrap(v) for k, v in kwargs.items()}
            return self._capture.opaque(value(*args, **kwargs))
        return forward

    def __setattr__(self, name, value):
        setter = getattr(type(self), "set_" + name, None)
        if setter is None:
            if name != "extra":
                self._capture.uncaptured("%s.%s = ..." % (self._kind, name))
            setattr(self._real, name, value)
        else:
            setter(self, value)

    def __repr__(self):
        return "<gltape capture of %r>" % (self._real,)

    def _need_id(self, what):
        """This object's id, or Uncapturable when the capture does not hold it."""
        if self._id is None:
            raise Uncapturable("%s on a %s the capture does not hold" % (what, self._kind))
        return self._id

    def release(self):
        self._real.release()
        if self._id is not None:
            self._capture.tape.emit("release", object={self._kind_name: self._id})
            object.__setattr__(self, "_id", None)


def unwrap(obj):
    """The ModernGL object behind a wrapper (anything else as it is)."""
    return obj._real if isinstance(obj, Wrapper) else obj


def id_of(obj, kind, what):
    """The gltape id of `obj`, a wrapper of an object of `kind` (an id sequence of the text
    form: "buffer", "program", "texture", ...), or Uncapturable."""
    if getattr(obj, "_kind_name", None) != kind or not isinstance(obj, Wrapper):
        name = obj._kind if isinstance(obj, Wrapper) else type(obj).__name__
        raise Uncapturable("%s with a %s the capture did not make" % (what, name))
    return obj._need_id(what)


class Opaque(Wrapper):
    """A ModernGL object made by a call the capture could not record (a texture, a query):
    every use of it is forwarded and reported."""

    def __init__(self, capture, real):
        super().__init__(capture, real, None)
        object.__setattr__(self, "_kind", type(real).__name__)


class Capture:
    """What one recording context writes: the tape, the readback digests and the report of
    what it could not record. `ctx.gltape` is this."""

    def __init__(self, tape, label=""):
        self.tape = tape
        self.label = label
        self.digests = []
        self.missing = {}  # what -> [first call site, count]
        self.wrappers = weakref.WeakValueDictionary()

    def uncaptured(self, what):
        """Notes one use of something the trace cannot hold."""
        entry = self.missing.get(what)
        if entry is None:
            self.missing[what] = ["%s:%d" % call_site(), 1]
        else:
            entry[1] += 1

    def record(self, what, write):
        """Runs `write()` (which writes lines), reporting `what` instead when it raises
        Uncapturable."""
        try:
            write()
        except Uncapturable as e:
            self.uncaptured(str(e) or what)

    def readback(self, data):
        """Keeps the digest of a readback's bytes, in readback order."""
        self.digests.append(digest(data))

    def end_frame(self):
        """Ends a frame (`gltape_moderngl.end_frame()`, a window's swap)."""
        self.tape.emit("end_frame")

    def incomplete(self):
        """The report, one line per thing not captured: first call site, what, uses."""
        return ["%s: %s (%d use%s)" % (site, what, count, "" if count == 1 else "s")
                for what, (site, count) in self.missing.items()]

    def header(self):
        """Writes the `header` line: label, digests, what is incomplete."""
        self.tape.emit("header", label=self.label, readback_digests=self.digests,
                       incomplete=self.incomplete())

    def opaque(self, value):
        """`value`, wrapped as an [`Opaque`] object when it is a ModernGL object."""
        module = type(value).__module__
        if module in ("moderngl", "_moderngl") and not isinstance(value, Wrapper):
            return self.wrap(Opaque, value, None)
        return value

    def wrap(self, cls, real, id):
        """A wrapper of `real`; the same one each time ModernGL hands out the same object."""
        found = self.wrappers.get(id_key(real))
        if found is not None:
            return found
        made = Opaque(self, real) if cls is Opaque else cls(self, real, id)
        self.wrappers[id_key(real)] = made
        return made


def id_key(real):
    return id(real)
