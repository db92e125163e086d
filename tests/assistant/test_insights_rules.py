"""The rules engine on the dev calls (fixtures) and on the hard cases: our side vs theirs, CRM matching."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from assistant.insights import CallInsights, CrmNames, OrgProfile, extract_rules
from assistant.insights.text import parse_plain, strip_labels
from assistant.insights.types import AccountRef, ContactRef

CALLS = Path(__file__).resolve().parents[1] / "fixtures" / "calls"
ORG = OrgProfile.load(CALLS / "org.json")


def _run(name: str, strip: bool = False, crm: CrmNames | None = None) -> tuple[CallInsights, dict]:
    gold = json.loads((CALLS / f"{name}.gold.json").read_text(encoding="utf-8"))
    raw = (CALLS / f"{name}.txt").read_text(encoding="utf-8")
    tr = parse_plain(strip_labels(raw) if strip else raw)
    return extract_rules(tr, ORG, crm, datetime.fromisoformat(gold["call_time"])), gold["gold"]


@pytest.mark.parametrize("strip", [False, True], ids=["labelled", "unlabelled"])
@pytest.mark.parametrize("name", ["dev01", "dev02", "dev03"])
def test_dev_calls_match_gold(name: str, strip: bool) -> None:
    ins, gold = _run(name, strip)
    assert ins.customer.company == gold["customer_company"]
    assert {c.name for c in ins.contacts} == {c["name"] for c in gold["contacts"]}
    assert ins.budget is not None and ins.budget.amount_cny == gold["budget_cny"]
    assert ins.decision_date == date.fromisoformat(gold["decision_date"])
    assert [c.name for c in ins.competitors] == gold["competitors"]
    assert sorted(p.name for p in ins.products) == sorted(gold["products"])
    assert [(s.owner, s.due and s.due.isoformat()) for s in ins.next_steps] == [
        (g["owner"], g["due"]) for g in gold["next_steps"]
    ]
    assert ins.engine == "rules" and ins.summary


def test_our_side_is_never_customer_contact_or_competitor() -> None:
    ins, _ = _run("dev01")
    names = {c.name for c in ins.contacts} | {c.name for c in ins.competitors}
    assert not names & {"李明", "李经理", "云启科技", "云启", "云启CRM"}
    assert ins.customer.company != "云启科技"
    ins3, _ = _run("dev03")
    assert "孙经理" not in {c.name for c in ins3.contacts}


def test_evidence_quotes_are_in_the_transcript() -> None:
    ins, _ = _run("dev02")
    tr = parse_plain((CALLS / "dev02.txt").read_text(encoding="utf-8"))
    evs = (
        [c.evidence for c in ins.contacts]
        + [s.evidence for s in ins.next_steps]
        + [c.evidence for c in ins.competitors]
    )
    assert ins.budget is not None
    evs.append(ins.budget.evidence)
    for ev in evs:
        assert ev.quote and ev.quote in tr.segments[ev.turn].text
        assert ev.start is None  # plain text has no timings


def test_titles_and_roles() -> None:
    ins, _ = _run("dev02")
    by = {c.name: c for c in ins.contacts}
    assert by["李娜"].title == "总监" and by["陈总"].title == "CIO"
    ins1, _ = _run("dev01")
    assert ins1.contacts[0].title == "总经理" and ins1.contacts[0].role == "decision_maker"


def test_budget_is_the_customers_not_our_quote() -> None:
    tr = parse_plain(
        "销售：我们的标准报价是二十八万，包含三年运维。\n客户：老板给的预算是二十万人民币，不能再多了。\n销售：好的。"
    )
    ins = extract_rules(tr, ORG, call_time=date(2026, 12, 1))
    assert ins.budget is not None and ins.budget.amount_cny == 200_000 and ins.budget.status == "ceiling"
    only_quote = parse_plain("销售：我们标准版是每年十二万。\n客户：今年预算已经用完了。")
    assert extract_rules(only_quote, ORG, call_time=date(2026, 12, 1)).budget is None


def test_people_patterns() -> None:
    tr = parse_plain(
        "销售：您好，我是云启科技的周涛。\n"
        "客户：周经理你好。这个项目我们技术总监张伟来负责，合同要过采购部的黄经理，还有采购部的Linda。\n"
        "销售：好的，那我后天把报价发给您和张总监。"
    )
    ins = extract_rules(tr, ORG, call_time=date(2026, 12, 1))
    by = {c.name: c for c in ins.contacts}
    assert set(by) == {"张伟", "黄经理", "Linda"}
    assert (
        by["张伟"].title == "技术总监"
        and by["黄经理"].title == "采购部经理"
        and by["Linda"].title == "采购部"
    )
    assert ins.next_steps[0].due == date(2026, 12, 3) and ins.next_steps[0].owner == "rep"


def test_competitors_from_context_and_tracked_list() -> None:
    tr = parse_plain("客户：金蝶也在找我们谈，另外我们也在看简道云的产品，现在用的是Excel。")
    ins = extract_rules(tr, ORG, call_time=date(2026, 12, 1))
    assert [c.name for c in ins.competitors] == ["金蝶", "简道云"]


def test_company_and_contacts_match_crm_records() -> None:
    crm = CrmNames(
        accounts=[
            AccountRef(id=7, name="杭州云帆物流科技有限公司"),
            AccountRef(id=8, name="云启科技有限公司"),
        ],
        contacts=[
            ContactRef(id=70, name="李娜", title="信息总监", account_id=7),
            ContactRef(id=71, name="陈建华", title="CIO", account_id=7),
            ContactRef(id=90, name="陈晓", title="经理", account_id=9),
        ],
    )
    ins, _ = _run("dev02", crm=crm)
    assert ins.customer.company == "杭州云帆物流科技有限公司" and ins.customer.account_id == 7
    ids = {c.name: c.contact_id for c in ins.contacts}
    assert ids == {"李娜": 70, "陈总": 71}


def test_no_invention_on_an_empty_call() -> None:
    ins = extract_rules(
        parse_plain("销售：喂，您好。\n客户：你好，我现在不方便，回头再说。"),
        ORG,
        call_time=date(2026, 12, 1),
    )
    assert ins.customer.company is None and not ins.contacts and ins.budget is None
    assert ins.decision_date is None and not ins.competitors and not ins.next_steps


def test_output_json_shape_is_stable() -> None:
    ins, _ = _run("dev01")
    d = json.loads(ins.model_dump_json())
    assert list(d) == [
        "summary", "customer", "contacts", "budget", "decision_date", "needs", "objections",
        "competitors", "products", "sentiment", "next_steps", "engine",
    ]  # fmt: skip
    assert set(d["customer"]) == {"company", "account_id"}
    assert set(d["budget"]) == {"amount_cny", "text", "status", "evidence"}
    assert set(d["next_steps"][0]) == {"action", "owner", "due", "evidence"}
    assert set(d["next_steps"][0]["evidence"]) == {"quote", "turn", "start", "end"}
    assert CallInsights.model_validate(d) == ins


def test_word_timings_give_evidence_times() -> None:
    from transcription.types import Segment, Transcript, Word

    seg = Segment(start=1.0, end=4.0, speaker="customer", text="预算是五十万。", words=[
        Word(start=1.0, end=1.5, word="预算"), Word(start=1.5, end=2.0, word="是"), Word(start=2.0, end=3.5, word="五十万"),
        Word(start=3.5, end=4.0, word="。"),
    ])  # fmt: skip
    ins = extract_rules(Transcript.from_segments([seg]), ORG, call_time=date(2026, 12, 1))
    assert ins.budget is not None and ins.budget.evidence.start == 1.0 and ins.budget.evidence.end is not None


def test_asr_style_long_segments_get_speakers_per_sentence() -> None:
    from transcription.types import Segment, Transcript

    text = (
        "王总您好，我是云启科技的李明，想跟您确认一下项目进展。你好李经理，我们内部讨论过了。今年预算大概是五十万。"
        "明白。说实话，我们也在看分享销客的产品。好的，那我下周三给您安排一次产品演示。可以，又有那边也会来投标。"
    )
    tr = Transcript.from_segments([Segment(start=0.0, end=30.0, text=text)])
    ins = extract_rules(tr, ORG, call_time=date(2026, 11, 23))
    assert [c.name for c in ins.contacts] == ["王总"]
    assert ins.budget is not None and ins.budget.amount_cny == 500_000
    assert [c.name for c in ins.competitors] == [
        "纷享销客",
        "用友",
    ]  # heard with other characters of the same sound
    assert [(s.owner, s.due) for s in ins.next_steps] == [("rep", date(2026, 12, 2))]
    assert ins.next_steps[0].evidence.start == 0.0 and ins.next_steps[0].evidence.end == 30.0


def test_account_matches_by_sound() -> None:
    crm = CrmNames(accounts=[AccountRef(id=7, name="杭州云帆物流科技有限公司")])
    tr = parse_plain("销售：请问是杭州云方物流的李总监吗？\n客户：是我。")
    ins = extract_rules(tr, ORG, crm, date(2026, 11, 23))
    assert ins.customer.account_id == 7 and ins.customer.company == "杭州云帆物流科技有限公司"


def test_known_contact_gives_the_account_but_no_unsaid_company() -> None:
    crm = CrmNames(accounts=[AccountRef(id=3, name="苏州恒信精密电子有限公司")],
                   contacts=[ContactRef(id=30, name="王建华", title="总经理", account_id=3)])
    ins, gold = _run("dev01", crm=crm)  # the call says 王总, never the company
    assert gold["customer_company"] is None
    assert ins.customer.company is None and ins.customer.account_id == 3
    assert [(c.name, c.contact_id) for c in ins.contacts] == [("王总", 30)]
