"""Ask Dealwise accuracy: the 120-question set (60 demo, 60 Maven) and the blind paraphrase sets, offline.

Expected results come from `benchmarks/ask_expected.py` (pandas over the seeded demo tables and the Maven
source CSVs), never from `retrieval/`. Exact = same number (relative tolerance 1e-6), same rows for tables
(same order for rankings), the expected clarification options, or a refusal.

    .venv/bin/python benchmarks/ask_accuracy.py [--workdir /tmp/dealwise-ask-bench] [--verbose]
        [--only questions|paraphrases|paraphrases2|…|paraphrases21]

`--only all` runs every set but the held-out ones (`HELD_OUT`: run each on purpose, by name).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.ask_expected import World, demo_world, expected, maven_world
from crm.db import make_engine, migrate
from crm.models import User
from crm.scope import scope_for
from retrieval.ask import ask
from retrieval.plan import Answer

HERE = Path(__file__).resolve().parent
MAVEN_DIR = HERE.parents[1] / "shared" / "data" / "maven_crm"
DEMO_TODAY, MAVEN_TODAY = "2026-11-27", "2017-12-31"


def build_demo(path: Path, opportunities: int = 20000) -> None:
    from crm.demo.seed import seed_demo

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    seed_demo(engine, opportunities=opportunities, as_of=datetime.fromisoformat(DEMO_TODAY + "T09:00:00"))


def build_maven(path: Path) -> None:
    from crm.auth import create_user
    from crm.db import session_scope
    from crm.importers.maven import import_maven

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as s:
        import_maven(s, MAVEN_DIR)
        create_user(s, "admin", "admin", None, "Admin")


def ensure(workdir: Path) -> tuple[Path, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    demo, maven = workdir / "demo.db", workdir / "maven.db"
    if not demo.exists():
        build_demo(demo)
    if not maven.exists():
        build_maven(maven)
    for db in (demo, maven):
        migrate(make_engine(f"sqlite:///{db}"))  # files built earlier may predate the newest migrations
    return demo, maven


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
    except (TypeError, ValueError):
        return str(a) == str(b)


def judge(ans: Answer, exp: dict[str, Any]) -> tuple[bool, str]:
    kind = exp["kind"]
    if kind == "clarify":
        ok = ans.kind == "clarification" and ans.clarification is not None and \
            set(ans.clarification.options) == set(exp["options"])
        return ok, f"wanted clarification {exp['options']}"
    if kind == "refuse":
        return ans.kind == "refusal", "wanted a refusal"
    if ans.kind != "metric" or ans.result is None:
        return False, f"got {ans.kind}"
    rows = ans.result.rows
    if kind == "value":
        if "previous" in exp:
            ok = bool(rows) and len(rows[0]) >= 2 and close(rows[0][0], exp["value"]) and close(rows[0][1], exp["previous"])
            return ok, f"wanted {exp['value']} vs {exp['previous']}"
        if "share" in exp:
            ok = bool(rows) and len(rows[0]) == 2 and close(rows[0][1], exp["share"])
            return ok, f"wanted share {exp['share']}"
        return close(ans.value, exp["value"]), f"wanted {exp['value']}, got {ans.value}"
    cols = ans.result.columns
    if "value" not in cols or cols.index("value") != 1:
        return False, f"wanted one grouping, got columns {cols}"
    got = [(r[0], r[1]) for r in rows]
    want = [(k, v) for k, v in exp["rows"]]
    if exp["ordered"]:
        ok = len(got) == len(want) and all(str(a[0]) == str(b[0]) and close(a[1], b[1]) for a, b in zip(got, want, strict=False))
    else:
        gd, wd = {str(k): v for k, v in got}, {str(k): v for k, v in want}
        ok = set(gd) == set(wd) and all(close(gd[k], wd[k]) for k in wd)
    return ok, f"wanted {want[:4]}{'…' if len(want) > 4 else ''}"


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(items: list[dict[str, Any]], db: Path, world: World, today: str, verbose: bool) -> tuple[int, list[str]]:
    engine = make_engine(f"sqlite:///{db}")
    passed, failures = 0, []
    with Session(engine) as s:
        users = {u.username: u for u in s.scalars(select(User))}
        for it in items:
            user = it.get("user") or "admin"
            exp = expected(world, it["e"], None)
            ans = ask(s, scope_for(users[user]), it["q"], today=date.fromisoformat(today))
            ok, why = judge(ans, exp)
            passed += ok
            if not ok:
                failures.append(f"{it['id']} {it['q']!r}: {why}; got {ans.kind}: {ans.text[:160]}")
            elif verbose:
                print(f"ok {it['id']} {it['q']}")
    return passed, failures


SETS = [("paraphrases", "ask_paraphrases.jsonl")] + [(f"paraphrases{i}", f"ask_paraphrases_{i}.jsonl") for i in range(2, 403)]
HELD_OUT: tuple[str, ...] = ()  # sets written blind and sealed, not yet run: run each by name, once, before any change for it


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/dealwise-ask-bench"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--only", choices=["questions", *(name for name, _f in SETS), "all"], default="all")
    ap.add_argument("--file", type=Path, help="run only this paraphrase file (same fields as the sets above)")
    args = ap.parse_args()
    demo_db, maven_db = ensure(args.workdir)
    t0 = time.perf_counter()
    worlds = {"demo": demo_world(demo_db, DEMO_TODAY), "maven": maven_world(MAVEN_DIR, MAVEN_TODAY)}
    dbs = {"demo": (demo_db, DEMO_TODAY), "maven": (maven_db, MAVEN_TODAY)}
    sets = {"demo": load(HERE / "data" / "ask_questions_demo.jsonl"),
            "maven": load(HERE / "data" / "ask_questions_maven.jsonl")}
    report = {}
    if args.only in ("questions", "all") and not args.file:
        for ws, items in sets.items():
            n, fails = run(items, dbs[ws][0], worlds[ws], dbs[ws][1], args.verbose)
            report[f"questions/{ws}"] = (n, len(items), fails)
    by_id = {it["id"]: it for items in sets.values() for it in items}
    named = SETS
    for name, path in ([(args.file.stem, args.file)] if args.file else [(n, HERE / "data" / f) for n, f in named]):
        if not args.file and args.only != name and (args.only != "all" or name in HELD_OUT):
            continue
        para = load(path)
        for ws in ("demo", "maven"):
            items = [{**p, "e": by_id[p["of"]]["e"], "user": p.get("user") or by_id[p["of"]].get("user")}
                     for p in para if p["ws"] == ws]
            n, fails = run(items, dbs[ws][0], worlds[ws], dbs[ws][1], args.verbose)
            report[f"{name}/{ws}"] = (n, len(items), fails)
    for name, (n, total, fails) in report.items():
        print(f"{name}: {n}/{total} exact ({100 * n / total:.1f} %)")
        for f in fails:
            print("   FAIL", f)
    print(f"({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
