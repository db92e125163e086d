"""The ASR engine behind a small protocol; the default is faster-whisper (CTranslate2, int8 on CPU)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from transcription.errors import ModelCacheError


@dataclass(frozen=True)
class DecodeOptions:
    """Per-call decoding knobs. `language=None` detects the language."""

    language: str | None = "zh"
    beam_size: int = 5
    initial_prompt: str | None = None
    hotwords: str | None = None
    vad_filter: bool = True
    word_timestamps: bool = False
    condition_on_previous_text: bool = True
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RawWord:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class RawSegment:
    """One engine segment, times relative to the audio handed to the engine."""

    start: float
    end: float
    text: str
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0
    words: list[RawWord] | None = None


@dataclass
class EngineResult:
    language: str
    duration: float
    segments: Iterator[RawSegment]


class AsrEngine(Protocol):
    """Anything that turns 16 kHz mono float32 samples into timed segments, lazily."""

    name: str

    def transcribe(self, samples: np.ndarray, options: DecodeOptions) -> EngineResult: ...


_MODELS: dict[tuple[str, str, str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def load_whisper(model: str, device: str = "cpu", compute_type: str = "int8", threads: int = 2) -> Any:
    """Load (once per process) a faster-whisper model from a local directory or the local HF cache."""
    key = (model, device, compute_type, threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            from faster_whisper import WhisperModel

            try:
                _MODELS[key] = WhisperModel(
                    model, device=device, compute_type=compute_type, cpu_threads=threads, local_files_only=True
                )
            except Exception as exc:
                raise ModelCacheError(f"cannot load ASR model {model!r}: {exc}") from exc
        return _MODELS[key]


class FasterWhisperEngine:
    """faster-whisper on CPU (int8 by default); the model is shared by every engine in the process."""

    name = "faster-whisper"

    def __init__(self, model: str, device: str = "cpu", compute_type: str = "int8", threads: int = 2) -> None:
        self.model_ref = model
        self.model = load_whisper(model, device, compute_type, threads)

    def transcribe(self, samples: np.ndarray, options: DecodeOptions) -> EngineResult:
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        segments, info = self.model.transcribe(
            audio,
            language=options.language,
            beam_size=options.beam_size,
            initial_prompt=options.initial_prompt,
            hotwords=options.hotwords,
            vad_filter=options.vad_filter,
            word_timestamps=options.word_timestamps,
            condition_on_previous_text=options.condition_on_previous_text,
            no_speech_threshold=options.no_speech_threshold,
            log_prob_threshold=options.log_prob_threshold,
            compression_ratio_threshold=options.compression_ratio_threshold,
            repetition_penalty=options.repetition_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            **options.extra,
        )

        def _iter() -> Iterator[RawSegment]:
            for s in segments:
                words = (
                    [RawWord(w.start, w.end, w.word, w.probability) for w in s.words] if s.words else None
                )
                yield RawSegment(
                    start=float(s.start),
                    end=float(s.end),
                    text=s.text,
                    avg_logprob=float(s.avg_logprob),
                    no_speech_prob=float(s.no_speech_prob),
                    compression_ratio=float(s.compression_ratio),
                    words=words,
                )

        return EngineResult(language=info.language, duration=float(info.duration), segments=_iter())
