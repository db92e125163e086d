"""The tool machinery: a caller-bound context, typed tools, and an audited toolbox.

The caller's `Scope` lives in `ToolContext`, fixed when the toolbox is built; no tool takes a
user, owner or scope argument, so neither a model nor a transcript can widen what a call sees.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from crm.errors import DealwiseError, InvalidInput
from crm.models import AuditLog, User
from crm.scope import Scope, scope_for

log = logging.getLogger(__name__)


@dataclass
class ToolContext:
    """Who is calling (bound once) and the unit of work the tools run in."""

    session: Session
    user: User
    scope: Scope
    today: date
    timezone: str = "Asia/Shanghai"
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. a just-uploaded recording for analyze_call

    @classmethod
    def for_user(cls, session: Session, user: User, today: date | None = None, timezone: str = "Asia/Shanghai") -> ToolContext:
        local_today = today or datetime.now(ZoneInfo(timezone)).date()
        return cls(session=session, user=user, scope=scope_for(user), today=local_today, timezone=timezone)


class ToolResult(BaseModel):
    """What a tool returns: `ok`, structured `data` for replies, and a one-line `summary` for traces."""

    ok: bool = True
    data: dict[str, Any] = {}
    summary: str = ""
    error: str | None = None

    @property
    def size(self) -> int:
        return len(json.dumps(self.data, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[ToolContext, Any], ToolResult]
    writes: bool = False

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description,
                         "parameters": self.args_model.model_json_schema()},
        }


class Toolbox:
    """The tools bound to one caller. `call` validates, runs, audit-logs and never raises on bad input."""

    def __init__(self, ctx: ToolContext, tools: list[Tool]) -> None:
        self.ctx = ctx
        self.tools = {t.name: t for t in tools}

    def __contains__(self, name: str) -> bool:
        return name in self.tools

    def describe(self) -> list[dict[str, Any]]:
        return [t.json_schema() for t in self.tools.values()]

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> ToolResult:
        args = dict(arguments or {})
        tool = self.tools.get(name)
        if tool is None:
            result = ToolResult(ok=False, error=f"unknown tool {name!r}", summary="unknown tool")
        else:
            try:
                parsed = tool.args_model.model_validate(args)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(x) for x in err.get("loc", ()))
                result = ToolResult(ok=False, error=f"invalid arguments: {where} {err['msg']}".strip(),
                                    summary="invalid arguments")
            else:
                savepoint = self.ctx.session.begin_nested()  # a failed tool leaves stored data as it was
                try:
                    result = tool.fn(self.ctx, parsed)
                    savepoint.commit()
                except DealwiseError as exc:
                    savepoint.rollback()
                    result = ToolResult(ok=False, error=str(exc), summary=type(exc).__name__)
                except Exception:
                    savepoint.rollback()
                    log.exception("tool %s failed", name)
                    result = ToolResult(ok=False, error="the tool failed; the error was logged", summary="error")
        self.audit(name, args, result)
        return result

    def audit(self, name: str, args: dict[str, Any], result: ToolResult) -> None:
        self.ctx.session.add(AuditLog(
            user_id=self.ctx.user.id, action=f"tool:{name}",
            arguments=json.loads(json.dumps(args, ensure_ascii=False, default=str)), result_size=result.size,
        ))
        self.ctx.session.flush()


def require(cond: bool, message: str) -> None:
    if not cond:
        raise InvalidInput(message)
