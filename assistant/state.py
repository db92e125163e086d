"""Conversation memory updates (pure): what a turn leaves behind for follow-ups."""

from __future__ import annotations

from typing import Any

from assistant.types import ConversationState, Intent


def remember(state: ConversationState, intent: Intent, result_data: dict[str, Any] | None = None) -> ConversationState:
    """The state after a turn: the customer and deal it was about, its language and intent."""
    new = state.model_copy(deep=True)
    new.turns += 1
    new.lang = intent.lang
    if intent.name not in ("help", "greeting", "unknown"):
        new.last_intent = intent.name
    account = intent.args.get("account")
    data = result_data or {}
    if isinstance(data.get("opportunity"), dict):
        data = {**data, **{"id": data["opportunity"].get("id"), "account": data["opportunity"].get("account")}}
    if intent.name in ("get_account",) and data.get("name"):
        account = data["name"]
    elif data.get("account") and intent.name in ("get_opportunity", "score_opportunity"):
        account = data["account"]
    if account:
        if account != new.last_account:
            new.last_opportunity_id = None
        new.last_account = account
    if intent.name in ("get_opportunity", "score_opportunity") and data.get("id"):
        new.last_opportunity_id = int(data["id"])
    return new
