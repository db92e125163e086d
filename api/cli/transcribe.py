"""`dealwise transcribe FILE` (one file to json/txt/srt/vtt) and `dealwise worker` (the job consumer)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.common import err_console, fail
from crm.settings import get_settings
from transcription.errors import TranscriptionError
from transcription.formats import render
from transcription.vocab import Vocabulary

log = logging.getLogger("dealwise.cli.transcribe")


def _vocabulary(hotwords: list[str]) -> Vocabulary:
    """Our org profile and products from the database when it exists, plus the hotwords given."""
    settings = get_settings()
    vocab = Vocabulary(extra=[w for h in hotwords for w in h.replace("，", ",").split(",") if w.strip()])
    try:
        from crm.db import is_initialised, make_engine, session_scope
        from transcription.vocab import from_crm

        engine = make_engine(settings.database_url)
        if is_initialised(engine):
            with session_scope(engine) as session:
                vocab = from_crm(session, extra=vocab.extra)
        engine.dispose()
    except Exception as exc:  # the CLI works without a database
        log.debug("no CRM vocabulary: %s", exc)
    return vocab


def transcribe_cmd(
    file: Annotated[Path, typer.Argument(help="an audio file: wav, mp3, m4a/aac, flac, ogg/opus, webm, amr")],
    format: Annotated[Literal["json", "txt", "srt", "vtt"], typer.Option("--format", "-f")] = "txt",
    language: Annotated[str | None, typer.Option(help="zh (default), en, … or auto")] = None,
    hotwords: Annotated[list[str] | None, typer.Option("--hotwords", help="names to favour (repeat or comma-separate)")] = None,
    rep_channel: Annotated[Literal["left", "right"] | None, typer.Option("--rep-channel")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")] = None,
) -> None:
    """Transcribe one recording and print it (a progress bar shows on a terminal)."""
    from transcription.pipeline import TranscribeOptions
    from transcription.runner import transcriber_for

    settings = get_settings()
    opts = TranscribeOptions(
        language=language if language is not None else settings.asr_language,
        rep_channel=rep_channel or settings.asr_rep_channel,
        vocabulary=_vocabulary(hotwords or []),
        beam_size=settings.asr_beam_size,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        max_seconds=settings.max_audio_seconds,
    )
    if not file.is_file():
        fail(f"{file} does not exist")
    try:
        transcriber = transcriber_for(settings)
        if err_console.is_terminal:
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                          TimeElapsedColumn(), console=err_console, transient=True) as bar:
                task = bar.add_task(f"transcribing {file.name}", total=100)
                transcript = transcriber.transcribe(file, opts, lambda f: bar.update(task, completed=100 * f))
        else:
            transcript = transcriber.transcribe(file, opts)
    except TranscriptionError as exc:
        fail(str(exc))
    text = render(transcript, format)
    if output is not None:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def worker_cmd(
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=16, help="parallel jobs in this process")] = 1,
) -> None:
    """Run the transcription worker: re-picks queued/interrupted calls, then consumes the queue."""
    from transcription.jobs import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    settings.ensure_dirs()
    # Post-transcription hooks (insights, index, WeCom) register themselves when api/cli/main imports their modules.
    err_console.print(f"dealwise worker: {workers} worker(s) on the {settings.queue_backend} queue")
    Worker(settings, workers=workers).run_forever()


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe_cmd)
    app.command("worker")(worker_cmd)
