"""`POST /api/v1/ask` (a question, answered within the caller's scope) and `GET /api/v1/metrics` (the catalog)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import ScopeDep, SessionDep, SettingsDep
from retrieval.ask import ask
from retrieval.catalog import DIMENSIONS, METRICS
from retrieval.plan import Answer

router = APIRouter(prefix="/api/v1", tags=["ask"])


def _install_hooks() -> None:
    """Insights first, then indexing: a transcribed call is indexed with its insights."""
    try:
        from assistant.insights.hook import install as install_insights

        install_insights()
    except ImportError:
        pass
    from retrieval.index import install_hook

    install_hook()


_install_hooks()


class AskIn(BaseModel):
    question: str = Field(..., min_length=1, max_length=500, description="a metrics or call question, Chinese or English")
    today: date | None = Field(None, description="evaluate relative periods as of this day (default: today)")
    show_sql: bool = Field(False, description="include the generated SQL in plan.sql (admins only)")


@router.post("/ask", response_model=Answer)
def ask_question(body: AskIn, session: SessionDep, scope: ScopeDep, settings: SettingsDep) -> Answer:
    return ask(session, scope, body.question, today=body.today, settings=settings, show_sql=body.show_sql)


EXAMPLES = ["本季度华东区的赢单率是多少？", "哪个销售的商机到成交转化率最低？", "上个月回款最多的前5个客户",
            "今年以来各产品线的成交额占比", "win rate by region this quarter", "哪些客户提到预算不足？"]


@router.get("/metrics")
def list_metrics(_scope: ScopeDep) -> dict[str, Any]:
    return {"metrics": [m.model_dump() for m in METRICS],
            "dimensions": [{"name": k, **v} for k, v in DIMENSIONS.items()],
            "examples": EXAMPLES}
