"""Charts for WeCom: an ECharts option rendered to PNG with matplotlib (Agg) and a CJK font,
or, when no CJK font is installed, a plain text table (never tofu boxes)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Microsoft YaHei", "SimHei",
                "PingFang", "Hiragino Sans GB", "Droid Sans Fallback", "AR PL")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed CJK-capable font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        for name in sorted(names):
            if name.startswith(family):
                return str(name)
    return None


def _series(option: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    x = option.get("xAxis") or {}
    if isinstance(x, list):
        x = x[0] if x else {}
    cats = [str(c) for c in x.get("data") or []]
    series = [s for s in option.get("series") or [] if isinstance(s, dict)]
    if not cats and series and series[0].get("type") in ("funnel", "pie"):
        data = series[0].get("data") or []
        cats = [str(d.get("name")) for d in data]
        series = [{"type": "bar", "name": series[0].get("name", ""), "data": [d.get("value") for d in data]}]
    return cats, series


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def render_png(option: dict[str, Any], font: str | None = None) -> bytes | None:
    """PNG bytes for bar/line/funnel options, or None when there is no CJK font or nothing to draw."""
    font = font or cjk_font()
    cats, series = _series(option)
    if font is None or not cats or not series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    width = 0.8 / max(1, sum(1 for s in series if s.get("type") == "bar"))
    bar_i = 0
    for s in series[:4]:
        ys = [_num(v) for v in (s.get("data") or [])][: len(cats)]
        xs = list(range(len(ys)))
        if s.get("type") == "line":
            ax.plot(xs, ys, marker="o", label=s.get("name"))
        else:
            ax.bar([x + bar_i * width for x in xs], ys, width=width, label=s.get("name"))
            bar_i += 1
    ax.set_xticks(range(len(cats)), cats, rotation=30 if len(cats) > 6 else 0, ha="right" if len(cats) > 6 else "center")
    title = (option.get("title") or {}).get("text")
    if title:
        ax.set_title(str(title))
    if len(series) > 1:
        ax.legend()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def text_table(option: dict[str, Any], max_rows: int = 15) -> str:
    """The chart's data as aligned text lines (the fallback when no image can be drawn)."""
    cats, series = _series(option)
    if not cats or not series:
        return ""
    lines = []
    title = (option.get("title") or {}).get("text")
    if title:
        lines.append(str(title))
    for i, c in enumerate(cats[:max_rows]):
        vals = []
        for s in series[:3]:
            data = s.get("data") or []
            v = data[i] if i < len(data) else None
            vals.append(f"{_num(v):,.2f}".rstrip("0").rstrip(".") if v is not None else "—")
        lines.append(f"{c}: " + " / ".join(vals))
    if len(cats) > max_rows:
        lines.append(f"… (+{len(cats) - max_rows})")
    return "\n".join(lines)
