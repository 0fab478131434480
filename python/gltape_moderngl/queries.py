"""Queries of a recording context: ModernGL's `Query` (`with query:` counts, `query.samples`,
`.primitives` and `.elapsed` read the counts) and its `crender` (`with query.crender:` draws
only if the query passed a sample), wrapped (recording.py's `Context` makes them)."""

import struct

from .wrapping import Uncapturable, Wrapper


def made(capture, real, kinds):
    """The wrapper of a query ModernGL's `ctx.query(**kinds)` made, after its `create_query`
    line (a query of no kind counts every kind, as in ModernGL)."""
    if not any(kinds.values()):
        kinds = dict.fromkeys(kinds, True)
    tape = capture.tape
    id = tape.take_id("query")
    tape.emit("create_query", kinds={name: bool(value) for name, value in kinds.items()},
              query=id)
    query = capture.wrap(Query, real, id)
    object.__setattr__(query, "_kinds", kinds)
    return query


class Query(Wrapper):
    _kind = "Query"
    _kind_name = "query"

    def __enter__(self):
        self._real.__enter__()
        self._line("Query.__enter__", "begin_query")
        return self

    def __exit__(self, *args):
        self._real.__exit__(*args)
        self._line("Query.__exit__", "end_query")

    def _line(self, what, op):
        self._capture.record(what, lambda: self._capture.tape.emit(
            op, query=self._need_id(what)))

    @property
    def crender(self):
        real = self._real.crender
        return None if real is None else ConditionalRender(self._capture, real, self)

    @property
    def samples(self):
        return self._result("samples")

    @property
    def primitives(self):
        return self._result("primitives")

    @property
    def elapsed(self):
        """Nanoseconds: a readback `gltape replay --verify` does not compare."""
        return self._result("elapsed")

    def _result(self, name):
        """Reads count `name` into a `read_query` readback, its digest that of the count as
        a little-endian u32 (GL's GLuint, which ModernGL returns)."""
        value = getattr(self._real, name)
        what = "Query.%s" % name

        def write():
            tape = self._capture.tape
            tape.emit("read_query", query=self._need_id(what),
                      readback=tape.take_id("readback"), result=name)
            self._capture.readback(struct.pack("<I", value))
        self._capture.record(what, write)
        return value


class ConditionalRender(Wrapper):
    """`query.crender`: draws and clears inside `with` happen only if the query passed a
    sample. A query counting both samples and any samples (given both) begins only its
    samples in GL, and ModernGL's conditional render on the other fails, drawing everything:
    the capture then writes no condition and reports it."""

    _kind = "ConditionalRender"

    def __init__(self, capture, real, query):
        super().__init__(capture, real, None)
        object.__setattr__(self, "_query", query)

    def __enter__(self):
        self._real.__enter__()
        self._line("ConditionalRender.__enter__", "begin_conditional_render")
        return self

    def __exit__(self, *args):
        self._real.__exit__(*args)
        self._line("ConditionalRender.__exit__", "end_conditional_render")

    def _line(self, what, op):
        query = self._query

        def write():
            kinds = query._kinds
            if kinds["samples"] and kinds["any_samples"]:
                raise Uncapturable("Query.crender of a query counting samples and any_samples "
                                   "(ModernGL's draws unconditionally)")
            self._capture.tape.emit(op, query=query._need_id(what))
        self._capture.record(what, write)
