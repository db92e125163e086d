"""Batch rescoring after imports (`dealwise import csv`) and after call processing (post-transcription hook);
nothing happens without an active model, and a failing rescore never loses the import or the transcript."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import api.routes.scoring  # noqa: F401  (importing the router installs the hooks)
from api.cli.main import app
from assistant.insights.hook import insights_hook
from crm.models import Call, Opportunity, OpportunityScore, User
from crm.settings import Settings, get_settings
from scoring import hooks as score_hooks
from scoring import service
from tests.assistant.test_insights_writeback import _make_call
from transcription import hooks

MAPPING = ("entity: opportunities\ncolumns:\n  Name: name\n  Company: account\n  Rep: owner\n  Value: amount\n"
           "  Phase: stage\n  Close: expected_close\nvalues:\n  stage: {Qualify: 需求确认, Won: 赢单}\n")


def _activate_nb(engine: Engine) -> Settings:
    """A naive-Bayes model (quick to train) in the data dir the CLI and the hooks read."""
    settings = get_settings().model_copy(update={"scoring_min_won": 10**6})
    with Session(engine) as s:
        service.train_crm(s, settings=settings, activate=True)
    return settings


def _scores(engine: Engine) -> dict[int, int]:
    with Session(engine) as s:
        rows = s.execute(select(OpportunityScore.opportunity_id, func.count()).group_by(OpportunityScore.opportunity_id))
        return {int(k): int(v) for k, v in rows.tuples()}


def _import(tmp_path: Path, url: str) -> tuple[int, str]:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "export.csv").write_text("Name,Company,Rep,Value,Phase,Close\nHook deal,新客户有限公司,liming,\"120,000\","
                                         "Qualify,2026-12-31\nHook won,新客户有限公司,liming,500,Won,2026-11-01\n",
                                         encoding="utf-8")
    res = CliRunner().invoke(app, ["import", "csv", str(tmp_path / "export.csv"), "--mapping", str(tmp_path / "m.yaml"),
                                   "--database-url", url])
    return res.exit_code, res.output


def test_import_rescores_the_touched_open_deals(demo_engine: Engine, demo_url: str, tmp_path: Path) -> None:
    code, _ = _import(tmp_path, demo_url)  # no active model yet: the import works, nothing is scored
    assert code == 0 and _scores(demo_engine) == {}
    _activate_nb(demo_engine)
    with Session(demo_engine) as s:
        before = score_hooks.last_opportunity_id(s)
        uid = s.scalar(select(User.id).where(User.username == "liming"))
        expected = set(s.scalars(select(Opportunity.id).where(Opportunity.status == "open",
                                                              Opportunity.owner_id == uid)))
    code, out = _import(tmp_path, demo_url)
    assert code == 0 and "rescored" in out
    with Session(demo_engine) as s:
        new = set(s.scalars(select(Opportunity.id).where(Opportunity.id > before, Opportunity.status == "open")))
    assert len(new) == 1
    # the new open deal and liming's other open deals (his win rate changed); nobody else's
    assert set(_scores(demo_engine)) == expected | new


def test_failed_rescore_keeps_the_import(demo_engine: Engine, demo_url: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _activate_nb(demo_engine)
    with Session(demo_engine) as s:
        n_before = s.scalar(select(func.count()).select_from(Opportunity))

    def boom(*_a: object, **_k: object) -> int:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(service, "rescore", boom)
    code, _ = _import(tmp_path, demo_url)
    assert code == 0 and "rescoring after import failed" in caplog.text
    with Session(demo_engine) as s:
        assert s.scalar(select(func.count()).select_from(Opportunity)) == (n_before or 0) + 2
    assert _scores(demo_engine) == {}


def test_call_hook_rescores_after_insights(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [getattr(h, "__name__", "") for h in hooks.registered()]
    assert names.index(insights_hook.__name__) < names.index("call_rescore_hook")
    call_id, opp_id = _make_call(demo_engine)
    with Session(demo_engine) as s:  # without an active model the hook does nothing
        score_hooks.call_rescore_hook(s, s.get(Call, call_id))
    assert _scores(demo_engine) == {}
    _activate_nb(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        assert not [e for e in hooks.run_hooks(s, call) if e.startswith(("insights_hook", "call_rescore_hook"))]
        s.commit()
        assert call.insights is not None
    assert _scores(demo_engine).get(opp_id, 0) >= 1

    def boom(*_a: object, **_k: object) -> int:
        raise RuntimeError("scoring broke")

    monkeypatch.setattr(service, "rescore", boom)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        errors = hooks.run_hooks(s, call)
        s.commit()
        assert any(e.startswith("call_rescore_hook") for e in errors)
        assert call.transcript and call.insights is not None
