"""Opt-in: the router set's first items through a local OpenAI-compatible model (e.g. the embedded
xllamacpp server). Runs only with -m localllm and DEALWISE_TEST_LOCAL_LLM_URL set; never downloads."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.localllm


@pytest.mark.skipif(not os.environ.get("DEALWISE_TEST_LOCAL_LLM_URL"), reason="no local model endpoint configured")
def test_local_model_on_the_router_set():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DEALWISE_LLM_BASE_URL": os.environ["DEALWISE_TEST_LOCAL_LLM_URL"],
           "DEALWISE_LLM_MODEL": os.environ.get("DEALWISE_TEST_LOCAL_LLM_MODEL", "local")}
    out = subprocess.run([sys.executable, str(root / "benchmarks/router_llm_bench.py")], env=env, cwd=root,
                         capture_output=True, text=True, timeout=3600)
    assert out.returncode == 0, out.stderr
    print(out.stdout)  # the figure is reported, not asserted: small local models vary
