"""The ModernGL column of `scripts/bench-report --streaming-table`: ModernGL's own
`buf.orphan(); buf.write(data)` loop over FRAMES distinct frames of SIZE bytes on one dynamic
buffer, LOOPS times, each loop ended by `ctx.finish()`; prints one JSON line with the best
loop's seconds and the median loop's.

    python scripts/stream_moderngl.py SIZE FRAMES LOOPS

Run with the interpreter of a virtualenv holding ModernGL (5.13 for the report); the context
is a standalone EGL context of GL 4.5, as the differential suite makes.
"""

import json
import os
import sys
import time

import moderngl


def main():
    size, frames, loops = (int(a) for a in sys.argv[1:4])
    ctx = moderngl.create_standalone_context(require=450, backend="egl")
    buf = ctx.buffer(reserve=size, dynamic=True)
    data = [os.urandom(size) for _ in range(frames)]
    ctx.finish()
    times = []
    for _ in range(loops):
        started = time.perf_counter()
        for frame in data:
            buf.orphan()
            buf.write(frame)
        ctx.finish()
        times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "size": size,
                "frames": frames,
                "loops": loops,
                "best_loop_seconds": min(times),
                "median_loop_seconds": sorted(times)[len(times) // 2],
                "moderngl": moderngl.__version__,
                "renderer": ctx.info["GL_RENDERER"],
            }
        )
    )


if __name__ == "__main__":
    main()
