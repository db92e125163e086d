"""Plain Chinese / English wording of CRM feature values, e.g. 最近14天无跟进, 已确认预算."""

from __future__ import annotations

import math
from collections.abc import Callable

from scoring.explain import Labeler, plain_label

Pair = tuple[Callable[[float], str], Callable[[float], str]]


def _n(v: float) -> int:
    return round(v)


def _flag(yes_zh: str, no_zh: str, yes_en: str, no_en: str) -> Pair:
    return (lambda v: yes_zh if v >= 0.5 else no_zh), (lambda v: yes_en if v >= 0.5 else no_en)


_NUMERIC: dict[str, Pair] = {
    "days_since_activity": (
        lambda v: f"最近{_n(v)}天无跟进" if v >= 14 else f"{_n(v)}天前有跟进",
        lambda v: f"no follow-up for {_n(v)} days" if v >= 14 else f"last activity {_n(v)} days ago",
    ),
    "budget_confirmed": _flag("已确认预算", "预算未确认", "budget confirmed", "budget not confirmed"),
    "dm_engaged": _flag("已接触决策人", "未接触决策人", "decision maker engaged", "decision maker not engaged"),
    "competitor_named": _flag("客户提到竞品", "未提到竞品", "competitor named", "no competitor named"),
    "next_step_open": _flag("已安排下一步", "没有安排下一步", "next step scheduled", "no next step scheduled"),
    "sentiment": (
        lambda v: "通话情绪积极" if v > 0 else ("通话情绪消极" if v < 0 else "通话情绪中性"),
        lambda v: "positive call sentiment" if v > 0 else ("negative call sentiment" if v < 0 else "neutral sentiment"),
    ),
    "stage_order": (lambda v: f"处于第{_n(v)}阶段", lambda v: f"at stage step {_n(v)}"),
    "days_in_stage": (lambda v: f"在当前阶段已{_n(v)}天", lambda v: f"{_n(v)} days in the current stage"),
    "age_days": (lambda v: f"商机已创建{_n(v)}天", lambda v: f"opportunity {_n(v)} days old"),
    "stage_changes": (lambda v: f"阶段推进{_n(v)}次", lambda v: f"{_n(v)} stage changes"),
    "amount_log": (lambda v: f"金额{math.expm1(v):,.0f}元", lambda v: f"amount {math.expm1(v):,.0f}"),
    "amount_change": (lambda v: f"金额变化{v:+.0%}", lambda v: f"amount changed {v:+.0%}"),
    "close_pushes": (
        lambda v: f"预计成交日推迟{_n(v)}次" if v else "预计成交日未推迟",
        lambda v: f"close date pushed {_n(v)}×" if v else "close date never pushed",
    ),
    "days_to_close": (
        lambda v: "无预计成交日" if math.isnan(v) else (f"已超过预计成交日{-_n(v)}天" if v < 0 else f"距预计成交日{_n(v)}天"),
        lambda v: "no expected close date" if math.isnan(v) else (f"{-_n(v)} days past expected close" if v < 0
                                                                 else f"{_n(v)} days to expected close"),
    ),
    "activities_30d": (lambda v: f"近30天跟进{_n(v)}次", lambda v: f"{_n(v)} activities in 30 days"),
    "calls": (lambda v: f"电话{_n(v)}次", lambda v: f"{_n(v)} calls"),
    "visits": (lambda v: f"拜访/会议{_n(v)}次", lambda v: f"{_n(v)} visits/meetings"),
    "activities": (lambda v: f"累计跟进{_n(v)}次", lambda v: f"{_n(v)} activities in total"),
    "account_past_wins": (lambda v: f"该客户过去赢单{_n(v)}次", lambda v: f"{_n(v)} past wins with this account"),
    "account_past_losses": (lambda v: f"该客户过去输单{_n(v)}次", lambda v: f"{_n(v)} past losses with this account"),
    "account_past_revenue_log": (
        lambda v: f"该客户历史成交{math.expm1(v):,.0f}元", lambda v: f"past revenue {math.expm1(v):,.0f} from this account"
    ),
    "rep_win_rate": (lambda v: f"销售历史赢率{v:.0%}", lambda v: f"rep's historical win rate {v:.0%}"),
    "rep_closed": (lambda v: f"销售已结单{_n(v)}个", lambda v: f"rep closed {_n(v)} deals"),
}
_CATEGORICAL = {
    "stage": ("阶段", "stage"),
    "industry": ("行业", "industry"),
    "region": ("区域", "region"),
    "product_line": ("产品线", "product line"),
    "source": ("来源", "source"),
    "account_size": ("客户规模", "account size"),
}


def crm_labeler(lang: str = "zh") -> Labeler:
    en = lang.lower().startswith("en")

    def label(feature: str, value: object) -> str:
        if feature in _NUMERIC:
            try:
                v = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return plain_label(feature, value)
            if math.isnan(v) and feature != "days_to_close":
                return plain_label(feature, "?")
            return _NUMERIC[feature][1 if en else 0](v)
        if feature in _CATEGORICAL:
            zh_name, en_name = _CATEGORICAL[feature]
            shown = str(value) if value is not None and str(value) not in ("", "nan") else ("unknown" if en else "未知")
            return f"{en_name}: {shown}" if en else f"{zh_name}：{shown}"
        return plain_label(feature, value)

    return label
