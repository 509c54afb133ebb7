"""Python's own machinery around trustdocs' work: the cycle collector and where log records go."""
from __future__ import annotations

import atexit
import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager


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
