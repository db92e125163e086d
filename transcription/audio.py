"""Streaming audio decode through PyAV: any container ffmpeg reads → 16 kHz float32 windows.

Nothing here holds a whole call in memory: `iter_windows` yields windows of at most `window_s`
seconds (default 5 minutes), cut at the quietest moment near the window's end so no word is split.
Bad input raises a typed `AudioError` naming the problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.error import FFmpegError

from transcription.errors import (
    AudioTooLargeError,
    AudioTooLongError,
    CorruptAudioError,
    EmptyAudioError,
    NotAudioError,
)

SAMPLE_RATE = 16_000
SILENCE_RMS = 10 ** (-55 / 20)  # a window whose loudest 100 ms stays under -55 dBFS counts as silence


@dataclass(frozen=True)
class AudioInfo:
    """What the container says about the audio before decoding it."""

    duration: float | None
    channels: int
    sample_rate: int
    codec: str
    container: str
    size_bytes: int


@dataclass
class Window:
    """A decoded stretch of audio: `samples` is (channels, n) float32 at 16 kHz; `offset` in seconds."""

    offset: float
    samples: np.ndarray

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / SAMPLE_RATE

    def is_silent(self) -> bool:
        return peak_rms(self.samples) < SILENCE_RMS


def peak_rms(samples: np.ndarray, frame: int = SAMPLE_RATE // 10) -> float:
    """The loudest 100 ms frame's RMS over all channels."""
    n = samples.shape[-1] // frame
    if n == 0:
        return float(np.sqrt(np.mean(np.square(samples)))) if samples.size else 0.0
    frames = samples[..., : n * frame].reshape(*samples.shape[:-1], n, frame)
    return float(np.sqrt(np.mean(np.square(frames), axis=-1)).max())


def probe(path: Path, max_bytes: int | None = None, max_seconds: float | None = None) -> AudioInfo:
    """Open the file's header and check size, audio presence and declared duration."""
    path = Path(path)
    if not path.is_file():
        raise NotAudioError(f"{path.name}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyAudioError(f"{path.name} is empty (0 bytes)")
    if max_bytes is not None and size > max_bytes:
        raise AudioTooLargeError(
            f"{path.name} is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB upload limit"
        )
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                raise NotAudioError(f"{path.name} has no audio stream")
            stream = streams[0]
            duration: float | None = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            info = AudioInfo(
                duration=duration,
                channels=stream.codec_context.channels or 1,
                sample_rate=stream.codec_context.sample_rate or 0,
                codec=stream.codec_context.name,
                container=container.format.name,
                size_bytes=size,
            )
    except (FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise NotAudioError(f"{path.name} is not a readable audio file ({_short(exc)})") from exc
    if info.container == "wav":
        _check_wav_length(path, size)
    if info.sample_rate <= 0:
        raise NotAudioError(f"{path.name} has an audio stream without a sample rate")
    if max_seconds is not None and info.duration is not None and info.duration > max_seconds:
        raise AudioTooLongError(
            f"{path.name} lasts {info.duration / 60:.0f} min, over the {max_seconds / 60:.0f} min limit"
        )
    return info


def _check_wav_length(path: Path, size: int) -> None:
    """A RIFF/WAVE file whose data chunk claims more bytes than the file holds was cut short."""
    import struct

    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return
    pos = 12
    while pos + 8 <= len(head):
        cid, n = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if cid == b"data":
            have = size - (pos + 8)
            if n not in (0, 0xFFFFFFFF) and have < 0.9 * n:
                raise CorruptAudioError(
                    f"{path.name} is truncated: its header announces {n} bytes of audio but only {have} are present"
                )
            return
        pos += 8 + n + (n & 1)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def iter_blocks(path: Path, channels: int) -> Iterator[np.ndarray]:
    """Decode to (channels, n) float32 blocks at 16 kHz, a few thousand samples at a time."""
    layout = "mono" if channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(channels, -1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(channels, -1)
    except (FFmpegError, ValueError) as exc:
        raise CorruptAudioError(f"{Path(path).name} is corrupt or truncated ({_short(exc)})") from exc


def iter_windows(
    path: Path,
    *,
    channels: int = 1,
    window_s: float = 300.0,
    search_s: float = 15.0,
    max_seconds: float | None = None,
    declared_duration: float | None = None,
) -> Iterator[Window]:
    """Yield consecutive windows covering the whole file, each cut at a quiet point near its end."""
    target = int(window_s * SAMPLE_RATE)
    search = int(search_s * SAMPLE_RATE)
    buf: list[np.ndarray] = []
    buffered = 0
    offset = 0
    decoded = 0
    limit = int(max_seconds * SAMPLE_RATE) if max_seconds is not None else None
    for block in iter_blocks(path, channels):
        buf.append(block)
        buffered += block.shape[1]
        decoded += block.shape[1]
        if limit is not None and decoded > limit:
            raise AudioTooLongError(
                f"{Path(path).name} runs past the {max_seconds / 60:.0f} min limit"  # type: ignore[operator]
            )
        if buffered >= target + search:
            data = np.concatenate(buf, axis=1)
            cut = _quiet_cut(data, target, search)
            yield Window(offset / SAMPLE_RATE, np.ascontiguousarray(data[:, :cut]))
            offset += cut
            rest = data[:, cut:]
            buf, buffered = [rest], rest.shape[1]
    if buffered:
        yield Window(offset / SAMPLE_RATE, np.ascontiguousarray(np.concatenate(buf, axis=1)))
    if decoded == 0:
        raise CorruptAudioError(f"{Path(path).name} has an audio stream but no decodable samples")
    if declared_duration and declared_duration > 2 and decoded / SAMPLE_RATE < 0.9 * declared_duration:
        raise CorruptAudioError(
            f"{Path(path).name} is truncated: its header says {declared_duration:.1f} s "
            f"but only {decoded / SAMPLE_RATE:.1f} s could be decoded"
        )


def _quiet_cut(data: np.ndarray, target: int, search: int, frame: int = SAMPLE_RATE // 20) -> int:
    """Index of the quietest 50 ms frame within `search` samples before `target` (mixing channels)."""
    lo = max(0, target - search)
    seg = data[:, lo:target].mean(axis=0)
    n = seg.shape[0] // frame
    if n == 0:
        return target
    energy = np.square(seg[: n * frame].reshape(n, frame)).mean(axis=1)
    best = int(np.argmin(energy))
    return lo + best * frame + frame // 2


def decode_all(path: Path, channels: int = 1) -> np.ndarray:
    """Decode a short file whole, (channels, n) float32; for tests and short clips only."""
    blocks = list(iter_blocks(Path(path), channels))
    if not blocks:
        return np.zeros((channels, 0), dtype=np.float32)
    return np.concatenate(blocks, axis=1)


def duration_of(samples: np.ndarray) -> float:
    return samples.shape[-1] / SAMPLE_RATE if samples.size else 0.0


__all__ = [
    "SAMPLE_RATE",
    "AudioInfo",
    "Window",
    "decode_all",
    "duration_of",
    "iter_windows",
    "math",
    "peak_rms",
    "probe",
]
