"""English words for a Chinese workspace's own values, so a manager who writes English can name them: 'East China'
for 华东, 'trade shows' for 展会, 'referrals' for 转介绍. Each alias is added only when the CRM holds the value it
names, and only when no other value already owns the word (an English workspace's 'East' stays its own)."""

from __future__ import annotations

from retrieval.vocab import Vocab

_DIRECTIONS = {"华东": "east", "华南": "south", "华北": "north", "华中": "central", "西南": "southwest",
               "西北": "northwest", "东北": "northeast"}


def _region_words(zh: str) -> list[str]:
    d = _DIRECTIONS.get(zh)
    if d is None:
        return []
    spaced = d.replace("southwest", "south west").replace("northwest", "north west").replace("northeast", "north east")
    forms = {d, spaced, spaced.replace(" ", "-")}
    adjectives = {f + "ern" for f in forms if not f.endswith("central")}
    words = [f"{f} china" for f in forms | adjectives] + [f"china {f}" for f in forms]
    return words + [f"{w} region" for w in words]


# lead sources (and marketing channels) as people name them in English
SOURCES = {
    "转介绍": ("referral", "referrals", "word of mouth", "introductions", "introduced by others"),
    "电话营销": ("telemarketing", "telesales", "cold calls", "cold calling", "cold-calling", "outbound calls", "phone marketing"),
    "官网": ("website", "our website", "the website", "web site", "official website", "company website", "web inquiries",
             "website inquiries", "inbound web"),
    "线上广告": ("online ads", "online advertising", "online advertisements", "digital ads", "digital advertising", "web ads",
                 "internet ads", "internet advertising", "paid ads"),
    "合作伙伴": ("partners", "partner channel", "channel partners", "partner referrals", "resellers"),
    "展会": ("trade shows", "trade show", "tradeshows", "tradeshow", "exhibitions", "exhibition", "trade fairs",
             "trade fair", "expos", "expo"),
    "老客户": ("repeat customers", "returning customers", "old customers",
               "repeat business"),
}
# how people say a deal came by introduction, for any source named for it (转介绍, 客户介绍)
INTRODUCED = ("别人介绍", "朋友介绍", "介绍过来", "介绍来", "referral", "referrals")


def _add(v: Vocab, word: str, dim: str, value: str) -> None:
    if word not in v.terms:
        v.add(word, dim, value)


def add_value_aliases(v: Vocab, regions: list[str], sources: list[str]) -> None:
    """The English aliases (and Chinese variants) of the regions and lead sources this CRM holds."""
    for r in regions:
        for word in _region_words(r):
            _add(v, word, "region", r)
    for src in sources:
        for word in (*(INTRODUCED if "介绍" in src else ()), *SOURCES.get(src, ())):
            _add(v, word, "lead_source", src)
