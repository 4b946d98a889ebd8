"""Stopping a corpus run on Ctrl-C (SIGINT) or SIGTERM: promptly, cleanly, resumably.

During ``stance.corpus.run`` both signals raise :class:`RunInterrupted` (a ``KeyboardInterrupt``, so
that ``except KeyboardInterrupt`` in a notebook still catches it) wherever the main thread is,
except inside ``deferred()``: a batch being written is finished first, so the output never ends in
a half-written batch because of a signal. The run then stops its workers, flushes and closes the
output, releases its lock, and the command line prints one line and exits 128 + the signal number.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by a signal; ``signum`` is the signal, ``written`` what the output holds."""

    def __init__(self, signum: int, written: int | None = None, output: str | None = None):
        super().__init__(signal.Signals(signum).name)
        self.signum, self.written, self.output = signum, written, output

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class _State:
    depth = 0  # how many deferred() blocks the main thread is in
    pending: int | None = None  # a signal that arrived inside one


def _handler(signum: int, frame) -> None:
    if _State.depth:
        _State.pending = signum
        return
    raise RunInterrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``RunInterrupted`` while inside (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _State.pending = None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A signal that arrives inside is raised when the block ends, not in the middle of it."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if not _State.depth and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            raise RunInterrupted(signum)
