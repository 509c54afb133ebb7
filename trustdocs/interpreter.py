"""Python's own machinery around trustdocs' work: the cycle collector and where log records go."""
from __future__ import annotations

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
    Reference counting still frees what is dropped; the cycles left are collected once it resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
