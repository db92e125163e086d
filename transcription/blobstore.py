"""Content-addressed blob storage behind a small protocol (local files now; S3 can implement it)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol


class BlobStore(Protocol):
    def put_file(self, src: Path) -> tuple[str, str, int]:
        """Store a file; return (key, sha256, size). Storing the same bytes twice is a no-op."""
        ...

    def open(self, key: str) -> BinaryIO: ...

    def local_path(self, key: str) -> Path:
        """A local file with the blob's bytes (a download for remote stores)."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


class LocalBlobStore:
    """Blobs under `root/sha256[:2]/sha256`: written to a temp file first, then renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise KeyError(f"invalid blob key {key!r}")
        return self.root / key[:2] / key

    def put_file(self, src: Path) -> tuple[str, str, int]:
        digest = sha256_file(src)
        dest = self._path(digest)
        size = Path(src).stat().st_size
        if dest.is_file() and dest.stat().st_size == size:
            return digest, digest, size
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".upload.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, Path(src).open("rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest, digest, size

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        return self._path(key).stat().st_size
