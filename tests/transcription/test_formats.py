"""Every supported container/codec decodes through PyAV and transcribes with the real model."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.transcription.conftest import JFK_REF, W0121_REF
from transcription.audio import iter_windows, probe
from transcription.formats import render
from transcription.pipeline import TranscribeOptions, Transcriber
from transcription.textnorm import cer

FILES = ["w0121.wav", "w0121_8k.mp3", "w0121.m4a", "w0121.flac", "w0121.ogg", "w0121.webm", "w0121.amr"]


@pytest.mark.parametrize("name", FILES)
def test_format_transcribes(name: str, audio_dir: Path, transcriber: Transcriber) -> None:
    info = probe(audio_dir / name)
    assert 4.0 < (info.duration or 0) < 4.5
    tr = transcriber.transcribe(audio_dir / name, TranscribeOptions(language="zh"))
    assert tr.language == "zh" and tr.segments
    assert abs(tr.duration - 4.2) < 0.3
    assert all(0 <= s.start < s.end <= tr.duration + 0.1 for s in tr.segments)
    assert cer(W0121_REF, tr.text)[0] <= 0.25, tr.text  # AMR-NB (8 kHz, 12.2 kbit/s) is the worst case


def test_auto_language_detects_english(audio_dir: Path, transcriber: Transcriber) -> None:
    tr = transcriber.transcribe(audio_dir / "jfk.ogg", TranscribeOptions(language="auto"))
    assert tr.language == "en"
    assert cer(JFK_REF, tr.text)[0] < 0.1


def test_streaming_windows_cover_the_file_in_order(audio_dir: Path) -> None:
    """Windows are bounded (no whole-file load) and contiguous; cuts land in quiet moments."""
    windows = list(iter_windows(audio_dir / "jfk.ogg", window_s=3.0, search_s=1.0))
    assert len(windows) >= 3
    assert all(w.duration <= 4.0 + 1e-6 for w in windows)
    for a, b in itertools.pairwise(windows):
        assert b.offset == pytest.approx(a.offset + a.duration, abs=1e-6)


def test_output_formats(audio_dir: Path, transcriber: Transcriber) -> None:
    tr = transcriber.transcribe(audio_dir / "w0121.wav")
    srt, vtt, txt = render(tr, "srt"), render(tr, "vtt"), render(tr, "txt")
    assert srt.startswith("1\n00:00:0") and " --> " in srt
    assert vtt.startswith("WEBVTT\n\n00:00:0")
    assert txt.startswith("未知：")
    assert '"segments"' in render(tr, "json")
