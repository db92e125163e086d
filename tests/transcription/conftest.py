"""Transcription fixtures: the embedded model assembled once per session, audio fixtures, a fake engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from transcription.engine import DecodeOptions, EngineResult, RawSegment
from transcription.pipeline import Transcriber

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
W0121_REF = "甚至出现交易几乎停滞的情况"
W0122_REF = "一二线城市虽然也处于调整中"
JFK_REF = "And so my fellow Americans ask not what your country can do for you, ask what you can do for your country."


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the embedded model is assembled: DEALWISE_MODEL_CACHE_DIR if set, else one session tmp dir."""
    env = os.environ.get("DEALWISE_MODEL_CACHE_DIR")
    return Path(env) if env else tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def model_path(model_cache_dir: Path) -> Path:
    from transcription.model_cache import embedded_model_path

    return embedded_model_path(model_cache_dir)


@pytest.fixture(autouse=True)
def _model_cache_env(model_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's settings point at the session's model cache (the root conftest isolates the rest)."""
    from crm.settings import get_settings

    monkeypatch.setenv("DEALWISE_MODEL_CACHE_DIR", str(model_cache_dir))
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def transcriber(model_path: Path) -> Transcriber:
    from transcription.runner import _transcriber

    return _transcriber(str(model_path), "cpu", "int8", 2)


@pytest.fixture
def audio_dir() -> Path:
    return AUDIO


class FakeEngine:
    """Returns scripted segments per call; records the audio lengths it was given."""

    name = "fake"

    def __init__(self, script: list[list[RawSegment]]) -> None:
        self.script = list(script)
        self.calls: list[int] = []

    def transcribe(self, samples: np.ndarray, options: DecodeOptions) -> EngineResult:
        self.calls.append(int(samples.shape[-1]))
        segs = self.script.pop(0) if self.script else []

        def it() -> Iterator[RawSegment]:
            yield from segs

        return EngineResult(options.language or "zh", samples.shape[-1] / 16000, it())


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    """Write (channels, n) or (n,) float32 samples as 16-bit PCM WAV."""
    import wave

    data = samples if samples.ndim == 2 else samples[None, :]
    pcm = (np.clip(data.T, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path
