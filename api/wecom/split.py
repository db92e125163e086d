"""Split long replies to WeCom's byte limits (text 2048 B, markdown 4096 B, UTF-8)."""

from __future__ import annotations

TEXT_LIMIT = 2048
MARKDOWN_LIMIT = 4096


def _blen(s: str) -> int:
    return len(s.encode("utf-8"))


def _hard_split(s: str, limit: int) -> list[str]:
    out: list[str] = []
    cur = ""
    for ch in s:
        if _blen(cur) + _blen(ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return out


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Chunks of at most `limit` UTF-8 bytes, cut at line breaks, then sentence ends, then characters."""
    if _blen(text) <= limit:
        return [text]
    pieces: list[tuple[str, str]] = []  # (text, separator placed before it)
    for line in text.split("\n"):
        if _blen(line) <= limit:
            pieces.append((line, "\n"))
            continue
        sep = "\n"
        sentence = ""
        for ch in line + "\0":
            if ch != "\0":
                sentence += ch
            if (ch in "。！？!?；;" or ch == "\0") and sentence:
                for part in _hard_split(sentence, limit):
                    pieces.append((part, sep))
                    sep = ""
                sentence = ""
    chunks: list[str] = []
    cur: str | None = None
    for piece, sep in pieces:
        if cur is None:
            cur = piece
        elif _blen(cur + sep + piece) <= limit:
            cur = cur + sep + piece
        else:
            chunks.append(cur)
            cur = piece
    if cur is not None:
        chunks.append(cur)
    return [c for c in chunks if c.strip()]
