"""Importers: Maven sample and mapped CSV; a file with bad rows imports nothing and names the rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.db import session_scope
from crm.errors import InvalidInput
from crm.importers.common import ImportFailed
from crm.importers.mapping import import_csv, load_mapping
from crm.importers.maven import PLACEHOLDER_ACCOUNT, import_maven
from crm.models import Account, Opportunity, Team, User

MAVEN = Path(__file__).parents[1] / "fixtures" / "maven_mini"


def test_maven_import_maps_people_stages_and_the_gtxpro_quirk(engine) -> None:
    with session_scope(engine) as s:
        report = import_maven(s, MAVEN)
    assert report.created["opportunities"] == 5
    with Session(engine) as s:
        opp = s.scalar(select(Opportunity).where(Opportunity.external_id == "Z063OYW0"))
        assert opp is not None and opp.status == "won" and opp.stage == "赢单" and opp.amount == 4514
        assert opp.product_line == "GTX"
        stages = dict(s.execute(select(Opportunity.external_id, Opportunity.stage)).all())
        assert stages["PE84CX4O"] == "初步接洽" and stages["MV1LWRNH"] == "需求确认"
        mgr = s.scalar(select(User).where(User.username == "dustin.brinkmann"))
        assert mgr is not None and mgr.role == "manager"
        team = s.get(Team, mgr.team_id)
        assert team is not None and team.manager_id == mgr.id
        assert s.scalar(select(func.count()).where(Account.name == PLACEHOLDER_ACCOUNT)) == 2


def test_maven_bad_rows_import_nothing(engine, tmp_path: Path) -> None:
    bad = tmp_path / "maven"
    shutil.copytree(MAVEN, bad)
    pipeline = bad / "sales_pipeline.csv"
    text = pipeline.read_text().replace("Moses Frase,GTX Basic", "Nobody,GTX Basic").replace(",Lost,", ",Maybe,")
    pipeline.write_text(text)
    with pytest.raises(ImportFailed) as err, session_scope(engine) as s:
        import_maven(s, bad)
    rows = {(e.row, e.reason.split()[0]) for e in err.value.errors}
    assert (2, "sales_agent") in rows and (4, "deal_stage") in rows
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Opportunity)) == 0
        assert s.scalar(select(func.count()).select_from(User)) == 0


def test_maven_twice_is_refused(engine) -> None:
    with session_scope(engine) as s:
        import_maven(s, MAVEN)
    with pytest.raises(InvalidInput, match="imported already"), session_scope(engine) as s:
        import_maven(s, MAVEN)


def test_mapped_csv_import(engine, tmp_path: Path) -> None:
    with session_scope(engine) as s:
        import_maven(s, MAVEN)  # brings users to own the rows
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "entity: opportunities\ncolumns:\n  Name: name\n  Company: account\n  Rep: owner\n  Value: amount\n"
        "  Phase: stage\n  Close: expected_close\nvalues:\n  stage: {Closed Won: 赢单, Qualify: 需求确认}\n",
        encoding="utf-8")
    data = tmp_path / "export.csv"
    data.write_text("Name,Company,Rep,Value,Phase,Close\nBig deal,新客户有限公司,anna.snelling,\"120,000\",Qualify,"
                    "2026-12-31\nSmall,Cancity,zane.levy,500,Closed Won,2026/11/01\n", encoding="utf-8")
    with session_scope(engine) as s:
        report = import_csv(s, load_mapping(mapping), data)
    assert report.created == {"accounts": 1, "opportunities": 2}
    with Session(engine) as s:
        big = s.scalar(select(Opportunity).where(Opportunity.name == "Big deal"))
        assert big is not None and big.amount == 120000 and big.stage == "需求确认"
    data.write_text("Name,Company,Rep,Value,Phase,Close\nX,Y,ghost,1,Qualify,2026-12-31\nZ,Y,zane.levy,abc,Qualify,"
                    "2026-12-31\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as err, session_scope(engine) as s:
        import_csv(s, load_mapping(mapping), data)
    assert [e.row for e in err.value.errors] == [2, 3]


def test_bad_mapping_is_explained(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("entity: opportunities\ncolumns: {A: name, B: colour}\n")
    with pytest.raises(InvalidInput, match="colour"):
        load_mapping(mapping)
    mapping.write_text("entity: widgets\ncolumns: {A: name}\n")
    with pytest.raises(InvalidInput, match="entity"):
        load_mapping(mapping)
