"""Post-transcription hooks: other rooms (insights, indexing) register here; the job runs them in order.

A hook receives the open SQLAlchemy session and the Call row whose transcript was just stored. The
import direction stays clean: transcription never imports its consumers, they (or the API wiring)
call `register`. A failing hook is logged and recorded but never loses the transcript.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("dealwise.transcription.hooks")
Hook = Callable[[Any, Any], None]
_HOOKS: list[tuple[int, Hook]] = []
DEFAULT_ORDER = 50  # insights register at 10, the retrieval index at 90: it sees the call's insights


def register(fn: Hook, order: int = DEFAULT_ORDER) -> Hook:
    """Add a hook once (idempotent; a second call moves it to `order`). Hooks run by `order`, then by
    registration; import order never decides whether indexing sees the insights."""
    unregister(fn)
    _HOOKS.append((order, fn))
    _HOOKS.sort(key=lambda h: h[0])  # stable: equal orders keep registration order
    return fn


def unregister(fn: Hook) -> None:
    _HOOKS[:] = [h for h in _HOOKS if h[1] != fn]


def registered() -> list[Hook]:
    return [fn for _order, fn in _HOOKS]


def run_hooks(session: Any, call: Any) -> list[str]:
    """Run every hook; return the errors (one line each) of those that failed."""
    errors = []
    for fn in registered():
        try:
            with session.begin_nested():  # a failing hook rolls back only its own writes
                fn(session, call)
        except Exception as exc:
            log.exception("post-transcription hook %s failed for call %s", getattr(fn, "__name__", fn), call.id)
            errors.append(f"{getattr(fn, '__name__', 'hook')}: {exc}")
    return errors
