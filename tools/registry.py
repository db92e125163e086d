"""Build the toolbox for one caller: every tool, bound to that caller's scope."""

from __future__ import annotations

from tools import accounts, analytics, brief, opportunities, tasks
from tools.base import Tool, Toolbox, ToolContext

ALL_TOOLS: list[Tool] = [*accounts.TOOLS, *opportunities.TOOLS, *tasks.TOOLS, *brief.TOOLS, *analytics.TOOLS]
WRITE_TOOLS = frozenset(t.name for t in ALL_TOOLS if t.writes)


def build_toolbox(ctx: ToolContext) -> Toolbox:
    return Toolbox(ctx, ALL_TOOLS)
