"""Industries named loosely: an English prefix ('tech'), a Chinese sector word for English industry names
('科技行业' → technology), an English sector word for Chinese ones ('manufacturing' → 装备制造 or 电子制造: ask
which), and a two-character stem with 行业/业/类 ('医疗行业' → 医疗健康)."""

from __future__ import annotations

import re

from retrieval.vocab import ASCII_WORD, Ambiguity, Entity, Index, Vocab, is_ascii, spans_free


def add_industry_prefixes(v: Vocab, industries: list[str]) -> None:
    """'tech' → technology, 'telecom' → telecommunications: an English prefix (4+ letters) of exactly one
    industry, when it is no other term."""
    words = [i for i in industries if is_ascii(i) and len(i) > 4]
    for ind in words:
        low = ind.lower()
        for n in range(4, len(low)):
            pre = low[:n]
            if pre not in v.terms and sum(w.lower().startswith(pre) for w in words) == 1:
                v.add(pre, "industry", ind)


# Chinese words for the usual English sector names, as stems ('technolgy' is how the Maven sample spells it)
ZH_SECTORS = {"科技": ("tech",), "技术": ("tech",), "医疗": ("medic", "health"), "零售": ("retail",), "软件": ("software",),
              "娱乐": ("entertain",), "金融": ("financ",), "营销": ("marketing",), "市场营销": ("marketing",),
              "电信": ("telecom",), "通信": ("telecom",), "服务": ("servic",), "就业": ("employ",), "招聘": ("employ",)}


def add_industry_zh(v: Vocab, industries: list[str]) -> None:
    """'科技行业' → technology when the CRM's industries are English: the one industry starting with the stem.
    Only with a sector suffix: company names hold these words too (博瑞医疗, 云帆物流科技)."""
    words = [i for i in industries if is_ascii(i)]
    for zh, stems in ZH_SECTORS.items():
        hits = {w for w in words for s in stems if w.lower().startswith(s)}
        if len(hits) == 1:
            value = hits.pop()
            for term in (f"{zh}{suffix}" for suffix in ("行业", "业", "领域", "板块", "类客户", "类公司", "客户")):
                if term not in v.terms:
                    v.add(term, "industry", value)


_INDUSTRY_WORD = re.compile(r"([\u4e00-\u9fff]{2})(?:行业|业|类|领域|板块)|(?:做|搞|干)([\u4e00-\u9fff]{2})(?=的|这一?行|那一?行|行业|那些|这些|那块|这块|那一块|这一块)")  # 做/搞制造的客户


def link_industry_partial(text: str, vocab: Vocab, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                           ambiguous: list[Ambiguity]) -> None:
    """'制造业' (or '做制造的') when the CRM has 装备制造 and 电子制造: ask which; '医疗行业' → 医疗健康; the same
    for the usual English sector words when the CRM's industries are Chinese ('manufacturing customers')."""
    if ASCII_WORD.search(text):
        _link_en_sector(text, idx, taken, found, ambiguous)
    for m in _INDUSTRY_WORD.finditer(text):
        g = 1 if m.group(1) else 2
        span = m.span(0) if g == 1 else m.span(2)
        if not spans_free(taken, *span) or m.group(0).lower() in vocab.terms:
            continue
        word = m.group(g)
        hits = [v for v in idx.industries if word in v]
        if not hits and word in ZH_SECTORS:  # 做零售的客户, when the CRM's industries are English
            hits = [v for v in idx.industries if v.isascii() and v.lower().startswith(ZH_SECTORS[word])]
        _found(m.group(0) if g == 1 else word, span, hits, taken, found, ambiguous)


# English sector words → the Chinese word an industry name would contain
EN_SECTORS = {"manufactur": "制造", "medical": "医疗", "healthcare": "医疗", "health care": "医疗", "retail": "零售",
              "financ": "金融", "logistic": "物流", "education": "教育", "training": "培训", "energy": "能源",
              "power": "电力", "automotive": "汽车", "auto parts": "汽车", "electronic": "电子", "consumer": "消费",
              "chemical": "化工", "building material": "建材", "furnish": "家居", "agricultur": "农",
              "foreign trade": "外贸", "professional service": "专业服务"}
_EN_SECTOR = re.compile(r"\b(" + "|".join(sorted(EN_SECTORS, key=len, reverse=True)) + r")[a-z]*")


def _link_en_sector(text: str, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                    ambiguous: list[Ambiguity]) -> None:
    for m in _EN_SECTOR.finditer(text):
        span = (m.start(), m.end())
        if not spans_free(taken, *span):
            continue
        _found(m.group(0), span, [v for v in idx.industries if EN_SECTORS[m.group(1)] in v], taken, found, ambiguous)


def _found(words: str, span: tuple[int, int], cands: list[str], taken: list[tuple[int, int]], found: list[Entity],
           ambiguous: list[Ambiguity]) -> None:
    """One industry named by `words` (at `span`): link it; several: ask which."""
    if len(cands) == 1:
        found.append(Entity("industry", cands[0], span, words))
        taken.append(span)
    elif len(cands) > 1:
        ambiguous.append(Ambiguity(words, [("industry", c) for c in cands], span))
        taken.append(span)
