"""Capture unmodified ModernGL programs into gltape traces.

    python -m gltape_moderngl -o out.gltrace script.py [args]   # or: -m module [args]
    gltape replay out.gltrace --verify

or, for code that holds a context:

    ctx = gltape_moderngl.wrap(moderngl.create_standalone_context())
    ...
    ctx.gltape.save("out.gltrace")

The recording context forwards every call to ModernGL and mirrors the ones gltape records
into gltape's text form (docs/text-format.md), payloads as ranges of a binary side file
(held in memory, not copied when immutable, written at save); `save` turns both into a trace with `gltape assemble --payloads`, with the SHA-256 of every byte
ModernGL returned (`gltape replay --verify` checks them) and the list of what could not be
recorded (the trace is then marked incomplete). `end_frame()` ends a frame.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from .recording import Context
from .tape import SPILL_BYTES, Payloads, Tape
from .wrapping import CallSites, Capture

__all__ = ["wrap", "end_frame", "Recording", "SaveError", "gltape_command"]


class SaveError(RuntimeError):
    """`Recording.save` could not make the trace; when gltape refuses a call ModernGL
    accepted, the message leads with the program's file and line of that call."""


# The captures that end_frame() ends a frame of.
_active = []


class Recording(Capture):
    """A capture whose text and payloads go to files in a directory of its own; `save`
    makes the trace. Payloads stay in memory until save, or until `spill_bytes` of them are
    held (`tape.Payloads`)."""

    def __init__(self, label="", directory=None, spill_bytes=SPILL_BYTES):
        self._made_directory = directory is None
        self.directory = directory or tempfile.mkdtemp(prefix="gltape-capture-")
        self.text_path = os.path.join(self.directory, "capture.jsonl")
        self.payload_path = os.path.join(self.directory, "capture.payloads")
        self._text = open(self.text_path, "w", encoding="utf-8")
        self.payloads = Payloads(self.payload_path, spill_bytes)
        self.sites = CallSites()
        super().__init__(Tape(self._text, self.payloads, self.sites), label)

    def save(self, path, gltape=None):
        """Writes the trace to `path` (through `gltape assemble`, found by
        `gltape_command(gltape)`); returns the report lines (empty when complete)."""
        at = self._text.tell()
        self.header()
        self._text.flush()
        self.payloads.flush()
        try:
            command = gltape_command(gltape) + [
                "assemble", self.text_path, "--payloads", self.payload_path, "-o", str(path)]
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        finally:
            self._text.seek(at)
            self._text.truncate()
        if done.returncode != 0:
            raise SaveError(self._refusal(done.stderr.strip()))
        return self.incomplete()

    def _refusal(self, message):
        """The assembler's error `message`, led by the Python call site of the text line it
        names (`...: line N: ...`)."""
        found = re.search(r": line (\d+): ", message)
        site = found and self.sites.of_line(int(found.group(1)))
        if site is None:
            return "gltape assemble failed (the text is in %s): %s" % (self.directory, message)
        return "%s: gltape refuses this call, which ModernGL accepted: %s (text line %s in %s)" % (
            site, message[found.end():], found.group(1), self.directory)

    def close(self):
        """Closes the text file; removes the files with the directory when the capture made
        it."""
        self._text.close()
        if self._made_directory:
            shutil.rmtree(self.directory, ignore_errors=True)


def gltape_command(gltape=None):
    """The command that runs gltape: `gltape` if given, else $GLTAPE_BIN, else `gltape` on
    the PATH, else `cargo run` in the checkout this package lies in."""
    for candidate in (gltape, os.environ.get("GLTAPE_BIN")):
        if candidate:
            return [candidate]
    found = shutil.which("gltape")
    if found:
        return [found]
    manifest = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "Cargo.toml")
    if os.path.exists(manifest):
        return ["cargo", "run", "--quiet", "--release", "--manifest-path", manifest,
                "--bin", "gltape", "--"]
    raise RuntimeError("gltape not found: pass gltape=PATH, set GLTAPE_BIN or put gltape "
                       "on the PATH")


def wrap(ctx, label="", directory=None, spill_bytes=SPILL_BYTES):
    """A recording context around ModernGL context `ctx` (the same one when `ctx` records
    already); its capture is `.gltape` (a `Recording`)."""
    if isinstance(ctx, Context):
        return ctx
    recording = Recording(label, directory, spill_bytes)
    _active.append(recording)
    return Context(recording, ctx)


def end_frame():
    """Ends a frame of every recording context (what a window's swap does)."""
    for recording in _active:
        recording.end_frame()
