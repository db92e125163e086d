"""Audio file → Transcript: probe, stream-decode in windows, transcribe, guard, label speakers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from transcription.audio import iter_windows, probe
from transcription.channel_turns import split_by_channel
from transcription.context_names import VendorContextCorrector
from transcription.correct import NameCorrector
from transcription.engine import AsrEngine, DecodeOptions, FasterWhisperEngine, RawSegment
from transcription.errors import SilentAudioError, TranscriptionError
from transcription.guards import guard_segments
from transcription.speakers import channel_speaker, channels_identical, label_mono
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
        fix = _corrector(vocab) if opts.correct_names else str
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
                audio = window.samples.mean(axis=0)  # stereo: one pass over the downmix, turns from the channels
                result = self.engine.transcribe(audio, dec)
                language = language or result.language
                dec = replace(dec, language=language)
                for guarded in guard_segments(result.segments):
                    turns = split_by_channel(window.samples, guarded) if stereo else [(guarded, -1)]
                    for raw, ch in turns:
                        speaker: Speaker = channel_speaker(ch, opts.rep_channel) if ch >= 0 else "unknown"
                        segments.append(_segment(raw, window.offset, speaker, fix))
                    if progress is not None and total > 0:
                        progress(min(0.99, (window.offset + guarded.end) / total))
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


def _corrector(vocab: Vocabulary) -> Callable[[str], str]:
    """Pinyin name correction, then vendor names restored where the context names a vendor."""
    names = NameCorrector(vocab.correction_names(), vocab.near_names(), vocab.people()).correct
    vendors = VendorContextCorrector([*vocab.products, *vocab.competitors, *vocab.company_names]).correct
    return lambda text: vendors(names(text))


def _segment(raw: RawSegment, offset: float, speaker: Speaker, fix: Callable[[str], str]) -> Segment:
    words = None
    if raw.words:
        words = [Word(start=round(offset + w.start, 3), end=round(offset + w.end, 3), word=w.word,
                      probability=round(w.probability, 4)) for w in raw.words]
    return Segment(start=round(offset + raw.start, 3), end=round(offset + raw.end, 3), speaker=speaker,
                   text=fix(clean_segment_text(raw.text)), words=words)


def default_transcriber(model: str, device: str = "cpu", compute_type: str = "int8", threads: int = 2) -> Transcriber:
    return Transcriber(FasterWhisperEngine(model, device, compute_type, threads))
