"""English names for a Chinese workspace's own values: 'East China' is 华东, 'trade shows' 展会, 'referrals' 转介绍.
Each alias is added only for a value the CRM holds, and never over a word another value owns."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.parser import parse
from retrieval.value_aliases import add_value_aliases
from retrieval.vocab import Vocab
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


@pytest.mark.parametrize(("q", "dim", "values"), [
    ("What's our win rate in East China this quarter?", "region", ["华东"]),
    ("How much did we sign in the Southwest China region last month?", "region", ["西南"]),
    ("bookings in south-west china this year", "region", ["西南"]),
    ("Bookings from trade shows vs referrals this year", "lead_source", ["展会", "转介绍"]),
    ("How many deals did we win from the website this year?", "lead_source", ["官网"]),
    ("Win rate on deals that came from cold calling", "lead_source", ["电话营销"]),
])
def test_english_names_link_to_the_workspace_values(session: Session, q: str, dim: str, values: list[str]) -> None:
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None, q
    assert [f.values for f in plan.filters if f.dimension == dim] == [values], q


def test_aliases_are_only_for_values_the_crm_holds() -> None:
    v = Vocab()
    add_value_aliases(v, ["华东"], ["官网"])
    assert v.terms["east china"] == [("region", "华东")]
    assert v.terms["website"] == [("lead_source", "官网")]
    assert "north china" not in v.terms and "trade shows" not in v.terms


def test_an_alias_never_takes_a_word_another_value_owns() -> None:
    v = Vocab()
    v.add("east china", "region", "East China")  # an English workspace's own region
    add_value_aliases(v, ["华东"], [])
    assert v.terms["east china"] == [("region", "East China")]
