"""Peak memory of the transcription pipeline on a synthetic long call (dev01.wav looped to 60 minutes).

    .venv/bin/python benchmarks/asr_memory.py [--minutes 60] [--max-wall 3600] [--json out.json]

The long file is written as a 16 kHz WAV under a temp dir and transcribed by the real pipeline in a
child process. The parent samples the child's resident memory (VmRSS, VmHWM) every 2 s together with
the audio position reached, so the trace shows whether memory stays flat as the call goes on. With
--max-wall the run stops there and reports how far it got (on a busy 2-core machine a 60-minute
call can take longer than a session allows).
"""

from __future__ import annotations

import argparse
import json
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
def progress(f):
    print(json.dumps({{"progress": f, "t": time.perf_counter() - start}}), flush=True)
tr = t.transcribe(Path({path!r}), TranscribeOptions(vocabulary=from_org_json(Path({org!r})), max_seconds=5 * 3600),
                  progress)
print(json.dumps({{"done": True, "seconds": time.perf_counter() - start, "segments": len(tr.segments)}}), flush=True)
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


def mem_mb(pid: int) -> tuple[float, float]:
    rss = hwm = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, hwm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--max-wall", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--calls", type=Path, default=ROOT.parent / "shared" / "data" / "calls")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    trace: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        long_wav = Path(tmp) / "long.wav"
        seconds = make_long_wav(args.calls / "dev01.wav", args.minutes, long_wav)
        code = CHILD.format(root=str(ROOT), path=str(long_wav), org=str(args.calls / "org.json"))
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        import os
        import selectors

        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        progress, done, buf, peak = 0.0, None, "", 0.0
        last_sample = 0.0
        while proc.poll() is None:
            for _key, _ in sel.select(timeout=1.0):
                buf += proc.stdout.read() or ""
            *lines, buf = buf.split("\n")
            for line in lines:
                msg = json.loads(line)
                progress = msg.get("progress", progress)
                done = msg if msg.get("done") else done
            now = time.perf_counter() - start
            if now - last_sample >= 2:
                rss, hwm = mem_mb(proc.pid)
                peak = max(peak, hwm)
                trace.append({"wall_s": round(now, 1), "audio_min": round(progress * seconds / 60, 2),
                              "rss_mb": round(rss, 1), "hwm_mb": round(hwm, 1)})
                last_sample = now
                if len(trace) % 30 == 0:
                    print(json.dumps(trace[-1]), flush=True)
            if args.max_wall and now > args.max_wall:
                proc.kill()
                break
        proc.wait()
        buf += proc.stdout.read() or ""
        for line in buf.splitlines():
            msg = json.loads(line)
            done = msg if msg.get("done") else done
    wall = time.perf_counter() - start
    reached = 1.0 if done else progress
    result = {"minutes": args.minutes, "audio_s": seconds, "completed": bool(done),
              "audio_min_reached": round(reached * seconds / 60, 2), "peak_rss_mb": round(peak, 1),
              "wall_s": round(wall, 1), "rtf": round(wall / (reached * seconds), 3) if reached else None,
              "rss_at_25_50_75_100pct_of_run": [t["rss_mb"] for t in
                                               (trace[int(len(trace) * q) - 1] for q in (0.25, 0.5, 0.75, 1.0))]
              if len(trace) >= 4 else []}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"result": result, "trace": trace}, indent=1))


if __name__ == "__main__":
    main()
