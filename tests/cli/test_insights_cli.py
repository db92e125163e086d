"""`dealwise org load`, `dealwise insights`, `dealwise analyze-call`: output, write-back, exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import api.cli.insights as cli_insights
from api.cli.main import app
from assistant.insights.text import parse_plain
from crm.models import Activity, Call, Opportunity, Product, User

CALLS = Path(__file__).resolve().parents[1] / "fixtures" / "calls"
runner = CliRunner()


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_org_load_then_insights_from_text(tmp_path: Path) -> None:
    url = _db(tmp_path)
    r = runner.invoke(app, ["org", "load", str(CALLS / "org.json"), "--database-url", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "insights",
            "--transcript",
            str(CALLS / "dev02.txt"),
            "--call-time",
            "2026-11-24T15:30:00+08:00",
            "--format",
            "json",
            "--database-url",
            url,
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["customer"]["company"] == "杭州云帆物流" and data["budget"]["amount_cny"] == 800000
    assert data["decision_date"] == "2027-01-15" and data["engine"] == "rules"


def test_insights_from_json_transcript_with_org_file(tmp_path: Path) -> None:
    tr = parse_plain((CALLS / "dev01.txt").read_text(encoding="utf-8"))
    path = tmp_path / "t.json"
    path.write_text(tr.model_dump_json(), encoding="utf-8")
    r = runner.invoke(
        app,
        [
            "insights",
            "--transcript",
            str(path),
            "--call-time",
            "2026-11-23T10:00:00+08:00",
            "--org",
            str(CALLS / "org.json"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "销售易" in r.stdout and "2026-12-02" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--call-time", "next tuesday"], "ISO 8601"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    base = {"--call-time": "2026-11-23T10:00:00", "--format": "json"}
    for k, v in zip(args[::2], args[1::2], strict=True):
        base[k] = v
    argv = ["insights", "--transcript", str(CALLS / "dev01.txt"), "--org", str(CALLS / "org.json")]
    for k, v in base.items():
        argv += [k, v]
    r = runner.invoke(app, argv)
    assert r.exit_code == 2 and message in r.output


def test_missing_files_and_bad_org_exit_2(tmp_path: Path) -> None:
    r = runner.invoke(
        app,
        [
            "insights",
            "--transcript",
            str(tmp_path / "nope.txt"),
            "--call-time",
            "2026-11-23T10:00:00",
            "--org",
            str(CALLS / "org.json"),
        ],
    )
    assert r.exit_code == 2 and "no such file" in r.output
    bad = tmp_path / "org.json"
    bad.write_text('{"aliases": []}', encoding="utf-8")
    r = runner.invoke(app, ["org", "load", str(bad), "--database-url", _db(tmp_path)])
    assert r.exit_code == 2 and "not a valid organization profile" in r.output
    r = runner.invoke(
        app,
        [
            "insights",
            "--transcript",
            str(CALLS / "dev01.txt"),
            "--call-time",
            "2026-11-23T10:00:00",
            "--database-url",
            _db(tmp_path),
        ],
    )
    assert r.exit_code == 2 and "org load" in r.output


def test_analyze_call_writes_back(
    monkeypatch: pytest.MonkeyPatch, demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    tr = parse_plain((CALLS / "dev03.txt").read_text(encoding="utf-8"))
    contexts: list[dict | None] = []
    monkeypatch.setattr(cli_insights, "_transcribe", lambda audio, org, context=None: contexts.append(context) or tr)
    audio = tmp_path / "call.wav"
    audio.write_bytes(b"RIFF....WAVEfake")
    with Session(demo_engine) as s:
        uid = s.scalar(select(User.id).where(User.username == "liming"))
        opp_id = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == uid).limit(1))
        other = s.scalar(select(Opportunity.id).where(Opportunity.owner_id != uid).limit(1))
    argv = [
        "analyze-call",
        str(audio),
        "--call-time",
        "2026-11-25T09:15:00",
        "--format",
        "json",
        "--database-url",
        demo_url,
    ]
    r = runner.invoke(app, [*argv, "--opportunity", str(opp_id), "--user", "liming"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["budget"]["amount_cny"] == 1200000
    assert contexts[0] and contexts[0]["rep"] == "李明" and contexts[0]["account"]  # the upload's CRM context
    r2 = runner.invoke(app, [*argv, "--opportunity", str(opp_id), "--user", "liming"])
    assert r2.exit_code == 0
    with Session(demo_engine) as s:
        calls = s.scalars(
            select(Call).where(Call.opportunity_id == opp_id, Call.filename == "call.wav")
        ).all()
        assert len(calls) == 1
        assert len(s.scalars(select(Activity).where(Activity.call_id == calls[0].id)).all()) == 1
    r3 = runner.invoke(app, [*argv, "--opportunity", str(other), "--user", "liming"])
    assert r3.exit_code == 2 and "not found" in r3.output


def test_analyze_call_bad_audio_exits_2(tmp_path: Path) -> None:
    r = runner.invoke(app, ["analyze-call", str(tmp_path / "none.wav"), "--call-time", "2026-11-25T09:15:00"])
    assert r.exit_code == 2 and "no such file" in r.output
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio at all")
    r = runner.invoke(
        app,
        ["analyze-call", str(junk), "--call-time", "2026-11-25T09:15:00", "--org", str(CALLS / "org.json")],
    )
    assert r.exit_code == 2 and "error" in r.output


@pytest.mark.slow
def test_analyze_call_transcribes_a_real_clip(tmp_path: Path) -> None:
    """Real faster-whisper on the AISHELL clip the transcription tests use (skipped if absent)."""
    clip = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "w0121.wav"
    if not clip.exists():
        pytest.skip("no ASR fixture clip")
    r = runner.invoke(
        app,
        [
            "analyze-call",
            str(clip),
            "--call-time",
            "2026-11-25T09:15:00",
            "--format",
            "json",
            "--org",
            str(CALLS / "org.json"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["engine"] == "rules"


def test_org_load_upserts_products(tmp_path: Path) -> None:
    url = _db(tmp_path)
    for _ in range(2):
        assert (
            runner.invoke(app, ["org", "load", str(CALLS / "org.json"), "--database-url", url]).exit_code == 0
        )
    from crm.db import make_engine

    with Session(make_engine(url)) as s:
        assert len(s.scalars(select(Product)).all()) == 5
