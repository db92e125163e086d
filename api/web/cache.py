"""A small time-to-live cache for dashboard figures, per database, caller scope and filters.

A dashboard may be up to `TTL_SECONDS` old (the page says when it was computed); the first view after that
recomputes. Bounded, thread-safe, in-process: each server process keeps its own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

TTL_SECONDS = 60.0
MAX_ENTRIES = 256

_lock = threading.Lock()
_entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()


def cached(key: Hashable, compute: Callable[[], Any], ttl: float = TTL_SECONDS) -> Any:
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] > now:
            _entries.move_to_end(key)
            return hit[1]
    value = compute()
    with _lock:
        _entries[key] = (now + ttl, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
