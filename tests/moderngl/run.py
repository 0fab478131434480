"""Runs every scene on ModernGL and writes a manifest for gltape's side of the comparison.

    python tests/moderngl/run.py MANIFEST.json [NAME-SUBSTRING]

Each scene runs on a fresh headless ModernGL 5.13 context (EGL, llvmpipe) with a 1x1
framebuffer bound (ModernGL needs one before drawing). Its outcome is an error when a call
raises or when GL reports an error at the end (ModernGL does not check glGetError itself;
gltape does after every command), else the bytes of every read. The manifest lists, per
scene, its name, its text form for gltape, ModernGL's outcome and the documented difference
it must show (or null); `tests/moderngl.rs` replays the text on gltape and compares.
"""

import json
import sys
import time

import moderngl

from facade import MglContext, TapeContext
from scenes import DIFFERENCES, scenes


def run_moderngl(scene):
    ctx = moderngl.create_standalone_context(require=450, backend="egl")
    try:
        ctx.framebuffer([ctx.renderbuffer((1, 1))]).use()
        ctx.error  # clears anything left from context creation
        facade = MglContext(moderngl, ctx)
        try:
            scene(facade)
            error = ctx.error
            if error != "GL_NO_ERROR":
                return {"ok": False, "error": error, "readbacks": []}
            return {"ok": True, "error": None, "readbacks": [b.hex() for b in facade.readbacks]}
        except Exception as e:  # any exception is ModernGL refusing the scene
            return {"ok": False, "error": "%s: %s" % (type(e).__name__, e), "readbacks": []}
    finally:
        ctx.release()


def main():
    out, pattern = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    start = time.time()
    manifest = {"moderngl": moderngl.__version__, "differences": {
        key: {"kind": kind, "why": why} for key, (kind, why) in DIFFERENCES.items()},
        "scenes": []}
    names = set()
    for name, scene, difference in scenes():
        assert name not in names, "two scenes named %r" % name
        names.add(name)
        if pattern not in name:
            continue
        tape = TapeContext()
        scene(tape)
        manifest["scenes"].append({"name": name, "text": tape.text(), "difference": difference,
                                   "moderngl": run_moderngl(scene)})
    with open(out, "w") as f:
        json.dump(manifest, f, indent=0)
    print("moderngl %s: %d scenes in %.1f s" % (
        moderngl.__version__, len(manifest["scenes"]), time.time() - start), file=sys.stderr)


if __name__ == "__main__":
    main()
