"""Peak memory of the transcription pipeline on a synthetic 60-minute call (dev01.wav looped).

    .venv/bin/python benchmarks/asr_memory.py [--minutes 60] [--calls ../shared/data/calls] [--json out.json]

The long file is written as 8 kHz mono MP3-free WAV under a temp dir, then transcribed by the real
pipeline in a child process; the parent reports the child's peak RSS (ru_maxrss) and its RTF.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys, time, json
sys.path.insert(0, {root!r})
from pathlib import Path
from crm.settings import get_settings
from transcription.runner import transcriber_for
from transcription.pipeline import TranscribeOptions
from transcription.vocab import from_org_json
t = transcriber_for(get_settings())
start = time.perf_counter()
tr = t.transcribe(Path({path!r}), TranscribeOptions(vocabulary=from_org_json(Path({org!r})), max_seconds=5 * 3600))
print(json.dumps({{"seconds": time.perf_counter() - start, "duration": tr.duration, "segments": len(tr.segments)}}))
"""


def make_long_wav(src: Path, minutes: float, dest: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from transcription.audio import SAMPLE_RATE, decode_all

    clip = (decode_all(src)[0] * 32767).clip(-32768, 32767).astype(np.int16)
    total = int(minutes * 60 * SAMPLE_RATE)
    with wave.open(str(dest), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        written = 0
        while written < total:
            part = clip[: total - written]
            w.writeframes(part.tobytes())
            written += len(part)
    return total / SAMPLE_RATE


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--calls", type=Path, default=ROOT.parent / "shared" / "data" / "calls")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        long_wav = Path(tmp) / "long.wav"
        seconds = make_long_wav(args.calls / "dev01.wav", args.minutes, long_wav)
        code = CHILD.format(root=str(ROOT), path=str(long_wav), org=str(args.calls / "org.json"))
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    child = json.loads(out.stdout.strip().splitlines()[-1])
    result = {"minutes": args.minutes, "audio_s": seconds, "peak_rss_mb": round(peak_mb, 1),
              "transcribe_s": round(child["seconds"], 1), "rtf": round(child["seconds"] / seconds, 3),
              "wall_s": round(wall, 1), "segments": child["segments"]}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
