"""WeCom callback: acknowledgement latency while the assistant works in the background, and dedupe.

    .venv/bin/python benchmarks/wecom_callback_bench.py

1. 20 distinct text messages, each delivered 5 times (100 deliveries, shuffled, from 4 threads, as
   WeCom retries would arrive) → exactly 20 replies must reach message/send.
   The ack path: verify, decrypt, claim (InboundEvent insert), enqueue on the WeCom huey queue (SQLite),
   200. The queue is consumed by the embedded default: a niced child process with 2 consumer threads.
2. Ack latency (p50/p99) of 300 callbacks (new messages, so each one is claimed and queued) measured
   in-process while the consumer works through them, with a ratio against GET /healthz in the same
   process as the baseline. CPU time of the ack loop (time.process_time of this process) is reported too.
"""

from __future__ import annotations

import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.wecom.client import WeComClient
from api.wecom.jobs import QueueRunner
from api.wecom.messages import parse_envelope, parse_message
from api.wecom.runtime import WeComApp
from crm.settings import Settings
from tests.fakes.wecom_client import AES_KEY, CORP_ID, TOKEN, CallbackSender
from tests.fakes.wecom_server import FakeWeCom, serve_in_subprocess
from tests.tools.world import make_world

QUESTIONS = ["我今天有哪些待办", "云帆物流那个单子能拿下吗", "查一下云帆的客户信息", "list my open deals", "今日简报"]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


class ServerSide(logging.Handler):
    """The request middleware's own timing ("ms": request in → response out, inside the server)."""

    def __init__(self) -> None:
        super().__init__()
        self.ms: dict[str, list[float]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        path, ms = getattr(record, "path", None), getattr(record, "ms", None)
        if path and ms is not None:
            self.ms.setdefault(path, []).append(float(ms))


def main() -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="wecom-bench-"))
    world = make_world(tmp)
    proc, base_url = serve_in_subprocess(corp_id=CORP_ID)
    fake = FakeWeCom(corp_id=CORP_ID)  # only for its secret; the server itself runs in `proc`

    def replies_to(user: str) -> list[dict]:
        return [m for m in httpx.get(f"{base_url}/_fake/stats").json()["sent"] if m.get("touser") == user]

    if True:
        settings = Settings(data_dir=tmp / "var", env="test", database_url=str(world.engine.url), wecom_corp_id=CORP_ID, wecom_agent_id="1000002",
                            wecom_secret=fake.secret, wecom_token=TOKEN, wecom_aes_key=AES_KEY,
                            wecom_api_base=base_url)
        app = create_app(settings, world.engine)
        runner = QueueRunner(settings, consumer="process", workers=2).start()
        app.state.wecom = WeComApp.from_settings(settings, world.engine, runner=runner,
                                                 client=WeComClient(CORP_ID, fake.secret, "1000002", base_url))
        client = TestClient(app)
        sender = CallbackSender()
        server_side = ServerSide()
        logging.getLogger("dealwise.http").addHandler(server_side)

        # --- 1. duplicates --------------------------------------------------------------------------
        deliveries = []
        for i in range(20):
            xml = sender.text_xml("zhaolei", QUESTIONS[i % len(QUESTIONS)], msg_id=10_000 + i)
            deliveries += [sender.post(xml, nonce=str(1000 + i * 10 + k)) for k in range(5)]
        random.Random(7).shuffle(deliveries)

        def deliver(qb: tuple[str, str]) -> int:
            return client.post(f"/wecom/callback?{qb[0]}", content=qb[1]).status_code

        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(deliver, deliveries))
        runner.wait_idle(120)
        replies = len(replies_to("zhaolei"))

        # --- 2. ack latency --------------------------------------------------------------------------
        for _ in range(20):
            client.get("/healthz")
        server_side.ms.clear()
        base = []
        for _ in range(300):
            t0 = time.perf_counter()
            client.get("/healthz")
            base.append((time.perf_counter() - t0) * 1000)
        acks = []
        cpu0 = time.process_time()
        for i in range(300):
            q, b = sender.post(sender.text_xml("zhaolei", QUESTIONS[i % len(QUESTIONS)], msg_id=50_000 + i))
            t0 = time.perf_counter()
            r = client.post(f"/wecom/callback?{q}", content=b)
            acks.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        ack_cpu_ms = (time.process_time() - cpu0) * 1000 / 300
        backlog_at_end = runner.pending()
        crypto = app.state.wecom.crypto
        q, b = sender.post(sender.text_xml("zhaolei", "hi", msg_id=1))
        qs = dict(parse_qsl(q))
        t0 = time.perf_counter()
        for _ in range(1000):
            env = parse_envelope(b)
            parse_message(crypto.decrypt_message(qs["msg_signature"], qs["timestamp"], qs["nonce"], env["Encrypt"]))
        intrinsic_ms = (time.perf_counter() - t0)  # per message: total seconds / 1000 * 1000
        runner.wait_idle(600)
        result = {
            "duplicates": {"deliveries": len(deliveries), "distinct": 20, "http_200": codes.count(200),
                           "replies": replies},
            "ack_ms": {"p50": round(pct(acks, 0.5), 1), "p99": round(pct(acks, 0.99), 1), "max": round(max(acks), 1),
                       "mean": round(statistics.mean(acks), 1)},
            "healthz_ms": {"p50": round(pct(base, 0.5), 1), "p99": round(pct(base, 0.99), 1)},
            "server_side_ms": {p: {"p50": round(pct(v, 0.5), 1), "p99": round(pct(v, 0.99), 1)}
                               for p, v in server_side.ms.items()},
            "ack_p50_over_healthz_p50": round(pct(acks, 0.5) / pct(base, 0.5), 2),
            "verify_decrypt_parse_ms_per_message": round(intrinsic_ms, 3),
            "ack_cpu_ms_per_callback_incl_client": round(ack_cpu_ms, 2),
            "load_average_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
            "background_backlog_when_acks_ended": backlog_at_end,
            "replies_after_drain": len(replies_to("zhaolei")) - replies,
            "runner": type(runner).__name__,
        }
        runner.shutdown()
    proc.terminate()  # type: ignore[attr-defined]
    return result


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
