"""Tools over the other rooms: win probability (scoring), metrics questions and call search
(retrieval), and analysing a recording just uploaded (transcription + insights).

Each wraps its package when it is installed in this tree and otherwise says plainly that the
capability is unavailable, so the assistant never invents an answer.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select

from crm.errors import DealwiseError
from crm.models import OpportunityScore, Stage
from tools.base import Tool, ToolContext, ToolResult
from tools.opportunities import one_opportunity, opportunity_data

log = logging.getLogger(__name__)


def _optional(module: str, attr: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return None


def _unavailable(what: str) -> ToolResult:
    return ToolResult(ok=False, error=f"{what} is not available in this installation yet",
                      summary="unavailable", data={"unavailable": what})


def _plain(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


# --- score_opportunity -------------------------------------------------------------------------------
class ScoreOpportunityArgs(BaseModel):
    opportunity_id: int | None = None
    account: str | None = Field(None, description="the customer's name, when the deal id is unknown")


def score_opportunity(ctx: ToolContext, args: ScoreOpportunityArgs) -> ToolResult:
    opp = one_opportunity(ctx, args.opportunity_id, args.account)
    base = opportunity_data(opp)
    scorer = _optional("scoring.service", "score_opportunity")
    if scorer is not None:
        try:
            score = _plain(scorer(ctx.session, ctx.scope, opp.id))
        except DealwiseError:
            raise
        except Exception as exc:  # no trained model yet, or the model cannot score this deal
            log.info("scoring unavailable for opportunity %s: %s", opp.id, exc)
        else:
            return ToolResult(data={"opportunity": base, "score": score, "source": "model"},
                              summary=f"opportunity {opp.id} scored")
    stored = ctx.session.scalars(select(OpportunityScore).where(OpportunityScore.opportunity_id == opp.id)
                                 .order_by(OpportunityScore.scored_at.desc())).first()
    if stored is not None:
        score = {"probability": stored.probability, "band": stored.band, "factors": stored.factors,
                 "model_version": stored.model_version, "scored_at": stored.scored_at.isoformat()}
        return ToolResult(data={"opportunity": base, "score": score, "source": "stored"},
                          summary=f"opportunity {opp.id}: stored score")
    stage = ctx.session.scalars(select(Stage).where(Stage.name == opp.stage)).first()
    p = stage.default_probability if stage is not None else None
    if p is None:
        return _unavailable("win-probability scoring")
    band = "high" if p >= 0.6 else "medium" if p >= 0.3 else "low"
    score = {"probability": p, "band": band, "factors": [{"name": "stage", "value": opp.stage}],
             "model_version": "stage-default"}
    return ToolResult(data={"opportunity": base, "score": score, "source": "stage_default"},
                      summary=f"opportunity {opp.id}: stage default")


# --- ask_metrics -------------------------------------------------------------------------------------
class AskMetricsArgs(BaseModel):
    question: str = Field(..., min_length=1, max_length=500, description="the metrics question in the user's words")


def ask_metrics(ctx: ToolContext, args: AskMetricsArgs) -> ToolResult:
    ask = _optional("retrieval.ask", "ask") or _optional("retrieval", "ask")
    if ask is None:
        return _unavailable("metrics questions")
    answer = _plain(ask(ctx.session, ctx.scope, args.question, today=ctx.today))
    return ToolResult(data={"answer": answer}, summary="metrics answer")


# --- search_calls ------------------------------------------------------------------------------------
class SearchCallsArgs(BaseModel):
    query: str = Field(..., min_length=1, max_length=300, description="what was said, in the user's words")
    account: str | None = Field(None, description="limit to one customer's calls")
    limit: int = Field(5, ge=1, le=20)


def search_calls(ctx: ToolContext, args: SearchCallsArgs) -> ToolResult:
    search = _optional("retrieval.search", "search_calls")
    if search is None:
        return _unavailable("call search")
    account_id = None
    if args.account:
        from tools.accounts import one_account

        account_id = one_account(ctx, args.account).id
    try:
        hits = _plain(search(ctx.session, ctx.scope, args.query, account_id=account_id, limit=args.limit))
    except Exception as exc:  # the index is optional (not built yet, chromadb unavailable)
        log.info("call search unavailable: %s", exc)
        return _unavailable("call search")
    return ToolResult(data={"query": args.query, "hits": hits}, summary=f"{len(hits)} hits")


# --- analyze_call ------------------------------------------------------------------------------------
class AnalyzeCallArgs(BaseModel):
    call_id: int | None = Field(None, description="the recording's id; default: the one just uploaded")


def analyze_call(ctx: ToolContext, args: AnalyzeCallArgs) -> ToolResult:
    from crm.models import Call

    call_id = args.call_id if args.call_id is not None else ctx.extras.get("call_id")
    if call_id is None:
        return ToolResult(ok=False, error="no recording was uploaded in this conversation", summary="no call")
    call = ctx.scope.get(ctx.session, Call, int(call_id))
    data: dict[str, Any] = {"call_id": call.id, "status": call.status, "progress": call.progress,
                            "filename": call.filename, "error": call.error}
    if call.insights:
        data["insights"] = call.insights
    return ToolResult(data=data, summary=f"call {call.id} {call.status}")


TOOLS = [
    Tool("score_opportunity", "Win probability of a deal, with the factors behind it.", ScoreOpportunityArgs,
         score_opportunity),
    Tool("ask_metrics", "Answer a sales-metrics question (revenue, win rate, pipeline...) within the user's scope.",
         AskMetricsArgs, ask_metrics),
    Tool("search_calls", "Search call transcripts and notes; answers cite the calls.", SearchCallsArgs, search_calls),
    Tool("analyze_call", "Status and insights of a call recording the user just uploaded.", AnalyzeCallArgs, analyze_call),
]
