"""Metrics described by what they compute rather than named (a board member's or a controller's words), and
asides that are not part of the question."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.parser import parse
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


@pytest.mark.parametrize(("q", "metric", "dims", "limit"), [
    # win rate: won over decided, said in words or as a formula
    ("赢单数 / (赢单数 + 输单数) 按区域看", "win_rate", ["region"], None),
    ("单子的成功率是多少", "win_rate", [], None),
    ("商机成功拿下的比例", "win_rate", [], None),
    ("赢下的单子占已关闭单子的比例", "win_rate", [], None),
    ("Of everything resolved this year, what percentage of deals did we win?", "win_rate", [], None),
    # opportunity → won conversion: of all opportunities, the share that ended won
    ("每个销售名下商机最终赢单的比例，谁垫底", "conversion", ["rep"], 1),
    ("今年新建的 opportunity 最后成交的占比", "conversion", [], None),
    ("What share of their opportunities ended up won, per rep? Who is lowest?", "conversion", ["rep"], 1),
    # bookings
    ("Which three customers spent the most with us this year?", "bookings", ["account"], 3),
    ("What did we sell in total last year?", "bookings", [], None),
    ("今年卖出的钱有多少", "bookings", [], None),
    ("今年卖出去的 total 金额", "bookings", [], None),
    ("本季度 closed-won 金额", "bookings", [], None),
    ("what did each region sign this year", "bookings", ["region"], None),
    # others
    ("今年有多少家公司第一次从我们这里买东西", "new_customers", [], None),
    ("各区域有过赢单的客户数占该区域客户总数的比例", "penetration", ["region"], None),
    ("By region, what share of our customer accounts has ever bought something from us?", "penetration", ["region"], None),
    ("How many days pass between opening a deal and winning it, on average?", "avg_sales_cycle", [], None),
    ("When we win a deal, how big is it on average?", "avg_deal_size", [], None),
    ("哪两位销售手上还没定输赢的单子金额最多", "open_pipeline", ["rep"], 2),
    ("Marketing spend divided by new customers, by channel", "cac", ["lead_source"], None),
    ("平均下来，每个成交过的客户从合作至今累计贡献了多少签约额", "clv", [], None),
    ("Across customers who bought from us, the average each spent over the whole relationship", "clv", [], None),
    ("按产品看签单金额，各占多少、累计占多少", "contribution", ["product"], None),
    ("本季度各个小组对各自指标完成了百分之多少", "target_attainment", ["team"], None),
    ("这个月客户打过来的钱", "collections", [], None),
    # round 18
    ("各区域有过成交的客户家数 ÷ 该区域客户总家数", "penetration", ["region"], None),
    ("各组签下的金额除以该组的季度指标", "target_attainment", ["team"], None),
    ("哪位销售的签单额对季度指标的完成比例最高", "target_attainment", ["rep"], 1),
    ("Which rep reached the highest percentage of their sales target? Just the single best one.", "target_attainment",
     ["rep"], 1),
    ("商机从建立到第一次有跟进动作平均隔多少天", "response_time", [], None),
    ("有成交记录的客户，平均每家累计签了多少钱", "clv", [], None),
    ("今年拿下的订单有多少笔", "deals_won", [], None),
    ("李明今年一共赢了多少笔", "deals_won", [], None),
    ("去年以失败告终的单子有几笔", "deals_lost", [], None),
    ("Sum of won deal amounts this year", "bookings", [], None),
    ("今年一共签成了多少金额", "bookings", [], None),
    ("Average won-deal value this year?", "avg_deal_size", [], None),
    ("把每个产品的签单金额从大到小排，列出各自占比和累计比例", "contribution", ["product"], None),
    ("Which rep has won the largest share of the deals they've closed?", "win_rate", ["rep"], 1),
    ("For the reps who report to 王芳, what fraction of their finished deals ended up won?", "win_rate", [], None),
    ("How many times did we go out and visit customers in the past 30 days?", "activity_count", [], None),
    ("去年哪个行业丢单丢得最凶", "deals_lost", ["industry"], 1),
    ("每个销售的商机最后赢下来的比例，只要最低的那一位", "conversion", ["rep"], 1),
    # round 19
    ("各区域渗透率都多少", "penetration", ["region"], None),
    ("各个区域里，有多大比例的客户跟我们成过交", "penetration", ["region"], None),
    ("每个大区：有过至少一笔赢单的客户家数，除以该区全部客户家数", "penetration", ["region"], None),
    ("今年 1 减去（预测金额与实际赢单金额之差的绝对值 ÷ 实际赢单金额）", "forecast_accuracy", [], None),
    ("按渠道算：营销投入 ÷ 该渠道带来的新客户数", "cac", ["lead_source"], None),
    ("个人赢单金额 ÷ 个人季度 target，比值最高的是哪位销售", "target_attainment", ["rep"], 1),
    ("按各人自己的业绩指标算，完成比例最高的是谁", "target_attainment", ["rep"], 1),
    ("Per team: sum of won deal amounts divided by the team members' quarterly targets", "target_attainment", ["team"], None),
    ("今年新建商机数除以新增线索数", "conversion", [], None),
    ("用赢单数除以已关闭商机数，哪位销售最高", "win_rate", ["rep"], 1),
    ("赢的单占赢加输总数的几成", "win_rate", [], None),
    ("won count over won-plus-lost count by region", "win_rate", ["region"], None),
    ("按客户所在行业看，有结果的单子里成功比例最高的是哪个行业", "win_rate", ["industry"], 1),
    ("按客户所属行业分组，各组已结商机里赢单的比例", "win_rate", ["industry"], None),
    ("以大区为单位，已关单商机中赢单占比最低的是哪个区", "win_rate", ["region"], 1),
    ("For each rep, take all the opportunities they own, open ones included: the share that ended up won", "conversion",
     ["rep"], None),
    ("今年新建的那批商机，不管现在结没结，最后赢单的占多少比例", "conversion", [], None),
    ("今年新开的单子，最后有多大比例签下来了", "conversion", [], None),
    ("What is the mean value of won deals this year?", "avg_deal_size", [], None),
    ("Among accounts that have ever won a deal with us, the average total won amount per account over their whole history",
     "clv", [], None),
    ("平均每个买过我们东西的客户，前前后后总共在我们这花了多少钱", "clv", [], None),
    ("最大的那两成客户占了我们总销售额的多少", "contribution", ["account"], None),
    ("是不是少数几个产品撑起了大部分收入", "contribution", ["product"], None),
    ("What's the total value of deals 李明 has signed this quarter?", "bookings", [], None),
    ("How does what we've signed this quarter compare with the same quarter last year?", "bookings", [], None),
    ("Count of accounts whose first-ever won deal closed this year", "new_customers", [], None),
    ("今年黄了多少单", "deals_lost", [], None),
    ("今年我们签成了几单", "deals_won", [], None),
    ("Who are the three people with the most money still sitting in unfinished deals?", "open_pipeline", ["rep"], 3),
    ("目前所有还 open 的商机金额，按 agent 汇总", "open_pipeline", ["rep"], None),
    ("上个月谁名下登记的电话类跟进活动条数最多？只要第一名", "activity_count", ["rep"], 1),
    # round 20
    ("一个客户平均能给我们带来多少累计成交额？就是CLV", "clv", [], None),
    ("For every customer with at least one won deal, add up its won amounts, then average across those customers",
     "clv", [], None),
    ("哪三位业务手上的逾期任务最多", "overdue_tasks", ["rep"], 3),  # 业务: a sales rep (Taiwan)
    ("上个月电话打最多的业务是哪位", "activity_count", ["rep"], 1),
    ("十月输了几个案子", "deals_lost", [], None),
    ("今年成交的案子，平均从开案到成交花几天", "avg_sales_cycle", [], None),
    ("去年哪个产业掉单最多", "deals_lost", ["industry"], 1),
    ("去年输掉的商机按客户所属行业计数，输单数量排第一的是哪个行业", "deals_lost", ["industry"], 1),
    ("看每个销售自己名下建的商机，最后真正签下来的占几成，谁是最低的那一位", "conversion", ["rep"], 1),
    ("按销售统计：名下新建商机里最终赢单的个数 ÷ 新建商机总数，最低的是哪位", "conversion", ["rep"], 1),
    ("今年创建的opportunity数做分子，同年创建的lead数做分母", "conversion", [], None),
    ("For each rep, divide the number of their opportunities that ended up won by the number of opportunities they "
     "created. Who has the smallest ratio?", "conversion", ["rep"], 1),
    ("Of all the opportunities each rep opened, what fraction ended up won, and whose fraction is the lowest?",
     "conversion", ["rep"], 1),
    ("在每个大区里，至少成交过一单的客户占该区客户总数的比例", "penetration", ["region"], None),
    ("Which rep had the highest ratio of signed deal value to their sales target last quarter?", "target_attainment",
     ["rep"], 1),
    ("今年Q3每个销售的赢单金额除以他Q3的target，谁的比值最高", "target_attainment", ["rep"], 1),
    ("每个团队分开算：这个季度赢下来的商机金额合计 ÷ 本季度该团队的目标额合计", "target_attainment", ["team"], None),
    ("用 1 − |预测金额合计 − 实际赢单金额合计| ÷ 实际赢单金额合计 算一下", "forecast_accuracy", [], None),
    ("每条产品线签下的金额各占总额几成？从大到小排，顺便给出累计百分比", "contribution", ["product_line"], None),
    ("还没结案、预计在本季度关单的商机，合计金额有多少", "open_pipeline", [], None),
    ("How many times over does the open deal value expected to close this quarter cover the quarterly sales targets?",
     "pipeline_coverage", [], None),
    ("From raw lead to opportunity, to a priced proposal, to a signed deal: how many make it through each step?",
     "conversion", [], None),
    ("今年一至六月关单并且赢了的商机，一共几个", "deals_won", [], None),
    ("上季度赢单的商机个数", "deals_won", [], None),
    ("全公司这一季度所有赢单加在一起是多少钱", "bookings", [], None),
    ("这个季度签下的订单总额，跟去年同一个季度相比", "bookings", [], None),
    ("Add up the amounts of the deals 李明 won this year", "bookings", [], None),
    ("今年10月份 closed lost 的商机数量", "deals_lost", [], None),
    ("首次赢单发生在今年的客户一共有几家", "new_customers", [], None),
    ("已经分出胜负的商机里，李明赢了几成", "win_rate", [], None),
    ("商机凡是有了最终结论的，赢下来的占多少百分比", "win_rate", [], None),
    ("今年关单的商机里赢的数量÷(赢+输)", "win_rate", [], None),
    ("When a deal was settled one way or the other this year, how often did it go our way?", "win_rate", [], None),
    ("在已经有了结果的商机里（赢或输），哪位销售拿下的比例最高", "win_rate", ["rep"], 1),
    # round 21: Cantonese, everyday words, formulas
    ("十月份边五个客户俾返最多钱我哋", "collections", ["account"], 5),
    ("今个季度每个大区各自收返几多款", "collections", ["region"], None),
    ("上个月边个打电话打得最勤", "activity_count", ["rep"], 1),
    ("华南区嘅成交单，平均每张几多钱", "avg_deal_size", [], None),
    ("华东区仲open紧嘅商机总金额", "open_pipeline", [], None),
    ("商机从创建到头一回跟进，平均隔几天", "response_time", [], None),
    ("When a new deal turns up, how many days before somebody first gets in touch about it?", "response_time", [], None),
    ("还没完成而且截止日期已经过了的任务一共几条", "overdue_tasks", [], None),
    ("哪三位同事已经过了截止日子还没办完的事情最多", "overdue_tasks", ["rep"], 3),
    ("只看有过至少一笔赢单的客户，各自累计赢单金额的平均值", "clv", [], None),
    ("跟咱们成过交的客户，平均每家一共在咱们这儿花了多少钱", "clv", [], None),
    ("Which rep has the smallest ratio of won opportunities to all opportunities they own?", "conversion", ["rep"], 1),
    ("名下全部商机中最终赢单的个数 ÷ 商机总个数，哪个销售最低", "conversion", ["rep"], 1),
    ("以今年新建线索数为分母、新建商机数为分子", "conversion", [], None),
    ("哪位同事手里跟过的生意机会，最后能签下来的比例最低", "conversion", ["rep"], 1),
    ("全部市场费用 ÷ 全部新获客户数", "cac", [], None),
    ("首笔赢单的关单日期在今年的客户有多少家", "new_customers", [], None),
    ("排在最前头的那两成客户，一共占了签下来总金额的多少", "contribution", ["account"], None),
    ("大伙事先估计能签多少，跟后来实打实签下来的一比，准头有几成", "forecast_accuracy", [], None),
    ("这个季度，华东和华南哪边签得多", "bookings", ["region"], None),
    ("这一季度全公司签下来的生意，总共多少钱", "bookings", [], None),
    ("Which five customers bought the most from us this year?", "bookings", ["account"], 5),
    ("Which single product has the largest summed amount across all won opportunities?", "bookings", ["product"], 1),
    ("Which five customers paid the most into our account last month?", "collections", ["account"], 5),
    ("In October, which one of our people phoned customers the most?", "activity_count", ["rep"], 1),
    ("Three agents with the largest total amount on opportunities that are still open", "open_pipeline", ["rep"], 3),
    ("Which industry sector has the highest count of opportunities closed as lost?", "deals_lost", ["industry"], 1),
    ("Mean value per won opportunity this year", "avg_deal_size", [], None),
    ("李明今年一共谈成了几单", "deals_won", [], None),
    ("这一季各个小组，离各自定下的指标都完成到几成了", "target_attainment", ["team"], None),
    ("今年一年下来，凡是见了分晓的单子，赢的占多少", "win_rate", [], None),
    # round 22
    ("本季度各团队的签约额分别达到了各自季度目标的百分之多少", "target_attainment", ["team"], None),
    ("How far along is each team toward its quarterly target this quarter, in percent?", "target_attainment", ["team"],
     None),
    ("十月份我们丢了几笔生意", "deals_lost", [], None),
    ("每个成交过的客户平均累计给我们带来多少签约收入", "clv", [], None),
    ("Over the whole relationship, how much does an average customer end up buying from us?", "clv", [], None),
    ("从今年1月1日到今天，拿下的合同累计金额是多少", "bookings", [], None),
    ("How many deals did we close successfully this year?", "deals_won", [], None),
    ("How many deals did we bring home in the third quarter?", "deals_won", [], None),
    ("今年拿下单子笔数最多的三个销售", "deals_won", ["rep"], 3),
    ("还没签、但预计这个季度内能签下来的单子，金额加起来多少", "open_pipeline", [], None),
    ("手上在跟、还没结果的单子总金额最大的三个销售是谁", "open_pipeline", ["rep"], 3),
    ("By lead channel, what did each new customer cost us in marketing spend?", "cac", ["lead_source"], None),
    ("10 月份 phone call 打得最多的是哪位销售", "activity_count", ["rep"], 1),
    ("Which regional office has the sorriest win rate?", "win_rate", ["region"], 1),
    ("有结果的单子里成功率多少", "win_rate", [], None),
    # round 23 and set 98's readings, in other words than the sets'
    ("每个团队的 quota 都完成了几成", "target_attainment", ["team"], None),
    ("上个月有几笔单子最后输掉了", "deals_lost", [], None),
    ("How many opportunities ended in a loss last quarter?", "deals_lost", [], None),
    ("今年预估能签的金额跟实际签下的比，准不准", "forecast_accuracy", [], None),
    ("华北那边的单子签得咋样", "bookings", [], None),
    ("跟进中、预计本季度敲定的单子一共多少钱", "open_pipeline", [], None),
    ("What did our regions each sign this year?", "bookings", ["region"], None),
    ("今年头一回跟你们签约的公司有几家", "new_customers", [], None),
    ("今年之前从来没买过的客户，新签了几家", "new_customers", [], None),
    ("上个月付给你们钱最多的三家客户", "collections", ["account"], 3),
    ("How long until a rep first reaches out to a new lead's opportunity, on average?", "response_time", [], None),
    ("Which rep wins the lowest share of the deals they take on?", "conversion", ["rep"], 1),
    ("哪位销售经手的商机，最终成交的比例最高", "conversion", ["rep"], 1),
    ("When a deal comes down to a yes or no, how often is it a yes?", "win_rate", [], None),
    ("大家今年生意做得如何", "bookings", [], None),
    # round 24's readings, in other words than the sets'
    ("华南卖得可好", "bookings", [], None),
    ("已过截止日期还没办完的待办有几条", "overdue_tasks", [], None),
    ("How many tasks are open beyond their due date?", "overdue_tasks", [], None),
    ("Which five customers had the biggest signed contract value this year?", "bookings", ["account"], 5),
    ("What was the combined value of the deals we signed last quarter?", "bookings", [], None),
    ("What is the value of won business per region this year?", "bookings", ["region"], None),
    ("How much revenue did we book from won deals last year?", "bookings", [], None),
    ("赢单数除以已结案数，按区域算", "win_rate", ["region"], None),
    ("Of the deals that reached a decision this year, what share did we win?", "win_rate", [], None),
    ("How long before someone logs a first activity on a new opportunity, on average?", "response_time", [], None),
    ("What did each newly acquired customer cost us in marketing?", "cac", [], None),
    ("How many firms bought from us for the first time this year?", "new_customers", [], None),
    ("每个区域有成交记录的客户占全部客户的比例", "penetration", ["region"], None),
    ("What is the average cumulative value a customer buys from us over the whole relationship?", "clv", [], None),
    ("Which two reps carry the most value in deals that remain open?", "open_pipeline", ["rep"], 2),
    ("平均每签下一笔单子金额多大", "avg_deal_size", [], None),
    ("For each of our sales teams, what is the win rate?", "win_rate", ["team"], None),
    ("每一个区域的赢单率", "win_rate", ["region"], None),
    ("average won deal value in the software sector", "avg_deal_size", [], None),
    # round 25's readings, in other words than the sets'
    ("上个月客户一共付了我们多少钱", "collections", [], None),
    ("本季度客户付款按区域", "collections", ["region"], None),
    ("有结果的单子里，客户选了我们的比例", "win_rate", [], None),
    ("各销售的商机最后被客户签下来的比例", "conversion", ["rep"], None),
    ("名下商机中赢单的个数 / 名下商机总数，按团队", "conversion", ["team"], None),
    ("Of the opportunities created last year, how many were won divided by how many were created?", "conversion", [], None),
    ("今年的线索数、商机数、报价数、赢单数，逐层看", "conversion", [], None),
    ("What fraction of bookings came from the 华东 region?", "bookings", [], None),
    ("按产品线汇总成交额，各占总额多少，从大到小依次累加", "contribution", ["product_line"], None),
    ("This year: deals won divided by deals won plus lost", "win_rate", [], None),
    ("Count of opportunities created in Q3", "deals_created", [], None),
    ("按负责人统计截止日期早于今天的待办", "overdue_tasks", ["rep"], None),
    ("还没 closed 的 deals 金额按区域", "open_pipeline", ["region"], None),
    ("还开着的 opportunity 的 amount 加起来", "open_pipeline", [], None),
    ("在途商机金额除以本季度目标", "pipeline_coverage", [], None),
    ("华南客户买得怎么样", "bookings", [], None),
    ("How many deals did customers turn us down on last month?", "deals_lost", [], None),
    ("How many days until someone follows up for the first time on a new opportunity?", "response_time", [], None),
    ("每个客户给我们带来多少钱", "clv", [], None),
    ("至少成交过一次的客户，平均每家累计的成交金额", "clv", [], None),
    ("Which single industry lost the most deals?", "deals_lost", ["industry"], 1),
    ("今年成交额最高的三个销售", "bookings", ["rep"], 3),
    # round 26's readings, in other words than the sets'
    ("Which three reps secured the most contract value this year?", "bookings", ["rep"], 3),
    ("各区域已结案商机的获胜比例", "win_rate", ["region"], None),
    ("上个月所收客户款项按团队", "collections", ["team"], None),
    ("未结案商机金额最高的两位销售", "open_pipeline", ["rep"], 2),
    ("上个月 call 打得最少的销售", "activity_count", ["rep"], 1),
    ("Quarter-wise win rate for this year", "win_rate", ["time:quarter"], None),
    ("What is the marketing outlay per newly acquired customer by channel?", "cac", ["lead_source"], None),
    ("各区域曾与本公司成交的客户占全部客户的比例", "penetration", ["region"], None),
    ("For the Q3 opportunity cohort, what share ended up won?", "conversion", [], None),
    ("How long does it take to turn a new opportunity into a won deal, by region?", "avg_sales_cycle", ["region"], None),
    ("Of last year's leads, what share converted into opportunities?", "conversion", [], None),
    # round 27's readings, in other words than the sets'
    ("What is our hit ratio by region?", "win_rate", ["region"], None),
    ("本季度 won 的 amount 按团队汇总", "bookings", ["team"], None),
    ("status=lost 的单子按 sector 统计", "deals_lost", ["industry"], None),
    ("按 owner 列出本月的回款", "collections", ["rep"], None),
    ("due date 已经过了、还没完成的任务有几条", "overdue_tasks", [], None),
    ("去年 won 的商机按 close date 分月计数", "deals_won", ["time:month"], None),
    ("今年 created date 的 opportunity 条数", "deals_created", [], None),
    ("open 商机金额 ÷ 本季度目标", "pipeline_coverage", [], None),
    ("哪一区的成交额最高", "bookings", ["region"], 1),
    ("哪个行业的案子最容易赢", "win_rate", ["industry"], 1),
    ("按来源算，平均开发一家新客户要花多少钱", "cac", ["lead_source"], None),
    ("bookings by close month this year", "bookings", ["time:month"], None),
    # round 28's readings, in other words than the sets'
    ("上个月谈成的钱按区域", "bookings", ["region"], None),
    ("今年王芳谈成了多少金额的生意", "bookings", [], None),
    ("跟我们成交的钱最多的三家客户", "bookings", ["account"], 3),
    ("生意谈成的比例按团队", "win_rate", ["team"], None),
    ("各区域的客户里，有多少比例跟我们做成过生意", "penetration", ["region"], None),
    ("每位成交过的客户一共给我们带来了多少生意额", "clv", [], None),
    ("今年 closed-won 总额", "bookings", [], None),
    # round 29's readings, in other words than the sets'
    ("今年签了几家新客户", "new_customers", [], None),
    ("以今天为截止日，已超过到期日还没完成的任务", "overdue_tasks", [], None),
    ("过了期还没做完的事，哪两个人最多", "overdue_tasks", ["rep"], 2),
    ("本季度在途商机对目标的覆盖率", "pipeline_coverage", [], None),
    ("已赢单商机的平均金额按区域", "avg_deal_size", ["region"], None),
    ("哪个销售建的商机，到头来成交的比例最高", "conversion", ["rep"], 1),
    ("上个季度哪个销售的指标完成得最足", "target_attainment", ["rep"], 1),
    ("商机建好以后平均几天才第一次去跟", "response_time", [], None),
    ("招揽一家新客户平均要花多少钱", "cac", [], None),
    ("排在前头那两成的客户占成交额多少", "contribution", ["account"], None),
    ("各区域的客户里有几成跟我们成过交", "penetration", ["region"], None),
    ("上季度预估数跟实际的比，准头怎么样", "forecast_accuracy", [], None),
    ("本季度做成的单子跟去年同一季度比", "bookings", [], None),
    ("这个月回的款按团队", "collections", ["team"], None),
    ("哪个客户花钱最多", "bookings", ["account"], 1),
    ("How many orders did we sign last quarter?", "deals_won", [], None),
    ("Which sector lost the most orders?", "deals_lost", ["industry"], 1),
    ("Receipts by region this year", "collections", ["region"], None),
    ("Which rep converts the largest share of their opportunities into won deals?", "conversion", ["rep"], 1),
    ("Out of everything we ever sold, what portion came through 华东?", "bookings", [], None),
])
def test_described_metrics(session: Session, q: str, metric: str, dims: list[str], limit: int | None) -> None:
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None, q
    assert (plan.metric, plan.dimensions, plan.limit) == (metric, dims, limit), q


def test_comparisons_said_in_words(session: Session) -> None:
    """'跟2025年同样这三个月比' and 'against the same three months back in 2025' are 同比; 元旦 is 1 January."""
    for q in ("今年10-12月的成交额，跟2025年同样这三个月比", "bookings this quarter against the same three months back in 2025"):
        plan = parse(session, ADMIN, q, TODAY).plan
        assert plan is not None and plan.comparison == "yoy" and plan.dimensions == [], q
    plan = parse(session, ADMIN, "从元旦到今天的成交额", TODAY).plan
    assert plan is not None and plan.period is not None and str(plan.period.start) == f"{TODAY.year}-01-01"
    plan = parse(session, ADMIN, f"从{TODAY.year}年1月1日起截至今天（含今天）的成交额", TODAY).plan  # 起截至: not 'as of'
    assert plan is not None and plan.period is not None and (plan.period.end - plan.period.start).days > 300
    plan = parse(session, ADMIN, "方案报价往谈判审批这一步，转化率多少", TODAY).plan
    assert plan is not None and plan.stages == ("方案报价", "谈判审批")
    plan = parse(session, ADMIN, "靠别人介绍过来的单子，最后赢下来的比例", TODAY).plan  # 转介绍, said in words
    assert plan is not None and [(f.dimension, f.values) for f in plan.filters] == [("lead_source", ["转介绍"])]
    plan = parse(session, ADMIN, "referral 渠道进来的单子赢单率", TODAY).plan  # 转介绍, said in English
    assert plan is not None and [(f.dimension, f.values) for f in plan.filters] == [("lead_source", ["转介绍"])]
    plan = parse(session, ADMIN, "华东二组的销售表现如何", TODAY).plan  # how a team's people are doing: 业绩
    assert plan is not None and plan.metric == "bookings"
    plan = parse(session, ADMIN, "华东二组那帮人干得怎么样", TODAY).plan
    assert plan is not None and plan.metric == "bookings"
    plan = parse(session, ADMIN, "Won amount in 华东 divided by won amount across all regions", TODAY).plan
    assert plan is not None and plan.metric == "bookings" and plan.comparison == "share"
    plan = parse(session, ADMIN, "Total value of deals closed as won in the 90 days up to and including today", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.end - plan.period.start).days == 90
    plan = parse(session, ADMIN, "哪三位销售手上还没定输赢的单子，金额加起来最多", TODAY).plan  # 输赢的单子 is open
    assert plan is not None and plan.metric == "open_pipeline"
    plan = parse(session, ADMIN, "今季成交额同旧年同季比", TODAY).plan  # Cantonese 同比
    assert plan is not None and plan.comparison == "yoy"
    plan = parse(session, ADMIN, "Of the opportunities created during calendar 2025, what fraction were won?", TODAY).plan
    assert plan is not None and plan.period is not None and plan.period.start.year == 2025
    plan = parse(session, ADMIN, f"closed between 1 Jan {TODAY.year} and today, what fraction were won?", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.end - plan.period.start).days > 300
    plan = parse(session, ADMIN, "到今天为止，有多少件该办的事已经过了期限还没办完", TODAY).plan  # as of now, not today
    assert plan is not None and plan.metric == "overdue_tasks" and plan.period is None


def test_a_cut_ruled_out_in_brackets_is_not_applied(session: Session) -> None:
    plan = parse(session, ADMIN, "按具体产品（不是产品系列）做一个成交额的二八分析", TODAY).plan
    assert plan is not None and plan.metric == "contribution" and plan.dimensions == ["product"]


def test_a_sign_off_is_not_an_entity(session: Session) -> None:
    """'…, cheers' ends the message; it is not a filter even where an account's name would match it."""
    plan = parse(session, ADMIN, "bookings by region this year, thanks mate", TODAY).plan
    assert plan is not None and plan.filters == [] and plan.dimensions == ["region"]


def test_three_funnel_stages_listed_are_the_funnel(session: Session) -> None:
    plan = parse(session, ADMIN, "Lay out how many leads, opportunities, quotes and signed deals we had", TODAY).plan
    assert plan is not None and plan.metric == "conversion" and plan.stages is None


def test_a_modifier_before_the_second_stage_keeps_the_pair(session: Session) -> None:
    plan = parse(session, ADMIN, "去年的线索有几成转成了我们真正在跟的商机", TODAY).plan
    assert plan is not None and plan.stages == ("线索", "商机")
    plan = parse(session, ADMIN, "报了方案价格的商机有多少推进到谈判审批", TODAY).plan
    assert plan is not None and plan.stages == ("方案报价", "谈判审批")


def test_an_english_month_inside_chinese(session: Session) -> None:
    plan = parse(session, ADMIN, "今年 April 那个月丢了几单", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.start.month, plan.period.end.month) == (4, 5)



def test_a_span_between_two_stages_is_a_cycle_not_a_conversion(session: Session) -> None:
    plan = parse(session, ADMIN, "How long on average from opening an opportunity to winning it?", TODAY).plan
    assert plan is not None and plan.metric == "avg_sales_cycle" and plan.stages is None


def test_one_stage_pair_said_twice_is_not_the_funnel(session: Session) -> None:
    plan = parse(session, ADMIN, "今年的线索有多少转成了商机？就是线索到商机的转化率", TODAY).plan
    assert plan is not None and plan.stages == ("线索", "商机")


def test_periods_said_the_long_way(session: Session) -> None:
    plan = parse(session, ADMIN, "bookings by month for this calendar year", TODAY).plan
    assert plan is not None and plan.period is not None and plan.period.start.year == TODAY.year
    plan = parse(session, ADMIN, "bookings over the most recent 30 days", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.end - plan.period.start).days == 30
    plan = parse(session, ADMIN, "二四年的成交额", TODAY).plan  # a year in two Chinese digits
    assert plan is not None and plan.period is not None and plan.period.start.year == 2024
    plan = parse(session, ADMIN, "Bookings in October compared with the month immediately before it", TODAY).plan
    assert plan is not None and plan.comparison == "pop"




def test_a_ratio_named_outright_wins_over_its_described_parts(session: Session) -> None:
    plan = parse(session, ADMIN, "今年的赢单率，按赢单数除以已结案数算", TODAY).plan
    assert plan is not None and plan.metric == "win_rate"
    plan = parse(session, ADMIN, "一个客户平均给我们贡献多少钱，也就是客户终身价值", TODAY).plan
    assert plan is not None and plan.metric == "clv"


def test_comparisons_named_the_long_way(session: Session) -> None:
    plan = parse(session, ADMIN, "Bookings this quarter, with the change against the corresponding quarter of last year",
                 TODAY).plan
    assert plan is not None and plan.comparison == "yoy"
    plan = parse(session, ADMIN, "本月（十一月）回款与十月相比如何", TODAY).plan  # the month restated in brackets
    assert plan is not None and plan.comparison == "pop"


def test_an_english_stage_pair_with_a_clause_between(session: Session) -> None:
    plan = parse(session, ADMIN, "Of this year's leads, what share converted into opportunities?", TODAY).plan
    assert plan is not None and plan.stages == ("线索", "商机")


def test_field_names_inside_an_english_phrase_stay_english(session: Session) -> None:
    plan = parse(session, ADMIN, "how many tasks have slipped past their due date 现在", TODAY).plan
    assert plan is not None and plan.metric == "overdue_tasks"


def test_old_fashioned_words(session: Session) -> None:
    """伙计 a rep, 主顾 a customer, 行当 an industry, 买卖 business, 排个座次 a ranking, spoken month spans."""
    plan = parse(session, ADMIN, "今年各个行当的主顾，买卖做得怎么样", TODAY).plan
    assert plan is not None and plan.metric == "bookings" and plan.dimensions == ["industry"]
    plan = parse(session, ADMIN, "把各位伙计的回款排个座次", TODAY).plan
    assert plan is not None and plan.dimensions == ["rep"] and plan.order == "desc"
    plan = parse(session, ADMIN, "七八九月的成交额", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.start.month, plan.period.end.month) == (7, 10)
    plan = parse(session, ADMIN, "十月到年底的回款", TODAY).plan
    assert plan is not None and plan.period is not None and plan.period.start.month == 10
    assert plan.period.end.month == 1
    plan = parse(session, ADMIN, "今年头一个季度的成交额", TODAY).plan  # 头一个季度 stays the first quarter
    assert plan is not None and plan.period is not None and (plan.period.start.month, plan.period.end.month) == (1, 4)
    plan = parse(session, ADMIN, "往前倒三十天，连今儿算上，上门拜访了几趟", TODAY).plan
    assert plan is not None and plan.period is not None and (plan.period.end - plan.period.start).days == 30
