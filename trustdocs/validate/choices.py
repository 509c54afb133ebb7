"""The valid choices named in a message: a short list of them and a "did you mean" for a close miss."""

from __future__ import annotations

import difflib
import functools
import zoneinfo
from collections.abc import Iterable
from typing import Any

MAX_LISTED = 12
"""A message lists at most this many valid values, then says how many more there are."""

MAX_COMPARED = 200
"""A longer word is not compared with the choices: it is no typo, and comparing it would take long."""


def did_you_mean(word: Any, choices: Iterable[Any]) -> str:
    """ "; did you mean 'x'?" when one of `choices` is close to `word`, else ""."""
    if not isinstance(word, str) or len(word) > MAX_COMPARED:
        return ""
    candidates = [c for c in choices if isinstance(c, str)]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in candidates}
        close = [folded[word.casefold()]] if word.casefold() in folded else []
    return f"; did you mean '{close[0]}'?" if close else ""


def listed(choices: Iterable[str], limit: int = MAX_LISTED) -> str:
    """The choices joined by commas, at most `limit` of them: "a, b, c" or "a, b, … and 5 more"."""
    names = list(dict.fromkeys(choices))
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


@functools.cache
def available_time_zones() -> frozenset[str]:
    """The IANA time zone names the zoneinfo database on this machine knows, e.g. Europe/London."""
    return frozenset(zoneinfo.available_timezones())
