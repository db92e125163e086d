"""Audio file → Transcript: probe, stream-decode in windows, transcribe, guard, label speakers."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np

from transcription.audio import iter_windows, probe
from transcription.correct import NameCorrector
from transcription.engine import AsrEngine, DecodeOptions, FasterWhisperEngine, RawSegment, RawWord
from transcription.errors import SilentAudioError, TranscriptionError
from transcription.guards import guard_segments
from transcription.speakers import channel_speaker, channels_identical, is_bleed, label_mono
from transcription.textnorm import clean_segment_text
from transcription.types import Segment, Speaker, Transcript, Word
from transcription.vocab import STYLE_PROMPT_ZH, Vocabulary

ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]


class Cancelled(TranscriptionError):
    code = "cancelled"


@dataclass
class TranscribeOptions:
    """What a caller may choose per call; the rest comes from settings."""

    language: str | None = "zh"
    rep_channel: Literal["left", "right"] = "left"
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    word_timestamps: bool = False
    bias_decoder: bool = False  # also feed the style prompt + hotwords to Whisper (slower; see docs/bench/asr.md)
    correct_names: bool = True  # pinyin correction of CRM names after decoding
    beam_size: int = 5
    window_s: float = 300.0
    max_bytes: int | None = None
    max_seconds: float | None = None


def decode_options(opts: TranscribeOptions) -> DecodeOptions:
    """The decoder settings the pipeline uses: style prompt + hotwords, VAD, Whisper's own fallbacks."""
    language = None if opts.language in (None, "", "auto") else opts.language
    prompt = STYLE_PROMPT_ZH if opts.bias_decoder and language in (None, "zh") else None
    return DecodeOptions(
        language=language,
        beam_size=opts.beam_size,
        initial_prompt=prompt,
        hotwords=opts.vocabulary.hotwords() if opts.bias_decoder else None,
        vad_filter=True,
        word_timestamps=opts.word_timestamps,
    )


class Transcriber:
    """Runs one engine over files; cheap to build once the engine is loaded."""

    def __init__(self, engine: AsrEngine) -> None:
        self.engine = engine

    def transcribe(
        self,
        path: Path,
        opts: TranscribeOptions | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> Transcript:
        opts = opts or TranscribeOptions()
        info = probe(Path(path), opts.max_bytes, opts.max_seconds)
        channels = 2 if info.channels >= 2 else 1
        total = info.duration or 0.0
        dec = decode_options(opts)
        vocab = opts.vocabulary
        fix = NameCorrector(vocab.correction_names(), vocab.near_names(), vocab.people()).correct if opts.correct_names else str
        segments: list[Segment] = []
        language = dec.language
        heard = False
        decoded = 0.0
        stereo_seen = False
        for window in iter_windows(Path(path), channels=channels, window_s=opts.window_s,
                                   max_seconds=opts.max_seconds, declared_duration=info.duration):
            if cancelled is not None and cancelled():
                raise Cancelled("the job was cancelled")
            decoded = window.offset + window.duration
            if not window.is_silent():
                heard = True
                stereo = channels == 2 and not channels_identical(window.samples)
                stereo_seen = stereo_seen or stereo
                tracks: list[tuple[np.ndarray, Speaker | None, int]]
                if stereo:
                    tracks = [(window.samples[c], channel_speaker(c, opts.rep_channel), c) for c in (0, 1)]
                else:
                    tracks = [(window.samples.mean(axis=0), None, -1)]
                for audio, speaker, ch in tracks:
                    # Per channel, word times are needed: a segment may span the other speaker's turn.
                    result = self.engine.transcribe(audio, replace(dec, word_timestamps=True) if ch >= 0 else dec)
                    language = language or result.language
                    dec = replace(dec, language=language)
                    for guarded in guard_segments(result.segments):
                        for raw in split_on_gaps(guarded) if ch >= 0 else [guarded]:
                            if ch >= 0 and is_bleed(window.samples, ch, raw.start, raw.end):
                                continue
                            if ch >= 0 and not opts.word_timestamps:
                                raw.words = None
                            segments.append(_segment(raw, window.offset, speaker or "unknown", fix))
                        if progress is not None and total > 0:
                            progress(min(0.99, (window.offset + raw.end) / total))
            if progress is not None and total > 0:
                progress(min(0.99, decoded / total))
        if not heard:
            raise SilentAudioError(f"{Path(path).name} contains only silence ({decoded:.1f} s): nothing to transcribe")
        segments.sort(key=lambda s: (s.start, s.end))
        if not stereo_seen:
            segments = label_mono(segments, opts.vocabulary.company_names)
        if progress is not None:
            progress(1.0)
        return Transcript.from_segments(segments, language=language or "zh", duration=decoded)


def split_on_gaps(raw: RawSegment, gap_s: float = 1.0) -> list[RawSegment]:
    """Split a segment where its words pause for `gap_s` or more; start/end come from the words."""
    words = raw.words
    if not words or "".join(w.word for w in words).strip() != raw.text.strip():
        return [raw]  # no word times, or the guards changed the text: keep the segment whole
    parts: list[list[RawWord]] = [[words[0]]]
    for prev, word in itertools.pairwise(words):
        if word.start - prev.end >= gap_s:
            parts.append([])
        parts[-1].append(word)
    return [
        RawSegment(start=p[0].start, end=p[-1].end, text="".join(w.word for w in p).strip(),
                   avg_logprob=raw.avg_logprob, no_speech_prob=raw.no_speech_prob,
                   compression_ratio=raw.compression_ratio, words=p)
        for p in parts
    ]


def _segment(raw: RawSegment, offset: float, speaker: Speaker, fix: Callable[[str], str]) -> Segment:
    words = None
    if raw.words:
        words = [Word(start=round(offset + w.start, 3), end=round(offset + w.end, 3), word=w.word,
                      probability=round(w.probability, 4)) for w in raw.words]
    return Segment(start=round(offset + raw.start, 3), end=round(offset + raw.end, 3), speaker=speaker,
                   text=fix(clean_segment_text(raw.text)), words=words)


def default_transcriber(model: str, device: str = "cpu", compute_type: str = "int8", threads: int = 2) -> Transcriber:
    return Transcriber(FasterWhisperEngine(model, device, compute_type, threads))
