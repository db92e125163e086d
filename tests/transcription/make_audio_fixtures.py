"""Regenerate tests/fixtures/audio from the AISHELL-1 / jfk clips (SOURCES.txt: fine as fixtures).

Run once by hand: `.venv/bin/python tests/transcription/make_audio_fixtures.py ../shared/data/asr`.
Every output stays small (< 300 KB). Tests never read ../shared; they read these files.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
SR = 16_000


def read(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        res = av.AudioResampler(format="flt", layout="mono", rate=SR)
        parts = [f.to_ndarray().reshape(-1) for fr in c.decode(audio=0) for f in res.resample(fr)]
    return np.concatenate(parts).astype(np.float32)


def write(path: Path, samples: np.ndarray, codec: str, rate: int, fmt: str | None = None,
          bit_rate: int | None = None) -> None:
    """samples: (channels, n) float32 at 16 kHz."""
    channels = samples.shape[0]
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as c:
        stream = c.add_stream(codec, rate=rate)
        stream.layout = layout
        if bit_rate:
            stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples.T.reshape(1, -1)), format="flt", layout=layout)
        frame.sample_rate = SR
        frame.time_base = Fraction(1, SR)
        frame.pts = 0
        out_fmt = stream.codec_context.format.name
        res = av.AudioResampler(format=out_fmt, layout=layout, rate=rate, frame_size=stream.codec_context.frame_size or None)
        for rf in [*res.resample(frame), *res.resample(None)]:
            for pkt in stream.encode(rf):
                c.mux(pkt)
        for pkt in stream.encode(None):
            c.mux(pkt)


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    a = read(src / "BAC009S0764W0121.wav")
    b = read(src / "BAC009S0764W0122.wav")
    mono = a[None, :]
    write(OUT / "w0121.wav", mono, "pcm_s16le", 16_000)
    write(OUT / "w0121_8k.mp3", mono, "libmp3lame", 8_000, bit_rate=32_000)
    write(OUT / "w0121.m4a", mono, "aac", 16_000, fmt="mp4", bit_rate=32_000)
    write(OUT / "w0121.flac", mono, "flac", 16_000)
    write(OUT / "w0121.ogg", mono, "libopus", 16_000, fmt="ogg", bit_rate=24_000)
    write(OUT / "w0121.webm", mono, "libopus", 16_000, fmt="webm", bit_rate=24_000)
    write(OUT / "w0121.amr", mono, "libopencore_amrnb", 8_000, fmt="amr", bit_rate=12_200)
    gap = np.zeros(int(0.8 * SR), dtype=np.float32)
    n = len(a) + len(gap) + len(b)
    stereo = np.zeros((2, n), dtype=np.float32)
    stereo[0, : len(a)] = a  # left: the rep speaks first
    stereo[1, len(a) + len(gap):] = b  # right: then the customer
    write(OUT / "stereo_w0121_w0122.m4a", stereo, "aac", 16_000, fmt="mp4", bit_rate=48_000)
    jfk = read(src / "jfk.flac")
    write(OUT / "jfk.ogg", jfk[None, :], "libopus", 16_000, fmt="ogg", bit_rate=16_000)
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/asr"))
