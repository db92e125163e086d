"""CLI: `dealwise org load`, `dealwise insights` (a transcript file) and `dealwise analyze-call` (an audio file)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from api.cli.common import DatabaseUrl, cli_session, console, fail, print_json
from assistant.insights import CallInsights, OrgProfile, extract_insights
from assistant.insights.hook import install, reindex
from assistant.insights.text import parse_plain
from assistant.insights.writeback import load_org, process_call, save_org
from crm.settings import get_settings
from transcription.types import Transcript

install()  # `dealwise worker` processes run the insights hook too
org_app = typer.Typer(
    help="The selling company's profile (name, aliases, products, competitors).", no_args_is_help=True
)
Format = Annotated[str, typer.Option("--format", help="table or json")]
CallTime = Annotated[str, typer.Option("--call-time", help="when the call took place, ISO 8601")]


def _call_time(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"--call-time {value!r} is not an ISO 8601 date-time such as 2026-11-23T10:00:00+08:00")


def _read_org(path: Path) -> OrgProfile:
    try:
        return OrgProfile.load(path)
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except (json.JSONDecodeError, ValidationError, UnicodeDecodeError) as exc:
        fail(f"{path} is not a valid organization profile: {str(exc).splitlines()[0]}")


def read_transcript(path: Path) -> Transcript:
    """A JSON transcript (`Transcript`) or plain text, one turn a line, optional 销售：/客户：/rep:/customer: prefix."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")
    if raw.lstrip().startswith("{"):
        try:
            return Transcript.model_validate_json(raw)
        except ValidationError as exc:
            fail(f"{path} is not a valid JSON transcript: {str(exc).splitlines()[0]}")
    tr = parse_plain(raw)
    if not tr.segments:
        fail(f"{path} holds no transcript text")
    return tr


def _org_for_cli(org_file: Path | None, database_url: str | None) -> OrgProfile:
    if org_file is not None:
        return _read_org(org_file)
    with cli_session(database_url) as session:
        return load_org(session)


def _show(ins: CallInsights, fmt: str) -> None:
    if fmt == "json":
        print_json(ins.model_dump(mode="json"))
        return
    console.print(f"[bold]{ins.summary}[/bold]  (engine: {ins.engine})")
    t = Table("field", "value")
    t.add_row("customer", str(ins.customer.company or "—"))
    t.add_row("contacts", "、".join(f"{c.name}({c.title or '?'})" for c in ins.contacts) or "—")
    t.add_row("budget", f"{ins.budget.amount_cny:,.0f} 元 ({ins.budget.status})" if ins.budget else "—")
    t.add_row("decision date", str(ins.decision_date or "—"))
    t.add_row("competitors", "、".join(c.name for c in ins.competitors) or "—")
    t.add_row("products", "、".join(p.name for p in ins.products) or "—")
    t.add_row("sentiment", ins.sentiment)
    for s in ins.next_steps:
        t.add_row(f"next step ({s.owner})", f"{s.action}  due {s.due or '—'}")
    console.print(t)


def _crm_context(opportunity: int | None, user: str | None, database_url: str | None) -> dict[str, Any]:
    """What the CRM knows about the call's opportunity (account, contacts, rep), as an upload would pass it;
    nothing for an opportunity the acting user cannot see (the write-back then fails with a clear error)."""
    if opportunity is None:
        return {}
    from api.cli.common import scope_of
    from crm.errors import NotFound
    from crm.models import Opportunity
    from transcription.vocab import from_crm

    with cli_session(database_url) as session:
        try:
            opp = scope_of(session, user).get(session, Opportunity, opportunity) if user else \
                session.get(Opportunity, opportunity)
        except NotFound:
            return {}
        if opp is None:
            return {}
        crm = from_crm(session, opportunity_id=opp.id, owner_id=opp.owner_id)
    return {"account": crm.account, "account_city": crm.account_city, "contacts": crm.contacts, "rep": crm.rep,
            "competitors": crm.competitors}


def _transcribe(audio: Path, org: OrgProfile, context: dict[str, Any] | None = None) -> Transcript:
    """The transcription pipeline (settings' ASR model; our names, and the opportunity's account, contacts
    and rep when the call belongs to one); errors exit with code 2."""
    from transcription.errors import TranscriptionError
    from transcription.pipeline import TranscribeOptions
    from transcription.runner import transcriber_for
    from transcription.vocab import Vocabulary

    settings = get_settings()
    vocab = Vocabulary(
        company=org.company,
        aliases=list(org.aliases),
        products=[p.name for p in org.products],
        competitors=list(org.competitors),
    ).merged(**(context or {}))
    opts = TranscribeOptions(
        language=settings.asr_language,
        rep_channel=settings.asr_rep_channel,
        vocabulary=vocab,
        beam_size=settings.asr_beam_size,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        max_seconds=settings.max_audio_seconds,
    )
    try:
        return transcriber_for(settings).transcribe(audio, opts)
    except TranscriptionError as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")

    @org_app.command("load")
    def org_load(path: Path, database_url: DatabaseUrl = None) -> None:
        """Load ORG.json (company, aliases, products with lines, competitors) into the CRM."""
        org = _read_org(path)
        with cli_session(database_url) as session:
            save_org(session, org)
        console.print(
            f"loaded {org.company}: {len(org.products)} products, {len(org.competitors)} competitors"
        )

    @app.command("insights")
    def insights_cmd(
        transcript: Annotated[
            Path, typer.Option("--transcript", help="JSON transcript or plain text, one turn a line")
        ],
        call_time: CallTime,
        fmt: Format = "table",
        org_file: Annotated[
            Path | None, typer.Option("--org", help="ORG.json instead of the CRM's profile")
        ] = None,
        engine: Annotated[str, typer.Option("--engine", help="auto, rules or llm")] = "auto",
        database_url: DatabaseUrl = None,
    ) -> None:
        """Extract call insights from a transcript file."""
        if fmt not in ("table", "json") or engine not in ("auto", "rules", "llm"):
            fail("--format must be table or json, --engine auto, rules or llm")
        when = _call_time(call_time)
        tr = read_transcript(transcript)
        org = _org_for_cli(org_file, database_url)
        _show(extract_insights(tr, org, call_time=when, settings=get_settings(), engine=engine), fmt)  # type: ignore[arg-type]

    @app.command("analyze-call")
    def analyze_call(
        audio: Path,
        call_time: CallTime,
        opportunity: Annotated[
            int | None, typer.Option("--opportunity", help="write back to this opportunity")
        ] = None,
        user: Annotated[
            str | None, typer.Option("--user", help="act as this user (default: the opportunity's owner)")
        ] = None,
        fmt: Format = "table",
        org_file: Annotated[Path | None, typer.Option("--org")] = None,
        database_url: DatabaseUrl = None,
    ) -> None:
        """Transcribe an audio file and extract its insights (and write them back with --opportunity)."""
        if fmt not in ("table", "json"):
            fail("--format must be table or json")
        if not audio.is_file():
            fail(f"no such file: {audio}")
        when = _call_time(call_time)
        org = _org_for_cli(org_file, database_url)
        tr = _transcribe(audio, org, _crm_context(opportunity, user, database_url))
        if opportunity is None:
            _show(extract_insights(tr, org, call_time=when), fmt)
            return
        _write_back(audio, tr, when, opportunity, user, fmt, database_url)


def _write_back(
    audio: Path,
    tr: Transcript,
    when: datetime,
    opportunity: int,
    user: str | None,
    fmt: str,
    database_url: str | None,
) -> None:
    import hashlib

    from api.cli.common import scope_of
    from crm.models import Call, Opportunity

    sha = hashlib.sha256(audio.read_bytes()).hexdigest()
    with cli_session(database_url) as session:
        if user:
            opp = scope_of(session, user).get(session, Opportunity, opportunity)
        else:
            found = session.get(Opportunity, opportunity)
            if found is None:
                fail(f"opportunity {opportunity} not found")
            opp = found
        call = Call(
            owner_id=opp.owner_id,
            opportunity_id=opp.id,
            account_id=opp.account_id,
            filename=audio.name,
            audio_sha256=sha,
            blob_key=f"cli:{sha}",
            size_bytes=audio.stat().st_size,
            duration_s=tr.duration,
            call_time=when.replace(tzinfo=None),
            status="done",
            progress=100.0,
            dedupe_key=f"cli:{opp.owner_id}:{sha}:{opp.id}",
            transcript=tr.model_dump(mode="json"),
        )
        existing = session.query(Call).filter_by(dedupe_key=call.dedupe_key).first()
        if existing is not None:
            existing.transcript, existing.call_time = call.transcript, call.call_time
            call = existing
        else:
            session.add(call)
        session.flush()
        res = process_call(session, call)
        reindex(session, call)
        _show(res.insights, fmt)
