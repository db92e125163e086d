"""Find which customer a message names, from the names the user may see (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.names import aliases as derive_aliases

_ASCII_WORD = re.compile(r"[a-z0-9_]")  # "Acme的单子": a Chinese character next to a Latin name is a boundary


@dataclass(frozen=True)
class AccountName:
    name: str
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Mention:
    name: str
    text: str
    start: int
    end: int


class Gazetteer:
    """Customer names and their short forms; `find` returns the longest mention in a message."""

    def __init__(self, accounts: list[AccountName]) -> None:
        entries: list[tuple[str, str]] = []
        for acc in accounts:
            for alias in derive_aliases(acc.name, list(acc.aliases)):
                if len(alias) >= 2:
                    entries.append((alias.lower(), acc.name))
        entries.sort(key=lambda e: -len(e[0]))
        self.entries = entries

    @classmethod
    def of(cls, names: list[str]) -> Gazetteer:
        return cls([AccountName(n) for n in names])

    def find(self, text: str) -> Mention | None:
        low = text.lower()
        for alias, name in self.entries:
            start = low.find(alias)
            while start >= 0:
                end = start + len(alias)
                ascii_alias = alias.isascii()
                if not ascii_alias or (not _ASCII_WORD.match(low[start - 1 : start]) and not _ASCII_WORD.match(low[end : end + 1])):
                    return Mention(name=name, text=text[start:end], start=start, end=end)
                start = low.find(alias, start + 1)
        return None
