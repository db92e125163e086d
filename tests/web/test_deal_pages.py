"""Deals list and deal page: scope (another rep's deal is a 404 page), filters, sorting, scores, suggestions."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.models import OpportunityScore, utcnow
from tests.web.conftest import visible
from tests.web.world import add_call, rep_deal


def test_rep_cannot_open_another_reps_deal(demo_engine: Engine, browser_for) -> None:
    theirs = rep_deal(demo_engine, "zhaolei")
    r = browser_for("liming").get(f"/deals/{theirs}")
    assert r.status_code == 404 and "未找到" in visible(r.text)
    assert browser_for("zhaolei").get(f"/deals/{theirs}").status_code == 200
    assert browser_for("wangfang").get(f"/deals/{theirs}").status_code == 200  # their manager
    assert browser_for("mgr03").get(f"/deals/{theirs}").status_code == 404  # another team's manager


def test_the_list_shows_only_own_deals(demo_engine: Engine, browser_for) -> None:
    mine = browser_for("liming").get("/deals?status=open")
    theirs = rep_deal(demo_engine, "zhaolei")
    assert mine.status_code == 200 and "仅显示你本人的数据" in visible(mine.text)
    ids = set(re.findall(r'href="/deals/(\d+)"', mine.text))
    assert ids and str(theirs) not in ids


def test_filter_and_sort(browser_for) -> None:
    c = browser_for("admin")
    page = c.get("/deals?status=won&sort=amount").text
    amounts = [float(x) for x in re.findall(r'data-amount="([0-9.]+)"', page)]
    assert amounts and amounts == sorted(amounts)
    assert "(赢单)" in page and "(输单)" not in page
    assert c.get("/deals?sort=bogus&page=0").status_code == 200
    assert "共 0 个" in c.get("/deals?q=不存在的公司名").text


def test_scores_band_trend_and_factors(demo_engine: Engine, browser_for) -> None:
    _call, opp_id, _sug = add_call(demo_engine, "liming")
    with Session(demo_engine) as s:
        s.add(OpportunityScore(opportunity_id=opp_id, model_version="test-0", probability=0.60, band="high",
                               scored_at=utcnow() - timedelta(days=7)))
        s.commit()
        assert len(list(s.scalars(select(OpportunityScore).where(OpportunityScore.opportunity_id == opp_id)))) == 2
    c = browser_for("liming")
    listing = visible(c.get("/deals?band=medium").text)
    assert f'href="/deals/{opp_id}"' in listing and "42.0%" in listing and "下降" in listing
    deal = visible(c.get(f"/deals/{opp_id}").text)
    assert "阶段" in deal and "+10 %" in deal and "test-1" in deal


def test_deal_page_shows_suggestions_with_evidence(demo_engine: Engine, browser_for) -> None:
    call_id, opp_id, sug_id = add_call(demo_engine, "liming")
    page = browser_for("liming").get(f"/deals/{opp_id}").text
    assert f'data-suggestion="{sug_id}"' in page and "预算大概五十万" in page
    assert f'href="/calls/{call_id}#t=3.0"' in page
