"""`python -m gltape_moderngl -o out.gltrace script.py [args]` (or `-m module [args]`):
runs a ModernGL program unchanged with its contexts recording, saves the trace at exit and
lists on stderr what could not be recorded."""

import argparse
import os
import runpy
import sys

import moderngl

from . import SaveError, _active, end_frame, wrap
from .wrapping import unwrap


def main():
    parser = argparse.ArgumentParser(
        prog="python -m gltape_moderngl",
        description="Run a ModernGL program unchanged and save what it does as a gltape trace.")
    parser.add_argument("-o", "--output", required=True, help="the trace file to write")
    parser.add_argument("--gltape", help="the gltape binary (default: $GLTAPE_BIN, then PATH)")
    parser.add_argument("--keep-text", metavar="DIR",
                        help="write the text form and payload file into DIR and keep them")
    parser.add_argument("-m", dest="module", help="run a module, as python -m does")
    parser.add_argument("script", nargs="?", help="the script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    options = parser.parse_args()
    if (options.module is None) == (options.script is None):
        parser.error("give a script or -m module")
    if options.module is not None and options.script is not None:
        options.args.insert(0, options.script)
    target = options.module or options.script
    if options.keep_text:
        os.makedirs(options.keep_text, exist_ok=True)

    hook_contexts(os.path.basename(target), options.keep_text)
    hook_window_swaps()
    sys.argv = [target] + options.args
    status = 0
    try:
        if options.module is not None:
            runpy.run_module(options.module, run_name="__main__", alter_sys=True)
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(options.script)))
            runpy.run_path(options.script, run_name="__main__")
    except SystemExit as e:
        status = e.code
    finally:
        saved = finish(options)
    sys.exit(status if saved or status else 1)


def finish(options):
    """Saves the first recording context's trace and prints the report; False when gltape
    refused to make the trace (the text stays in its directory)."""
    if not _active:
        print("gltape_moderngl: the program made no ModernGL context; no trace written",
              file=sys.stderr)
        return True
    recording = _active[0]
    try:
        missing = recording.save(options.output, gltape=options.gltape)
    except SaveError as e:
        print("gltape_moderngl: no trace written: %s" % e, file=sys.stderr)
        return False
    print("gltape_moderngl: wrote %s (%d readback digests)" % (
        options.output, len(recording.digests)), file=sys.stderr)
    if missing:
        print("gltape_moderngl: the trace is INCOMPLETE; not recorded (first use, what, "
              "uses):", file=sys.stderr)
        for line in missing:
            print("  " + line, file=sys.stderr)
    if not options.keep_text:
        recording.close()
    return True


def hook_contexts(label, directory):
    """Makes ModernGL's `create_context` (and through it `create_standalone_context`) and
    `get_context` return the recording context for the first context the program makes or
    gets. Any other context is returned as ModernGL made it and reported at each creation
    or `get_context`: nothing done with it is recorded."""
    create_context = moderngl.create_context
    get_context = moderngl.get_context
    recorded = []

    def adopt(ctx):
        if not recorded:
            recorded.append(wrap(ctx, label=label, directory=directory))
        elif unwrap(recorded[0]) is not ctx:
            _active[0].uncaptured("a second ModernGL context: nothing done with it is "
                                  "recorded (the trace holds the first)")
            return ctx
        return recorded[0]

    moderngl.create_context = lambda *args, **kwargs: adopt(create_context(*args, **kwargs))
    moderngl.get_context = lambda: adopt(get_context())


def hook_window_swaps():
    """Ends a frame at each swap of a moderngl-window window, when moderngl-window is
    installed: each window class overrides `swap_buffers` (the headless one counts frames
    without calling the base's), so the first window made of a class wraps its class's."""
    try:
        from moderngl_window.context.base import BaseWindow
    except ImportError:
        return
    init = BaseWindow.__init__

    def window_init(self, *args, **kwargs):
        hook_swap(type(self))
        init(self, *args, **kwargs)

    BaseWindow.__init__ = window_init


def hook_swap(window_class):
    """Makes `window_class.swap_buffers` end a frame first (once per class)."""
    if window_class.__dict__.get("_gltape_swap_hooked"):
        return
    swap = window_class.swap_buffers

    def swap_buffers(self, *args, **kwargs):
        end_frame()
        return swap(self, *args, **kwargs)

    window_class.swap_buffers = swap_buffers
    window_class._gltape_swap_hooked = True


if __name__ == "__main__":
    main()
