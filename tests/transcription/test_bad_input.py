"""Bad audio raises a typed error whose message names the problem (the API turns it into a 4xx)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.transcription.conftest import FakeEngine, write_wav
from transcription.errors import (
    AudioTooLargeError,
    AudioTooLongError,
    CorruptAudioError,
    EmptyAudioError,
    NotAudioError,
    SilentAudioError,
)
from transcription.pipeline import TranscribeOptions, Transcriber


@pytest.fixture
def fake() -> Transcriber:
    return Transcriber(FakeEngine([]))


def test_empty_file(tmp_path: Path, fake: Transcriber) -> None:
    (tmp_path / "a.wav").write_bytes(b"")
    with pytest.raises(EmptyAudioError, match="empty"):
        fake.transcribe(tmp_path / "a.wav")


def test_not_audio(tmp_path: Path, fake: Transcriber) -> None:
    (tmp_path / "notes.mp3").write_text("这不是音频文件，只是一段文字。" * 50)
    with pytest.raises(NotAudioError, match="not a readable audio file"):
        fake.transcribe(tmp_path / "notes.mp3")


def test_image_without_audio_stream(tmp_path: Path, fake: Transcriber) -> None:
    import av

    path = tmp_path / "video.webm"
    with av.open(str(path), "w") as c:
        s = c.add_stream("libvpx", rate=5)
        s.width, s.height, s.pix_fmt = 32, 32, "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), dtype=np.uint8), format="rgb24")
        for p in [*s.encode(frame), *s.encode(None)]:
            c.mux(p)
    with pytest.raises(NotAudioError, match="no audio stream"):
        fake.transcribe(path)


@pytest.mark.parametrize("name", ["w0121.wav", "w0121.m4a", "w0121_8k.mp3"])
def test_truncated(name: str, audio_dir: Path, tmp_path: Path, fake: Transcriber) -> None:
    data = (audio_dir / name).read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises((CorruptAudioError, NotAudioError), match=r"truncated|corrupt|not a readable"):
        fake.transcribe(cut)


def test_silence_only(tmp_path: Path) -> None:
    engine = FakeEngine([])
    path = write_wav(tmp_path / "silence.wav", np.zeros(16000 * 5, dtype=np.float32))
    with pytest.raises(SilentAudioError, match="only silence"):
        Transcriber(engine).transcribe(path)
    assert engine.calls == []  # the model never ran on it


def test_over_size_and_duration_limits(audio_dir: Path, tmp_path: Path, fake: Transcriber) -> None:
    src = tmp_path / "call.wav"
    shutil.copy(audio_dir / "w0121.wav", src)
    with pytest.raises(AudioTooLargeError, match=r"over the .* upload limit"):
        fake.transcribe(src, TranscribeOptions(max_bytes=10_000))
    with pytest.raises(AudioTooLongError, match=r"over the .* limit|past the"):
        fake.transcribe(src, TranscribeOptions(max_seconds=2))


def test_missing_file(tmp_path: Path, fake: Transcriber) -> None:
    with pytest.raises(NotAudioError, match="no such file"):
        fake.transcribe(tmp_path / "nope.wav")
