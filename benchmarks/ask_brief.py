"""The brief for a blind paraphrase set of the Ask benchmark (sets 135 on were written from it).

    python benchmarks/ask_brief.py N named|described "persona…" > brief.md

A helper gets only this brief: the source question ids to paraphrase (30 demo + 30 maven, drawn per set), the rules
(which files it may read, no synonyms in a described set), the persona, and the metric definitions. It writes and
commits benchmarks/data/ask_paraphrases_N.jsonl, which is then run once, sealed, by ask_accuracy.py.
"""

import json
import random
import sys
from pathlib import Path

N = int(sys.argv[1])
mode = sys.argv[2]
persona = sys.argv[3]
HERE = Path(__file__).resolve().parent
root = str(HERE / "data") + "/"
demo = [json.loads(line) for line in Path(root + "ask_questions_demo.jsonl").read_text(encoding="utf-8").splitlines()]
maven = [json.loads(line) for line in Path(root + "ask_questions_maven.jsonl").read_text(encoding="utf-8").splitlines()]
rng = random.Random(N * 7919)
picked = sorted(rng.sample([d["id"] for d in demo], 30)) + sorted(rng.sample([m["id"] for m in maven], 30))
mode_text = {
 "named": """**Mode: metric named.** Name the metric the way your persona naturally would (any everyday or trade word for
it is fine, in your persona's language), but rephrase everything else: word order, the period, the cut, the ranking
words. Do not copy the source wording.""",
 "described": """**Mode: metric described, not named.** Do NOT use the metric's name or its standard synonyms (no 成交额/销售额/
业绩/赢单率/转化率/回款/客单价/渗透率/达成率/bookings/revenue/win rate/conversion rate/collections/average deal size …).
Instead say what is being measured in your persona's own words, the way someone who does not know the jargon, or
deliberately avoids it, would ask (e.g. instead of 赢单率 something like "签下来的单子占谈完的单子的多少"). The
question must still pin down exactly one metric as defined below: a careful analyst reading it must compute the same
thing. Also rephrase period, cut and ranking words freely.""",
}[mode]
ids = ", ".join(picked)
md = (HERE.parent / "docs" / "metrics.md").read_text(encoding="utf-8")
sec = md[md.index("## Definitions"):]
sec = sec[:sec.index("\n## ", 5)]
defs = "\n".join(line for line in sec.splitlines() if line.startswith("|"))
print(f"""# Write blind benchmark set {N} for an analytics Q&A feature

You are helping benchmark "Ask Dealwise", which answers sales managers' natural-language questions (Chinese and
English) from a CRM database. Your job is to write **questions**, not code. Work in `/work/main`.

## Rules (important)
- Read ONLY these two files: `benchmarks/data/ask_questions_demo.jsonl` and `benchmarks/data/ask_questions_maven.jsonl`.
  What each metric means is in the table at the end of this brief; do not open `docs/`.
- Do NOT open anything under `retrieval/`, `tests/`, `docs/bench/`, any other `benchmarks/data/ask_paraphrases_*.jsonl`,
  and do not run `git log`, `git show` or `git diff` (they would show what the parser already handles). Do not run
  the benchmark or any code of the project.

## Persona
{persona}

## What to write
Create `benchmarks/data/ask_paraphrases_{N}.jsonl` with exactly 60 lines, one JSON object per line:
`{{"id": "p{N}-01", "ws": "demo", "of": "d07", "q": "..."}}` (ids p{N}-01 … p{N}-60, in order; `ws` is `demo` for
d-ids and `maven` for m-ids; `of` is the source id). Write one question for each of these source ids, in this order:
{ids}

Each source line has `q` (the original question) and `e`, the exact expected answer: `m` metric, `f` filters,
`by` grouping, `order` + `limit` (ranking / top-N), `p` the period as [start, end) dates, `cmp` (yoy = same period
last year, pop = previous period, share = share of the total), `stages`, `kind` clarify/refuse.
Your question must mean **exactly the same**: the same metric, the same filters (the same names of regions, teams,
reps, products, accounts), the same period, the same grouping, the same ranking direction and N. No period in `e`
means all time: then do not name a period. Dates: for `demo` lines today is **2026-11-27** (a Friday); for
`maven` lines today is **2017-12-31**; say periods relative to that day ("this quarter", 上个月, 今年以来) or
absolutely, as your persona would.
- The demo workspace is Chinese (regions 华东/华南/华北/…, teams 华东一组…, reps by Chinese name, RMB): write demo lines
  in Chinese unless your persona says otherwise. The maven workspace is an English CRM (regions Central/East/West,
  agents like Darcel Schlecht, products GTX Pro, MG Advanced…, accounts like Acme Corporation): write maven lines in
  English unless your persona says otherwise.
- Lines with `"user"`: the benchmark asks as that user (a rep or manager who only sees their own or their team's
  data). The original asks about the whole company; keep it that way (the system must say it limits the numbers).
- `kind: clarify` lines are ambiguous on purpose (e.g. 华东组 = two teams, GTX Plus = two products, 制造业 = two
  industries): keep exactly that ambiguous word, do not resolve it. `kind: refuse` lines ask something a sales-metrics
  system cannot answer: keep them off-topic or unanswerable, in your persona's words.

{mode_text}

Keep each question natural and realistic for the persona: one sentence or two, as typed into a chat box. Vary them.

## Finish
Check the file: 60 lines, valid JSON, ids in order, `of`/`ws` right. Then commit only that file:
`git add benchmarks/data/ask_paraphrases_{N}.jsonl && git commit -m "ask: blind paraphrase set {N} (sealed, not run)" -- benchmarks/data/ask_paraphrases_{N}.jsonl`
Reply with one line: done, and the number of lines.

## Metric definitions (the `m` values)
{defs}
""")
