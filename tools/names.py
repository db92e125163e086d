"""Short names for customer companies, so '云帆物流' or '云帆' finds 杭州云帆物流科技有限公司 (pure)."""

from __future__ import annotations

import re

_SUFFIXES = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "股份", "公司",
    "科技", "技术", "信息", "网络", "实业", "控股", "国际",
)
_EN_SUFFIXES = re.compile(r"[,\s]+(inc\.?|ltd\.?|llc|co\.?|corp\.?|corporation|limited|group)$", re.I)
_PLACES = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "武汉",
    "长沙", "成都", "西安", "郑州", "济南", "青岛", "厦门", "福州", "昆明", "贵阳", "南宁", "沈阳", "大连",
    "长春", "哈尔滨", "石家庄", "太原", "南昌", "兰州", "乌鲁木齐", "东莞", "佛山", "珠海", "温州", "绍兴",
    "嘉兴", "常州", "徐州", "烟台", "中山", "泉州", "海口", "呼和浩特", "银川", "西宁", "拉萨",
    "浙江", "江苏", "广东", "山东", "河南", "河北", "湖北", "湖南", "四川", "福建", "安徽", "江西", "陕西",
)


def _is_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def core_name(name: str) -> str:
    """杭州云帆物流科技有限公司 → 云帆物流; 'Acme Robotics, Inc.' → 'Acme Robotics'."""
    s = name.strip()
    if not _is_cjk(s):
        return _EN_SUFFIXES.sub("", s).strip()
    for place in sorted(_PLACES, key=len, reverse=True):
        if s.startswith(place) and len(s) - len(place) >= 2:
            s = s[len(place):]
            break
    changed = True
    while changed:
        changed = False
        for suf in _SUFFIXES:
            if s.endswith(suf) and len(s) - len(suf) >= 2:
                s = s[: -len(suf)]
                changed = True
    return s


def aliases(name: str, extra: list[str] | None = None) -> list[str]:
    """Names a user might say for this company, longest first (the full name, its core, its brand)."""
    out = [name.strip()]
    core = core_name(name)
    out.append(core)
    if _is_cjk(core) and len(core) >= 4:
        out.append(core[:2])  # brand: 云帆物流 → 云帆
    elif not _is_cjk(core) and " " in core:
        out.append(core.split()[0])  # Acme Robotics → Acme
    out.extend(extra or [])
    seen: list[str] = []
    for a in out:
        if a and a not in seen:
            seen.append(a)
    return sorted(seen, key=len, reverse=True)
