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
_HOOKS: list[Hook] = []


def register(fn: Hook) -> Hook:
    """Add a hook once (idempotent); usable as a decorator."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def unregister(fn: Hook) -> None:
    if fn in _HOOKS:
        _HOOKS.remove(fn)


def registered() -> list[Hook]:
    return list(_HOOKS)


def run_hooks(session: Any, call: Any) -> list[str]:
    """Run every hook; return the errors (one line each) of those that failed."""
    errors = []
    for fn in list(_HOOKS):
        try:
            with session.begin_nested():  # a failing hook rolls back only its own writes
                fn(session, call)
        except Exception as exc:
            log.exception("post-transcription hook %s failed for call %s", getattr(fn, "__name__", fn), call.id)
            errors.append(f"{getattr(fn, '__name__', 'hook')}: {exc}")
    return errors
