"""`dealwise transcribe`: prints the transcript; bad input is one sentence and exit code 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from api.cli.main import app

runner = CliRunner()


def test_transcribe_srt(audio_dir: Path, transcriber: Any) -> None:
    res = runner.invoke(app, ["transcribe", str(audio_dir / "w0121_8k.mp3"), "--format", "srt",
                              "--hotwords", "云启科技,订货通"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("1\n00:00:0") and "交易" in res.stdout


def test_transcribe_stereo_rep_right_to_file(audio_dir: Path, tmp_path: Path, transcriber: Any) -> None:
    out = tmp_path / "t.txt"
    res = runner.invoke(app, ["transcribe", str(audio_dir / "stereo_w0121_w0122.m4a"), "--rep-channel", "right",
                              "--format", "txt", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("客户：")


def test_bad_input_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "x.wav"
    bad.write_bytes(b"")
    res = runner.invoke(app, ["transcribe", str(bad)])
    assert res.exit_code == 2 and "empty" in " ".join(res.output.split())
    res = runner.invoke(app, ["transcribe", str(tmp_path / "missing.wav")])
    assert res.exit_code == 2 and "does not exist" in " ".join(res.output.split())
