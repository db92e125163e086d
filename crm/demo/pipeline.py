"""Demo accounts, contacts, leads, opportunities, stage histories, activities and tasks.

Planted patterns: regions, reps, industries and sources differ in conversion; 消费品 deals peak in Q3;
account sizes are heavy-tailed (top 20 % of customers ≈ 60 % of revenue); deals with recent activity
and a confirmed budget win more often.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from crm.demo import vocab
from crm.demo.people import DemoOrg

OPEN_STAGES = ["线索", "初步接洽", "需求确认", "方案报价", "谈判审批"]
LOST_AT_WEIGHTS = np.array([0.22, 0.26, 0.22, 0.18, 0.12])
ACTIVITY_TYPES = np.array(["call", "visit", "meeting", "message"])
ACTIVITY_WEIGHTS = np.array([0.45, 0.2, 0.15, 0.2])
SUMMARIES = {
    "call": ["电话沟通{p}需求", "电话跟进报价反馈", "电话确认演示时间", "电话回访试用情况"],
    "visit": ["上门拜访，介绍{p}", "拜访客户信息部", "现场调研业务流程"],
    "meeting": ["{p}产品演示", "方案评审会", "商务谈判会议"],
    "message": ["微信发送{p}资料", "企业微信同步报价单", "发送案例资料"],
}
TASK_TITLES = ["发送{p}报价方案", "安排{p}产品演示", "跟进合同审批", "回访试用反馈", "确认采购流程"]


def _choice(rng: np.random.Generator, items: list[Any], weights: list[float], n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(items), size=n, p=w / w.sum())


def build_accounts(rng: np.random.Generator, org: DemoOrg, n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], np.ndarray]:
    """Accounts and contacts; returns also each account's deal-size multiplier (heavy-tailed)."""
    reps = org.reps()
    reps_by_region: dict[int, list[int]] = {}
    for u in reps:
        reps_by_region.setdefault(int(u.region_id or 0), []).append(u.id)
    region_names = list(vocab.REGIONS)
    industries = list(vocab.INDUSTRIES)
    ind_idx = _choice(rng, industries, [v[0] for v in vocab.INDUSTRIES.values()], n)
    reg_idx = _choice(rng, region_names, [0.3, 0.2, 0.18, 0.12, 0.12, 0.08], n)
    size_idx = _choice(rng, vocab.SIZES, vocab.SIZE_WEIGHTS, n)
    src_idx = _choice(rng, vocab.SOURCES, vocab.SOURCE_WEIGHTS, n)
    multiplier = np.exp(rng.normal(0, 0.65, n)) * np.array([0.6, 1.0, 1.8, 3.0])[size_idx]
    username_to_id = {u.username: u.id for u in org.users}
    accounts: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    names: set[str] = set()
    base = datetime(2020, 1, 1)
    for i in range(n):
        aid = i + 1
        region = region_names[reg_idx[i]]
        rid = region_names.index(region) + 1
        cities = vocab.REGIONS[region][2]
        if i < len(vocab.NAMED_ACCOUNTS):
            name, industry, size, city, owner_u, people = vocab.NAMED_ACCOUNTS[i]
            owner, rid, people_rows = username_to_id[owner_u], 1, people
        else:
            industry, size = industries[ind_idx[i]], vocab.SIZES[size_idx[i]]
            city = cities[int(rng.integers(len(cities)))]
            owner = int(rng.choice(reps_by_region[rid]))
            while True:
                brand = "".join(rng.choice(vocab.BRAND_CHARS, 2))
                word = str(rng.choice(vocab.INDUSTRY_WORDS[industry]))
                name = f"{city}{brand}{word}有限公司"
                if name not in names:
                    break
            people_rows = []
            for _ in range(int(rng.integers(1, 4))):
                title, role = vocab.CONTACT_TITLES[int(rng.integers(len(vocab.CONTACT_TITLES)))]
                person = str(rng.choice(vocab.SURNAMES)) + str(rng.choice(vocab.GIVEN))
                people_rows.append((person, title, role))
        names.add(name)
        accounts.append({
            "id": aid, "name": name, "industry": industry, "size": size, "region_id": rid, "city": city,
            "source": vocab.SOURCES[src_idx[i]], "owner_id": owner,
            "created_at": base + timedelta(days=int(rng.integers(0, 1800))),
        })
        for person, title, role in people_rows:
            contacts.append({
                "id": len(contacts) + 1, "account_id": aid, "name": person, "title": title, "role_in_deal": role,
                "phone": f"1{int(rng.integers(30, 99))}{int(rng.integers(10**7, 10**8))}",
                "email": None, "wecom_id": None, "created_at": base,
            })
    return accounts, contacts, multiplier


def account_weights(rng: np.random.Generator, n_acc: int) -> np.ndarray:
    """How often each account buys (heavy-tailed, so a few customers bring most revenue)."""
    w = np.exp(rng.normal(0, 1.0, n_acc))
    return np.asarray(w / w.sum())


def build_pipeline(
    rng: np.random.Generator, org: DemoOrg, accounts: list[dict[str, Any]], multiplier: np.ndarray,
    acc_weight: np.ndarray, n: int, as_of: datetime, first_id: int = 1, first_lead_id: int = 1,
) -> dict[str, Any]:
    """A batch of opportunities (ids from `first_id`) with their history, activities, tasks and leads.

    Random draws are made as arrays up front (numpy per-scalar calls would dominate the run time).
    """
    user_by_id = {u.id: u for u in org.users}
    acc_idx = rng.choice(len(accounts), size=n, p=acc_weight)
    prod_idx = _choice(rng, vocab.PRODUCTS, vocab.PRODUCT_WEIGHTS, n)
    src_idx = _choice(rng, vocab.SOURCES, vocab.SOURCE_WEIGHTS, n)
    created_day = rng.uniform(1, 730, n)
    cycle = np.clip(np.exp(rng.normal(np.log(70), 0.5, n)), 7, 300)
    budget = rng.random(n) < 0.45
    dm = rng.random(n) < 0.4
    noise = rng.normal(0, 0.6, n)
    u = rng.random((n, 15)).tolist()
    gaps = rng.uniform(0.05, 0.95, (n, 4))
    lost_cum = np.cumsum(LOST_AT_WEIGHTS / LOST_AT_WEIGHTS.sum()).tolist()
    region_factor = [math.log(v[3]) for v in vocab.REGIONS.values()]
    ind_factor = {k: math.log(v[1]) for k, v in vocab.INDUSTRIES.items()}
    src_factor = [math.log(f) for f in vocab.SOURCE_WIN]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("opportunities", "history", "activities", "tasks", "leads")}
    pending: list[tuple[int, dict[str, Any], int, str, datetime, datetime, float]] = []
    for i in range(n):
        ui = u[i]
        acc = accounts[acc_idx[i]]
        owner = user_by_id[acc["owner_id"]]
        pname, pline, _price, (lo, hi) = vocab.PRODUCTS[prod_idx[i]]
        amount = round((lo + (hi - lo) * ui[0]) * 10000 * float(multiplier[acc_idx[i]]), -3)
        created = as_of - timedelta(days=float(created_day[i]))
        close_t = created + timedelta(days=float(cycle[i]))
        consumer = acc["industry"] == "消费品"
        if consumer and ui[1] < 0.55:  # Q3 peak
            q3 = datetime(close_t.year, 7, 1) + timedelta(days=91 * ui[2])
            if created + timedelta(days=7) < q3 <= as_of:
                close_t = q3
        q3_boost = 0.35 if consumer and close_t.month in (7, 8, 9) else 0.0
        logit = (-0.95 + region_factor[acc["region_id"] - 1] + math.log(owner.skill) + ind_factor[acc["industry"]]
                 + src_factor[src_idx[i]] + 0.9 * budget[i] + 0.6 * dm[i] - 0.25 * math.log(max(amount, 1000) / 300000)
                 + q3_boost + float(noise[i]))
        wins = ui[3] < 1.0 / (1.0 + math.exp(-logit))
        lost_at = 5 if wins else next(k for k, c in enumerate(lost_cum) if ui[4] <= c or k == 4)
        closed = close_t <= as_of
        span = (close_t - created).total_seconds()
        # stage entries at random points of the cycle (not evenly spaced: that would give the outcome away)
        cuts = sorted(float(x) for x in gaps[i, : min(lost_at, 4)])
        entries = [created] + [created + timedelta(seconds=span * c) for c in cuts]
        estimate = (created + timedelta(days=70 * (0.6 + 0.8 * ui[14]))).date()  # the rep's first guess
        if not closed:
            entries = [t for t in entries if t <= as_of]
        stage, status = OPEN_STAGES[len(entries) - 1], "open"
        oid = first_id + i
        lead_id = first_lead_id + i
        out["leads"].append({
            "id": lead_id, "company": acc["name"], "contact_name": None, "industry": acc["industry"],
            "source": vocab.SOURCES[src_idx[i]], "status": "converted", "owner_id": owner.id,
            "region_id": acc["region_id"], "created_at": created - timedelta(days=20 * ui[5]), "converted_at": created,
            "converted_account_id": acc["id"],
        })
        prev: str | None = None
        for k_stage, t in enumerate(entries):
            out["history"].append({"opportunity_id": oid, "from_stage": prev, "to_stage": OPEN_STAGES[k_stage],
                                   "changed_at": t, "changed_by_id": owner.id, "amount": amount,
                                   "expected_close": estimate})
            prev = OPEN_STAGES[k_stage]
        if closed:
            stage, status = ("赢单", "won") if wins else ("输单", "lost")
            out["history"].append({"opportunity_id": oid, "from_stage": prev, "to_stage": stage, "changed_at": close_t,
                                   "changed_by_id": owner.id, "amount": amount, "expected_close": close_t.date()})
        expected = close_t.date() if closed else max(estimate, as_of.date())
        if not closed and not wins and ui[6] < 0.35:
            expected += timedelta(days=30 * (1 + int(ui[7] * 2)))  # pushed close dates
        comp = [vocab.COMPETITORS[int(ui[9] * len(vocab.COMPETITORS))]] if ui[8] < 0.45 else []
        out["opportunities"].append({
            "id": oid, "name": f"{acc['name'][:-4]}-{pname}", "account_id": acc["id"], "owner_id": owner.id,
            "product_id": int(prod_idx[i]) + 1, "product_line": pline, "amount": amount, "currency": "CNY",
            "stage": stage, "status": status, "expected_close": expected, "created_at": created,
            "closed_at": close_t if closed else None,
            "loss_reason": vocab.LOSS_REASONS[int(ui[10] * len(vocab.LOSS_REASONS))] if status == "lost" else None,
            "competitors": comp, "source": vocab.SOURCES[src_idx[i]], "lead_id": lead_id,
            "budget_confirmed_at": entries[2] if budget[i] and len(entries) > 2 else None,
            "decision_maker_engaged_at": entries[3] if dm[i] and len(entries) > 3 else None,
        })
        # winners stay in touch until the end; losers go quiet
        end = close_t if closed else as_of
        gap = -math.log(1.0 - ui[13]) * (3.0 if wins else 25.0)
        last = max(created, end - timedelta(days=gap))
        title = TASK_TITLES[int(ui[11] * len(TASK_TITLES))].format(p=pname)
        if closed:
            out["tasks"].append({"owner_id": owner.id, "title": title, "due": (last + timedelta(days=3)).date(),
                                 "status": "done", "opportunity_id": oid, "account_id": acc["id"],
                                 "created_at": last, "completed_at": last + timedelta(days=2)})
        elif ui[12] < (0.85 if wins else 0.45):  # a scheduled next step
            due = (as_of + timedelta(days=-10 + 24 * ui[5])).date()
            out["tasks"].append({"owner_id": owner.id, "title": title, "due": due, "status": "open",
                                 "opportunity_id": oid, "account_id": acc["id"], "created_at": last,
                                 "completed_at": None})
        lam = 2.2 + (1.2 if wins else 0.0) + 0.4 * min(len(entries) - 1, 4)
        pending.append((oid, acc, owner.id, pname, created, last, lam))
    _add_activities(rng, pending, out["activities"])
    return out


def _add_activities(
    rng: np.random.Generator, pending: list[tuple[int, dict[str, Any], int, str, datetime, datetime, float]],
    rows: list[dict[str, Any]],
) -> None:
    counts = (1 + rng.poisson([p[6] for p in pending])).tolist()
    total = int(sum(counts))
    kinds = rng.choice(len(ACTIVITY_TYPES), size=total, p=ACTIVITY_WEIGHTS).tolist()
    fracs = rng.random(total).tolist()
    picks = rng.random(total).tolist()
    pos = 0
    for (oid, acc, owner_id, pname, created, last, _lam), k in zip(pending, counts, strict=True):
        fr = [*sorted(fracs[pos : pos + k - 1]), 1.0]
        for j in range(k):
            kind = str(ACTIVITY_TYPES[kinds[pos + j]])
            options = SUMMARIES[kind]
            when = created + (last - created) * fr[j]
            rows.append({"type": kind, "opportunity_id": oid, "account_id": acc["id"], "owner_id": owner_id,
                         "occurred_at": when, "participants": [],
                         "summary": options[int(picks[pos + j] * len(options))].format(p=pname), "created_at": when})
        pos += k


def build_unconverted_leads(
    rng: np.random.Generator, accounts: list[dict[str, Any]], n: int, as_of: datetime, first_lead_id: int
) -> list[dict[str, Any]]:
    """Leads that never became opportunities (the top of the 线索→商机 funnel)."""
    leads: list[dict[str, Any]] = []
    for _ in range(n):
        acc = accounts[int(rng.integers(len(accounts)))]
        t = as_of - timedelta(days=float(rng.uniform(1, 730)))
        leads.append({
            "id": first_lead_id + len(leads), "company": acc["name"], "contact_name": None, "industry": acc["industry"],
            "source": vocab.SOURCES[int(rng.choice(len(vocab.SOURCES), p=np.array(vocab.SOURCE_WEIGHTS)))],
            "status": str(rng.choice(["new", "working", "disqualified"], p=[0.2, 0.25, 0.55])),
            "owner_id": acc["owner_id"], "region_id": acc["region_id"], "created_at": t,
            "converted_at": None, "converted_account_id": None,
        })
    return leads


def chunks(rows: list[dict[str, Any]], size: int = 20000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
