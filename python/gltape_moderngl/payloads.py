"""The binary side file of a capture's payloads (`gltape assemble --payloads FILE`).

`Payloads` gives each payload a range of the file and writes the file as the program runs,
on a writer thread of its own: the program's thread pays at most one copy into warm memory
per mutable payload, and none for an immutable one.
"""

import queue
import threading

# At most this many payload bytes wait for the writer thread (the program then waits for all),
# and ranges are reused while the objects kept for it hold fewer bytes than this.
SPILL_BYTES = 1 << 30

# At most this many bytes of copies that were written stay warm for the next copies.
WARM_BYTES = 256 << 20


class _Copy:
    """A copy of a mutable payload, in memory the store reuses once it is written and no
    longer the last copy taken from its object (`holders` counts both)."""

    __slots__ = ("data", "holders")

    def __init__(self, data):
        self.data = data
        self.holders = 2


class Payloads:
    """The payloads of a capture: ranges of the binary payload file at `path`.

    Taking a payload queues it for the writer thread; its range is handed out at once, in
    the file's order. An immutable payload (a `bytes` object, a read-only view of one) is
    queued by reference, with no copy, and the same `bytes` object taken again (a loop
    writing one frame's data) reuses its range. Anything else (a `bytearray`, an array, a
    writable view) the program may change later, so its bytes are copied, into memory of
    an earlier copy of the same size once that is written (warm memory: no page faults),
    unless they equal the copy last taken from the same object, whose range is then reused.
    At most `spill_bytes` wait for the writer (`take` then waits for it); reuse lasts while
    the objects kept for it hold fewer than `spill_bytes`. `flush` waits until every range
    is in the file."""

    def __init__(self, path, spill_bytes=SPILL_BYTES):
        self.path = path
        self.spill_bytes = spill_bytes
        self.size = 0  # bytes of the payload file, written and queued
        self._file = open(path, "wb", buffering=0)
        self._queue = queue.SimpleQueue()  # (bytes to write, their _Copy or None); None ends
        self._waiting = 0  # bytes queued and not written yet
        self._written = threading.Condition()
        self._ranges = {}  # id of a `bytes` object -> (it, its offset)
        self._copies = {}  # id of a mutable object -> (its last _Copy, its offset)
        self._kept_bytes = 0  # bytes of the objects the two tables keep
        self._warm = {}  # length -> [written copies no longer needed]
        self._warm_bytes = 0
        self._writer = threading.Thread(target=self._write, name="gltape payloads",
                                        daemon=True)
        self._writer.start()

    def take(self, data):
        """The range (offset, length) of the bytes of `data` in the payload file."""
        if type(data) is bytes:
            found = self._ranges.get(id(data))
            if found is not None:
                return found[1], len(data)
            self._ranges[id(data)] = (data, self.size)
            return self._keep(self._queue_range(data, None))
        view = memoryview(data)
        if view.readonly and type(view.obj) is bytes and view.c_contiguous:
            return self._queue_range(view.cast("B"), None)
        last = self._copies.get(id(view.obj))
        if last is not None and last[0].data == view:  # bytearray == view compares with memcmp
            return last[1], len(last[0].data)
        if last is not None:
            self._release(last[0])
        copy = _Copy(self._copy_of(view))
        self._copies[id(view.obj)] = (copy, self.size)
        return self._keep(self._queue_range(copy.data, copy))

    def _copy_of(self, view):
        """The bytes of `view` in a warm copy's memory when one of its size is free."""
        with self._written:
            free = self._warm.get(view.nbytes)
            memory = free.pop() if free else None
            if memory is not None:
                self._warm_bytes -= len(memory)
        if memory is None or not view.c_contiguous:
            return bytearray(view)
        memory[:] = view
        return memory

    def _keep(self, taken):
        """Counts the range `taken` (offset, length), just entered in a reuse table; forgets
        the tables once they keep `spill_bytes` or more. Returns `taken`."""
        self._kept_bytes += taken[1]
        if self._kept_bytes >= self.spill_bytes:
            self._ranges.clear()
            for copy, _ in self._copies.values():
                self._release(copy)
            self._copies.clear()
            self._kept_bytes = 0
        return taken

    def _queue_range(self, data, copy):
        """Queues `data` for the writer; returns its range."""
        offset, length = self.size, len(data)
        self.size += length
        with self._written:
            self._waiting += length
        self._queue.put((data, copy))
        if self._waiting >= self.spill_bytes:
            self._wait(0)
        return offset, length

    def _wait(self, most):
        """Waits until at most `most` bytes wait for the writer."""
        with self._written:
            while self._waiting > most:
                self._written.wait()

    def _release(self, copy):
        """Drops a hold on `copy`; the last one makes its memory warm for the next copy."""
        with self._written:
            copy.holders -= 1
            if copy.holders or self._warm_bytes + len(copy.data) > WARM_BYTES:
                return
            self._warm.setdefault(len(copy.data), []).append(copy.data)
            self._warm_bytes += len(copy.data)

    def _write(self):
        """The writer thread: writes the queued bytes in order."""
        while True:
            item = self._queue.get()
            if item is None:
                return
            data, copy = item
            view = memoryview(data).cast("B")
            while view:
                view = view[self._file.write(view):]
            if copy is not None:
                self._release(copy)
            with self._written:
                self._waiting -= len(data)
                self._written.notify_all()

    def flush(self):
        """Waits until every range taken is in the file."""
        self._wait(0)

    def close(self):
        """Writes what is queued, ends the writer thread and closes the file."""
        self.flush()
        self._queue.put(None)
        self._writer.join()
        self._file.close()
