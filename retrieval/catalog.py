"""The metric catalog: what can be asked, in which words, how it is defined and which cuts it allows.

Declarative: each `Metric` names its synonyms (Chinese and English), its definition, the SQL it
compiles to (as documentation; `retrieval.compiler` builds it with SQLAlchemy), its unit and its valid
dimensions. `GET /api/v1/metrics` lists this catalog as is.
"""

from __future__ import annotations

from pydantic import BaseModel

TIME_GRAINS = ("day", "week", "month", "quarter", "year")
DIMENSIONS: dict[str, dict[str, str]] = {
    "rep": {"zh": "销售", "en": "rep"},
    "team": {"zh": "团队", "en": "team"},
    "region": {"zh": "区域", "en": "region"},
    "product_line": {"zh": "产品线", "en": "product line"},
    "product": {"zh": "产品", "en": "product"},
    "industry": {"zh": "行业", "en": "industry"},
    "account": {"zh": "客户", "en": "account"},
    "lead_source": {"zh": "线索来源", "en": "lead source"},
    "activity_type": {"zh": "活动类型", "en": "activity type"},
    "stage": {"zh": "阶段", "en": "stage"},
    **{f"time:{g}": {"zh": {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}[g],
                     "en": g} for g in TIME_GRAINS},
}
OPP_DIMS = ["rep", "team", "region", "product_line", "product", "industry", "account", "lead_source"]
PEOPLE_DIMS = ["rep", "team", "region"]
TIMES = [f"time:{g}" for g in TIME_GRAINS]


class Metric(BaseModel):
    name: str
    label_zh: str
    label_en: str
    synonyms_zh: list[str]
    synonyms_en: list[str]
    definition_zh: str
    definition_en: str
    sql: str
    unit: str  # currency|percent|count|days|ratio
    dimensions: list[str]
    higher_is_better: bool = True
    default_period: str = "all"  # all|this_quarter|last_quarter|now (a snapshot)
    chart: str = "bar"


def _m(**kw: object) -> Metric:
    return Metric.model_validate(kw)


METRICS: list[Metric] = [
    _m(name="bookings", label_zh="成交额", label_en="bookings",
       synonyms_zh=["成交额", "销售额", "成交金额", "签单额", "签约额", "业绩", "营收", "销售收入", "赢单金额", "收入", "成交总额", "卖了多少", "签了多少", "签约金额", "合同额", "合同金额", "赢单额", "成交总金额", "销售业绩", "销售金额", "签单金额", "签单总额", "成交情况", "签单情况", "签单的情况", "成交的情况", "合同总额", "业绩情况", "销售成绩", "销售情况", "签约总额", "签约情况", "签约的情况", "签下来的金额", "签下的金额", "签下来的总金额", "卖出去的总金额", "卖出去的金额", "签下的总金额", "赢单的总金额", "赢单总金额", "赢单总额", "赢单的金额", "合同价值", "赢得的合同金额"],
       synonyms_en=["bookings", "revenue", "sales amount", "won amount", "contract value", "contracts won", "closed revenue", "sales", "booked", "closed won value", "total won", "won revenue",
                    "sales revenue", "gross sales", "sales volume", "closed-won revenue", "won value", "amount won", "booking", "sales figures", "rev", "total rev", "closed-won $", "closed won $", "won $",
                    "closed-won dollars", "won dollars", "deal value won", "turnover", "sales turnover"],
       definition_zh="赢单商机的金额合计，按成交日期（closed_at）归期。",
       definition_en="Sum of the amount of won opportunities, dated by their close date.",
       sql="SUM(opportunities.amount) WHERE status='won' AND closed_at IN period",
       unit="currency", dimensions=OPP_DIMS + TIMES),
    _m(name="collections", label_zh="回款额", label_en="collections",
       synonyms_zh=["回款", "回款额", "回款金额", "收款", "到账", "回笼资金", "回笼", "收款额", "到账金额", "收回的款", "回钱", "客户款项", "所收款项", "收到的款项"],
       synonyms_en=["collections", "collected", "cash collected", "receipts", "payments received", "cash received", "cash in", "cash receipts",
                    "payments collected", "money collected", "amount collected", "collection"],
       definition_zh="收到的回款金额合计，按到账日期（received_on）归期。",
       definition_en="Sum of cash received against orders, dated by the day it was received.",
       sql="SUM(collections.amount) WHERE received_on IN period",
       unit="currency", dimensions=[*OPP_DIMS, *TIMES]),
    _m(name="target_attainment", label_zh="目标达成率", label_en="target attainment",
       synonyms_zh=["目标达成率", "达成率", "完成率", "目标完成率", "业绩达成", "目标完成情况", "完成目标", "达标率", "目标进度", "完成进度",
                    "业绩完成率", "指标完成率", "目标达成", "达成情况"],
       synonyms_en=["target attainment", "attainment", "quota attainment", "percent of target", "% of target", "quota", "quota achievement",
                    "target achievement", "percent to quota", "% to quota", "% of quota", "percent of quota", "attainment rate",
                    "percent to goal", "vs target", "against target", "vs quota", "to quota", "achievement"],
       definition_zh="期间成交额 ÷ 期间内开始的季度目标之和（销售、团队、区域或公司层级）。默认本季度。",
       definition_en="Bookings in the period ÷ the sum of quarterly targets starting in it (rep, team, region or company level). Default: this quarter.",
       sql="SUM(won amount in period) / SUM(targets.amount WHERE level=… AND period_start IN period)",
       unit="percent", dimensions=PEOPLE_DIMS, default_period="this_quarter"),
    _m(name="win_rate", label_zh="赢单率", label_en="win rate",
       synonyms_zh=["赢单率", "胜率", "成单率", "赢率", "中标率", "签单率", "成交率", "赢单比例", "赢单比率", "赢面", "获胜比例", "获胜率", "胜出比例", "胜出率"],
       synonyms_en=["win rate", "win ratio", "close rate", "winning rate", "win %", "win percentage", "win-rate", "hit rate", "hit ratio",
                    "success rate", "close ratio", "closing rate", "win pct", "win ratio"],
       definition_zh="期间关闭的商机中赢单的比例：赢单数 ÷（赢单数 + 输单数），按关闭日期归期。",
       definition_en="Won ÷ (won + lost) among opportunities closed in the period.",
       sql="COUNT(status='won') / COUNT(status IN ('won','lost')) WHERE closed_at IN period",
       unit="percent", dimensions=OPP_DIMS + TIMES),
    _m(name="conversion", label_zh="转化率", label_en="conversion rate",
       synonyms_zh=["转化率", "转化", "漏斗", "销售漏斗", "转换率"],
       synonyms_en=["conversion rate", "conversion", "funnel", "sales funnel", "converted"],
       definition_zh="漏斗 线索→商机→报价→成交：线索=期间新建线索数；商机=期间新建商机数；报价=其中到达方案报价（或之后阶段）的商机数；成交=其中赢单数。阶段转化（如 初步接洽→需求确认）= 期间新建商机中到达后一阶段数 ÷ 到达前一阶段数。",
       definition_en="Funnel lead→opportunity→quote→won: leads created in the period; opportunities created in it; those of them that reached 方案报价 or later; those won. Stage-to-stage: among opportunities created in the period, reached(next) ÷ reached(previous).",
       sql="COUNT(leads) ; COUNT(opportunities) ; COUNT(EXISTS stage_history.to_stage >= 方案报价) ; COUNT(status='won')",
       unit="percent", dimensions=[*OPP_DIMS, *TIMES], chart="funnel"),
    _m(name="deals_created", label_zh="新建商机数", label_en="deals created",
       synonyms_zh=["新建商机", "新增商机", "创建的商机", "商机数", "新商机", "商机数量", "新建了多少商机"],
       synonyms_en=["deals created", "new deals", "opportunities created", "new opportunities", "number of opportunities", "created deals"],
       definition_zh="期间新建（created_at）的商机数。", definition_en="Opportunities created in the period.",
       sql="COUNT(opportunities) WHERE created_at IN period", unit="count", dimensions=OPP_DIMS + TIMES),
    _m(name="deals_won", label_zh="赢单数", label_en="deals won",
       synonyms_zh=["赢单数", "赢单数量", "赢单件数", "成交件数", "成交单数", "赢了多少单", "签单数", "成交数", "赢单个数", "成交笔数", "赢单笔数", "赢得的订单数", "赢得的订单数目", "赢得的订单数量"],
       synonyms_en=["deals won", "won deals", "number of wins", "wins", "won opportunities"],
       definition_zh="期间赢单的商机数（按成交日期）。", definition_en="Opportunities won in the period (by close date).",
       sql="COUNT(opportunities) WHERE status='won' AND closed_at IN period", unit="count", dimensions=OPP_DIMS + TIMES),
    _m(name="deals_lost", label_zh="输单数", label_en="deals lost",
       synonyms_zh=["输单数", "输单数量", "输单件数", "丢单数", "输了多少单", "丢单", "输单", "输单笔数"],
       synonyms_en=["deals lost", "lost deals", "number of losses", "losses", "lost opportunities"],
       definition_zh="期间输单的商机数（按关闭日期）。", definition_en="Opportunities lost in the period (by close date).",
       sql="COUNT(opportunities) WHERE status='lost' AND closed_at IN period", unit="count",
       dimensions=OPP_DIMS + TIMES, higher_is_better=False),
    _m(name="open_pipeline", label_zh="在途商机金额", label_en="open pipeline",
       synonyms_zh=["在途商机", "未结案商机", "未结案的商机", "在途金额", "商机储备", "管道金额", "pipeline", "在手商机", "未关闭商机金额", "管线", "储备金额", "未关闭商机", "进行中的商机", "未结商机", "开放商机", "在跟商机", "推进中的商机", "在推进的商机", "跟进中的商机", "还在跟的商机",
                    "跟进中的商机", "在途"],
       synonyms_en=["open pipeline", "pipeline value", "pipeline", "open opportunities value", "open deals value", "open deals",
                    "open opportunities", "open opps", "active pipeline", "deals in progress", "deals in flight", "pipe"],
       definition_zh="未关闭商机的金额合计；给定期间时只计预计成交日期（expected_close）在期间内的商机。",
       definition_en="Sum of open opportunities' amount; with a period, only those expected to close in it.",
       sql="SUM(amount) WHERE status='open' [AND expected_close IN period]", unit="currency",
       dimensions=OPP_DIMS, default_period="now"),
    _m(name="pipeline_coverage", label_zh="商机覆盖率", label_en="pipeline coverage",
       synonyms_zh=["覆盖率", "商机覆盖", "管道覆盖率", "覆盖倍数", "pipeline覆盖"],
       synonyms_en=["pipeline coverage", "coverage ratio", "coverage"],
       definition_zh="预计在期间内成交的在途商机金额 ÷ 期间目标（倍数）。默认本季度。",
       definition_en="Open pipeline expected to close in the period ÷ the period's target (a multiple). Default: this quarter.",
       sql="SUM(open amount WHERE expected_close IN period) / SUM(targets.amount WHERE period_start IN period)",
       unit="ratio", dimensions=PEOPLE_DIMS, default_period="this_quarter"),
    _m(name="avg_deal_size", label_zh="平均客单价", label_en="average deal size",
       synonyms_zh=["平均客单价", "客单价", "平均成交金额", "平均单笔金额", "平均订单金额", "平均合同额", "单均金额", "平均每单", "单均", "平均单价", "平均签单金额",
                    "平均赢单金额", "单笔平均金额", "平均每笔", "平均订单额"],
       synonyms_en=["average deal size", "avg deal size", "average deal value", "deal size", "average order value", "average won deal size",
                    "mean deal size", "typical deal size", "average contract value", "avg deal value", "average won amount",
                    "average deal amount", "avg order value", "acv", "avg acv", "average acv", "average ticket size",
                    "avg ticket size", "ticket size", "average ticket", "avg ticket"],
       definition_zh="期间赢单商机的平均金额。", definition_en="Average amount of the opportunities won in the period.",
       sql="AVG(amount) WHERE status='won' AND closed_at IN period", unit="currency", dimensions=OPP_DIMS + TIMES),
    _m(name="avg_sales_cycle", label_zh="平均成交周期", label_en="average sales cycle",
       synonyms_zh=["平均成交周期", "成交周期", "销售周期", "平均销售周期", "成单周期", "赢单周期", "成交时长", "签单周期", "关单周期", "平均成交天数",
                    "成交天数", "平均周期"],
       synonyms_en=["average sales cycle", "sales cycle", "cycle length", "days to close", "time to close", "time to win",
                    "days to win", "deal cycle", "sales cycle length", "closing time", "average time to close", "cycle time"],
       definition_zh="期间赢单商机从创建到成交的平均天数。", definition_en="Average days from creation to close of the opportunities won in the period.",
       sql="AVG(closed_at - created_at in days) WHERE status='won' AND closed_at IN period", unit="days",
       dimensions=OPP_DIMS + TIMES, higher_is_better=False),
    _m(name="new_customers", label_zh="新客户数", label_en="new customers",
       synonyms_zh=["新客户", "新增客户", "新客户数", "首单客户", "新签客户", "新开客户", "新拿下的客户", "新获客户", "新增客户数", "新客"],
       synonyms_en=["new customer count", "new customer", "new customers", "new accounts", "customers acquired", "new logos", "new clients",
                    "first-time customers", "net new customers", "newly acquired customers", "new buyers", "acquired customers"],
       definition_zh="首次赢单发生在期间内的客户数。", definition_en="Accounts whose first won deal closed in the period.",
       sql="COUNT(accounts WHERE MIN(won closed_at) IN period)", unit="count",
       dimensions=["rep", "team", "region", "industry", "lead_source", *TIMES]),
    _m(name="clv", label_zh="客户终身价值", label_en="customer lifetime value",
       synonyms_zh=["客户终身价值", "客户生命周期价值", "终身价值", "CLV", "LTV", "生命周期价值"],
       synonyms_en=["customer lifetime value", "lifetime value", "clv", "ltv", "customer ltv", "lifetime revenue per customer"],
       definition_zh="有赢单客户的累计成交额平均值（历史 CLV，截至期末）。",
       definition_en="Average cumulative bookings per customer with at least one win (historical CLV, up to the period end).",
       sql="AVG(SUM(won amount) GROUP BY account)", unit="currency", dimensions=["industry", "region", "lead_source"]),
    _m(name="cac", label_zh="获客成本", label_en="customer acquisition cost",
       synonyms_zh=["获客成本", "客户获取成本", "CAC", "获客花费", "获客费用", "拉新成本", "获客单价", "获取成本"],
       synonyms_en=["customer acquisition cost", "acquisition cost", "cac", "cost per customer",
                    "cost per acquisition", "cost to acquire", "acquisition costs"],
       definition_zh="期间市场投入 ÷ 期间新客户数（按渠道=客户来源、按区域）。",
       definition_en="Marketing spend in the period ÷ new customers in the period (by channel = account source, or region).",
       sql="SUM(marketing_spend.amount) / COUNT(new customers)", unit="currency",
       dimensions=["lead_source", "region"], higher_is_better=False),
    _m(name="clv_cac", label_zh="CLV:CAC", label_en="CLV:CAC",
       synonyms_zh=["CLV:CAC", "CLV/CAC", "LTV/CAC", "LTV:CAC", "终身价值与获客成本之比", "CLV与CAC"],
       synonyms_en=["clv:cac", "clv/cac", "ltv:cac", "ltv/cac", "clv to cac", "ltv to cac"],
       definition_zh="CLV ÷ CAC（同一期间、同一切分）。", definition_en="CLV ÷ CAC for the same period and cut.",
       sql="clv / cac", unit="ratio", dimensions=["lead_source", "region"]),
    _m(name="contribution", label_zh="贡献占比", label_en="contribution",
       synonyms_zh=["贡献", "贡献度", "贡献占比", "帕累托", "二八", "收入构成", "销售额构成", "业绩贡献", "二八分析", "帕累托分析", "收入结构", "销售结构",
                    "贡献率"],
       synonyms_en=["contribution", "pareto", "revenue mix", "sales mix", "revenue share", "80/20",
                    "pareto analysis", "80-20", "revenue concentration", "concentration"],
       definition_zh="各产品线（或所选维度）成交额及占比，按贡献排序，含累计占比；并给出前 20% 项目的成交额占比。",
       definition_en="Bookings and share per product line (or the chosen dimension), sorted, with cumulative share and the top-20 % items' share.",
       sql="SUM(won amount) GROUP BY dim ORDER BY 2 DESC; share = x / SUM(x)", unit="percent",
       dimensions=OPP_DIMS, chart="pareto"),
    _m(name="penetration", label_zh="区域渗透率", label_en="regional penetration",
       synonyms_zh=["渗透率", "客户渗透率", "覆盖客户比例", "渗透", "客户覆盖率", "渗透情况"],
       synonyms_en=["penetration", "regional penetration", "market penetration", "account penetration", "penetration rate"],
       definition_zh="客户所在区域内，期间内有赢单的客户数 ÷ 该区域客户总数。",
       definition_en="Accounts with a won deal in the period ÷ all accounts, by the account's region.",
       sql="COUNT(DISTINCT account WITH won deal IN period) / COUNT(accounts) GROUP BY accounts.region",
       unit="percent", dimensions=["region", "industry"]),
    _m(name="forecast_accuracy", label_zh="预测准确率", label_en="forecast accuracy",
       synonyms_zh=["预测准确率", "预测准确度", "预测偏差", "预测准不准", "预测准确", "预测准确性", "预测误差", "预测的准确率"],
       synonyms_en=["forecast accuracy", "forecast error", "forecasting accuracy", "forecast",
                    "forecast vs actual", "forecasting error", "forecast precision"],
       definition_zh="1 − |提交的预测 − 实际成交额| ÷ 实际成交额，按季度的预测提交汇总。默认上季度。",
       definition_en="1 − |committed forecast − actual bookings| ÷ actual bookings over quarterly submissions. Default: last quarter.",
       sql="1 - ABS(SUM(forecast_submissions.amount) - SUM(won amount)) / SUM(won amount)", unit="percent",
       dimensions=PEOPLE_DIMS, default_period="last_quarter"),
    _m(name="activity_count", label_zh="活动次数", label_en="activities",
       synonyms_zh=["拜访次数", "拜访", "电话次数", "打电话", "通话次数", "活动次数", "跟进次数", "会议次数", "活动量", "拜访量", "电话量", "见客户", "拜访数", "通话数",
                    "电话数", "客户拜访", "上门拜访", "上门次数", "活动数", "跟进记录数"],
       synonyms_en=["activities", "activity count", "visits", "calls made", "phone calls", "meetings", "number of calls", "number of visits", "touches",
                    "customer visits", "site visits", "sales calls", "calls logged", "activity volume", "activities logged",
                    "number of activities", "touchpoints", "call count", "visit count"],
       definition_zh="期间发生的销售活动次数（可按类型：拜访、电话、会议、消息）。",
       definition_en="Sales activities in the period (optionally by type: visit, call, meeting, message).",
       sql="COUNT(activities) WHERE occurred_at IN period [AND type=…]", unit="count",
       dimensions=[*OPP_DIMS, "activity_type", *TIMES]),
    _m(name="response_time", label_zh="跟进响应时间", label_en="follow-up response time",
       synonyms_zh=["响应时间", "跟进响应时间", "首次跟进时间", "跟进速度", "响应速度", "多久跟进", "首次跟进", "响应时长",
                    "跟进时效", "首次响应", "首次响应时间"],
       synonyms_en=["response time", "follow-up time", "time to first touch", "follow up response time", "speed to lead",
                    "time to respond", "first response", "follow-up speed", "lead response time", "follow-up response time"],
       definition_zh="期间新建商机从创建到第一次活动的平均天数。",
       definition_en="Average days from an opportunity's creation to its first activity, for opportunities created in the period.",
       sql="AVG(MIN(activities.occurred_at) - opportunities.created_at)", unit="days",
       dimensions=["rep", "team", "region", "product_line", "industry", "lead_source"], higher_is_better=False),
    _m(name="overdue_tasks", label_zh="逾期任务数", label_en="overdue tasks",
       synonyms_zh=["逾期任务", "过期任务", "逾期待办", "超期任务", "逾期的任务", "逾期未完成", "逾期待办", "过期待办", "超时任务", "延期任务",
                    "逾期"],
       synonyms_en=["overdue tasks", "late tasks", "past due tasks", "overdue", "past-due tasks", "overdue to-dos",
                    "overdue follow-ups", "tasks overdue", "overdue items"],
       definition_zh="截至今天仍未完成且截止日期已过的任务数。",
       definition_en="Open tasks whose due date is before today.",
       sql="COUNT(tasks) WHERE status='open' AND due < today", unit="count", dimensions=PEOPLE_DIMS,
       higher_is_better=False, default_period="now"),
]
BY_NAME = {m.name: m for m in METRICS}


def metric(name: str) -> Metric:
    return BY_NAME[name]


ACTIVITY_TYPE_WORDS = {"拜访": "visit", "上门": "visit", "见面": "visit", "现场": "visit", "走访": "visit", "电话": "call", "通话": "call", "打电话": "call",
                       "会议": "meeting", "开会": "meeting", "消息": "message", "微信": "message",
                       "visit": "visit", "visits": "visit", "visited": "visit", "visiting": "visit", "in person": "visit", "face to face": "visit", "face-to-face": "visit",
                       "call": "call", "calls": "call", "called": "call", "phone": "call", "phoned": "call", "blower": "call", "rang": "call", "ring": "call", "rung": "call", "telephone": "call", "dialed": "call", "dialled": "call", "phones": "call",
                       "meeting": "meeting", "meetings": "meeting", "message": "message", "messages": "message"}
