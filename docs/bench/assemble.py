"""Assemble docs/benchmarks.md from the per-area files in docs/bench/ (run after editing any of them).

    .venv/bin/python docs/bench/assemble.py
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["foundation", "asr", "insights", "scoring", "ask", "assistant", "web"]
HEAD = """# Benchmarks

Every figure here comes from a script in `benchmarks/`, run with the command given in its section; this page is
assembled from `docs/bench/*.md` by `docs/bench/assemble.py`.

**Read these with the machine in mind:** a 2-core machine shared by several engineers running ASR, model training and
browser tests at once (each section gives the load average it was measured at). Speed is therefore given as ratios
against a baseline measured in the same process, or as CPU time; absolute wall times can be several times what an
idle machine gives. Accuracy figures say which data the code was tuned on and which it was not (held out).
"""


def demote(md: str) -> str:
    """Push every heading one level down, outside fenced code blocks."""
    out, fenced = [], False
    for line in md.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip() + "\n"


def main() -> None:
    parts = [HEAD, "Sections: " + ", ".join(f"[{n}](#{n})" for n in ORDER) + ".\n"]
    for name in ORDER:
        parts.append(f'<a id="{name}"></a>\n\n' + demote((HERE / f"{name}.md").read_text(encoding="utf-8")))
    (HERE.parent / "benchmarks.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
