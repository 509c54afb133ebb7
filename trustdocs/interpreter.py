"""Python's own machinery around trustdocs' work: the cycle collector, signals, worker lifetimes, log records."""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for work that allocates objects by the hundred thousand.

    Loading a large project and laying out a long document both build objects that live until the work
    ends; every few hundred allocations the collector would walk all of them again (a third of the load
    time, a fifth of the rendering time of a 1,000-threat register) and could free next to nothing.
    Reference counting still frees what is dropped. On the way out the objects made are moved to the oldest
    generation without being walked (frozen, then unfrozen): left young, the first allocation after the pause
    would set off a collection walking every one of them, 1.7 s after laying out that register. Cycles among
    them wait for the next full collection, or for the end of the process (see `no_collection_at_exit`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def no_collection_at_exit() -> None:
    """Leave the objects this process made out of the collection Python runs as it exits.

    A build leaves millions of objects in reference cycles (WeasyPrint's boxes; the collector is paused
    while it lays out). At exit Python would collect them one by one, which took over 3 s after a
    200-component build, only to hand the memory back to the system the process returns it to anyway.
    Frozen objects are left out of that last collection.
    """
    atexit.register(gc.freeze)


@contextmanager
def records_to(logger: logging.Logger, handler: logging.Handler) -> Iterator[None]:
    """Send what `logger` emits to `handler` only, not to the handlers of its parents."""
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


# -- signals ----------------------------------------------------------------------------------

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that ask trustdocs to stop: Ctrl-C, `kill`, a closed terminal."""


class Interrupted(BaseException):
    """A stop signal arrived: raised in the main thread wherever it was, so that every `finally` and
    `except BaseException` on the way out runs (workers stopped, temporary files removed) as for Ctrl-C.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process stopped by a signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


_stopped_by: int | None = None
"""The stop signal that arrived, if one did."""


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    global _stopped_by
    _stopped_by = signum
    for other in STOP_SIGNALS:
        # A second signal while cleaning up ends the process at once; workers die with it (die_with_parent).
        signal.signal(other, _stop_now)
    raise Interrupted(signum)


def _stop_now(signum: int, frame: FrameType | None) -> None:
    os._exit(128 + signum)


def stop_on_signals() -> None:
    """Turn SIGINT, SIGTERM and SIGHUP into `Interrupted` in the main thread (the `trustdocs` program only)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_stop_signal)


def raise_if_stopped() -> None:
    """Raise `Interrupted` again if a stop signal arrived and was swallowed on its way out: WeasyPrint catches
    BaseException while it draws an SVG image, logs "Failed to render SVG image" and carries on."""
    if _stopped_by is not None:
        raise Interrupted(_stopped_by)


@contextmanager
def stop_signals_deferred() -> Iterator[None]:
    """Hold stop signals back during a short step that must not be cut in two (renaming a build's outputs
    into place, starting a worker process); one that arrives meanwhile is delivered as the step ends.

    A process started meanwhile inherits the held-back signals: a worker lets them through once it has
    decided what to do with them (`die_with_parent`), so that Ctrl-C cannot stop it half-started, which
    prints a traceback."""
    if not hasattr(signal, "pthread_sigmask"):  # not on every platform
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# -- worker processes -------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1
"""Linux prctl(2) option: the signal the kernel sends this process when its parent dies."""
WATCHDOG_SECONDS = 1.0


def _kill_on_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where prctl is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        rc: int = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        return rc == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def die_with_parent(parent_pid: int) -> None:
    """End this worker process as soon as `parent_pid`, the process that started it, is gone.

    A worker left behind by a killed build would otherwise live on, holding memory and a CPU. On Linux the
    kernel kills it (PR_SET_PDEATHSIG, which fires when the thread that started the worker ends: the build
    starts its workers from the thread that runs it); elsewhere a thread checks the parent every second.
    The parent may already have died before this runs, in which case this process has been handed to
    another one: checked after the request.
    """
    if not _kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    if os.getppid() != parent_pid:
        os._exit(1)
    # Ctrl-C reaches every process of the terminal's group: the parent decides, and stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        # Started with stop signals held back (see `stop_signals_deferred`); SIGTERM and SIGHUP end it as usual.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
