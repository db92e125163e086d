"""What the decoder is told in advance: a style prompt and CRM-aware hotwords.

Hotwords come from who we are (company, aliases, products), who we compete with, and the call's
CRM context (account, contacts, the rep). They bias Whisper towards the right spelling of names
that a general model has never seen (云启 rather than 云起). Nothing here is tuned per file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# Written in Simplified Chinese with full-width punctuation: Whisper continues in the prompt's style.
STYLE_PROMPT_ZH = "以下是一通普通话的销售电话录音，使用简体中文和标点符号。"
MAX_HOTWORD_CHARS = 160  # faster-whisper keeps at most ~220 prompt tokens for hotwords
# General B2B sales / enterprise-software vocabulary for the pinyin corrector (not names of anyone):
# words a sales call uses that a general model tends to hear as a same-sounding non-word (部署 → 不属).
_GLOSSARY_TEXT = (
    "报价 报价单 预算 采购 招标 投标 标书 合同 签约 回款 付款 发票 折扣 优惠 单价 总价 年费 续费 订阅 授权 "
    "演示 试用 方案 解决方案 架构 架构师 部署 本地化 私有化 公有云 私有云 上线 交付 实施 运维 售后 服务 全天候 "
    "需求 痛点 模块 功能 接口 对接 集成 数据安全 数据分析 客户管理 渠道管理 工单 派发 审批 流程 决策 决策人 "
    "总经理 总监 经理 主任 主管 技术总监 客户经理 销售总监 采购经理 项目经理 "
    "厂商 竞品 案例 贵司 我司 贵公司 拜访 回访 跟进 立项 验收 试点 扩容 增购 商务 报备 排期 里程碑"
)
SALES_GLOSSARY = tuple(_GLOSSARY_TEXT.split())


@dataclass
class Vocabulary:
    """Names worth biasing towards; `company_names` also drive the mono self-introduction rule."""

    company: str = ""
    aliases: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    account: str | None = None
    account_city: str | None = None
    contacts: list[str] = field(default_factory=list)  # names and forms of address (陈刚, 陈总)
    rep: str | None = None  # the uploading rep's own name
    extra: list[str] = field(default_factory=list)
    glossary: bool = True  # add SALES_GLOSSARY to the names the corrector knows

    @property
    def company_names(self) -> list[str]:
        return [n for n in [self.company, *self.aliases] if n]

    def people(self) -> list[str]:
        """Full names of the people on the call: the rep and the account's contacts."""
        return [n for n in [self.rep or "", *self.contacts] if n and not n.endswith(("总", "经理", "总监", "主任", "主管", "老师", "工"))]

    def near_names(self) -> list[str]:
        """Names (not glossary words) the corrector may match with one slightly-off syllable."""
        return [n for n in replace(self, glossary=False).correction_names() if n not in self.extra]

    def correction_names(self) -> list[str]:
        """Every CJK name the pinyin corrector may restore (see transcription.correct)."""
        from transcription.correct import company_variants, name_variants

        names = [*self.company_names, *self.products, *self.competitors, *self.contacts, *self.extra]
        if self.account:
            names += company_variants(self.account, self.account_city)
        if self.rep:
            names += name_variants(self.rep)[:1]
        if self.glossary:
            names += list(SALES_GLOSSARY)
        return _unique(names)

    def hotwords(self, limit: int = MAX_HOTWORD_CHARS) -> str | None:
        """The hotword string: most specific first (this call's account and contacts), then our names."""
        ordered = _unique([*self.extra, self.account or "", *self.contacts, self.rep or "", self.company, *self.products,
                           *self.competitors, *self.aliases])
        out: list[str] = []
        used = 0
        for word in ordered:
            if used + len(word) + 1 > limit:
                break
            out.append(word)
            used += len(word) + 1
        return "，".join(out) if out else None

    def merged(self, **more: Any) -> Vocabulary:
        """A copy with list fields extended and scalar fields replaced by the non-empty values given."""
        data: dict[str, Any] = {k: list(v) if isinstance(v, list) else v for k, v in self.__dict__.items()}
        for key, value in more.items():
            if value:
                data[key] = _unique([*data[key], *value]) if isinstance(data[key], list) else value
        return Vocabulary(**data)


def _unique(words: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for w in words:
        w = (w or "").strip()
        if w and w not in seen:
            seen.add(w)
            out.append(w)
    return out


def from_org_json(path: Path) -> Vocabulary:
    """Read an org profile file shaped like shared/data/calls/org.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    products = [p["name"] if isinstance(p, dict) else str(p) for p in data.get("products", [])]
    return Vocabulary(company=data.get("company", ""), aliases=list(data.get("aliases", [])),
                      products=products, competitors=list(data.get("competitors", [])))


def from_crm(session: Any, *, account_id: int | None = None, opportunity_id: int | None = None,
             owner_id: int | None = None, extra: Sequence[str] = ()) -> Vocabulary:
    """Our org profile and products, plus the call's account, its contacts and the rep, from the CRM."""
    from sqlalchemy import select

    from crm.models import Account, Contact, Opportunity, OrgProfile, Product, User
    from transcription.correct import name_variants

    org = session.scalars(select(OrgProfile)).first()
    products = list(session.scalars(select(Product.name).order_by(Product.id)).all())
    vocab = Vocabulary(
        company=org.name if org else "",
        aliases=[str(a) for a in (org.aliases or [])] if org else [],
        products=products,
        competitors=[str(c) for c in (org.competitors or [])] if org else [],
        extra=list(extra),
    )
    if account_id is None and opportunity_id is not None:
        opp = session.get(Opportunity, opportunity_id)
        account_id = opp.account_id if opp else None
        if opp is not None and opp.competitors:
            vocab.competitors = _unique([*(str(c) for c in opp.competitors), *vocab.competitors])
    if account_id is not None:
        account = session.get(Account, account_id)
        if account is not None:
            vocab.account, vocab.account_city = account.name, account.city
        rows = session.execute(select(Contact.name, Contact.title).where(Contact.account_id == account_id)).all()
        vocab.contacts = _unique(v for name, title in rows for v in name_variants(name, title))
    if owner_id is not None:
        owner = session.get(User, owner_id)
        vocab.rep = owner.display_name if owner else None
    return vocab
