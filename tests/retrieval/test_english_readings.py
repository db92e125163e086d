"""English questions about both workspaces, from the English-only blind rounds 69-77: the metric described in the
writer's own words (idioms for won, lost, open, paid, a target, a lifetime), and the demo pipeline's stage pairs
said in English or with their Chinese names inside an English sentence."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.parser import parse
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


@pytest.mark.parametrize(("q", "metric", "dims"), [
    # rounds 69 and 70 (English only, both workspaces)
    ("How many times have our folks gone out and sat down in person with customers over the last 30 days?",
     "activity_count", []),
    ("If you tally up every deal that's still in play, not won and not lost yet, how much money is sittin' out there?",
     "open_pipeline", []),
    ("Right now, how much money's sittin' out there in deals that ain't won or lost yet?", "open_pipeline", []),
    ("Region by region, out of all the customer accounts we've got, what fraction have at least one deal they've closed "
     "and won with us?", "penetration", ["region"]),
    ("Last quarter, how close did the numbers we called ahead of time land to what we actually closed and won?",
     "forecast_accuracy", []),
    ("How much marketing money are we burnin' for every customer we rope in that never bought from us before?", "cac", []),
    ("Broken out by where the customers came from, how much marketing spend does it take us to land each new one?",
     "cac", ["lead_source"]),
    ("For each team, where are we this quarter against the objective, i.e. the amount signed divided by the quarterly "
     "objective, in percent?", "target_attainment", ["team"]),
    ("In 华南, how much is one of our won deals worth on average? Just curious about the typical ticket.",
     "avg_deal_size", []),
    ("On average, how many days go by between an opportunity being created and the first time someone follows up on it?",
     "response_time", []),
    ("For customers who've won a deal with us, what's the average total they've bought from us over their whole "
     "relationship?", "clv", []),
    ("How much did customers pay the 华东一组 team in October?", "collections", []),
    ("How much customer cash actually hit the bank for 华东一组 last month?", "collections", []),
    ("Which industry had the most deals fall through on us last year?", "deals_lost", ["industry"]),
    ("In which sector have the greatest number of deals ended up going against us?", "deals_lost", ["industry"]),
    ("Deals closed last month that we did not win. How many?", "deals_lost", []),
    ("For Melvin Marxen's team, what fraction of deals that got a final verdict went our way?", "win_rate", []),
    ("Which team wins the biggest % of the deals it sees through to a yes or no?", "win_rate", ["team"]),
    ("Which industry do we win in most often, looking at the deals that ended up won or lost?", "win_rate", ["industry"]),
    ("For each origin of the leads, of the deals that finished won or lost, what percentage did we win?", "win_rate",
     ["lead_source"]),
    ("Please show me the three salespeople carrying the most unfinished tasks that are already past their deadline.",
     "overdue_tasks", ["rep"]),
    ("Quick gut check: if you add up every deal that's still live right now, what's the total dollar value?",
     "open_pipeline", []),
    ("What's the whole company got in closed-won deals this quarter, every team and every rep added up together?",
     "bookings", []),
    # round 71 (English only)
    ("For deals we've won in 华南, what does one come to on average in terms of amount?", "avg_deal_size", []),
    ("How much money did customers of 华东一组 actually send us last month?", "collections", []),
    ("When a new opportunity gets opened, how many days on average till anyone first touches it — call, visit, whatever?",
     "response_time", []),
    ("How many concerns have placed business with us for the very first time this year?", "new_customers", []),
    ("How many tasks remain undone at present although the date by which they were due has already passed?",
     "overdue_tasks", []),
    ("Last quarter, which salesman won business of the greatest value in proportion to the sum he had been expected to "
     "bring in?", "target_attainment", ["rep"]),
    ("What fraction of the whole company's won business, since records began, has come from 华东?", "bookings", []),
    ("Kindly rank every one of our salesmen by the money actually received from their clients, the highest first.",
     "collections", ["rep"]),
    ("How about 能源电力 companies: out of the deals that got decided either way, what percent did we come out ahead on?",
     "win_rate", []),
    ("Which team wins the biggest slice of the deals that get decided? Just the top one.", "win_rate", ["team"]),
    ("Which industry has the best ratio of wins to deals decided either way? Top one.", "win_rate", ["industry"]),
    ("Company-wide this year: won deals as a % of won plus lost. Bottom line.", "win_rate", []),
    ("Company-wide win rate for 2026, all teams.", "win_rate", []),
    ("Walk me through the whole pipe: how many leads came in, how many turned into opportunities, how many got as far "
     "as a quote, and how many we won.", "conversion", []),
    # round 72 (English only)
    ("Of the opportunities each agent has opened, who ends up winning the smallest fraction?", "conversion", ["rep"]),
    ("The total value of all the deals we successfully signed during 2025, counted by the date they were closed as won?",
     "bookings", []),
    ("Could you please tell me which single salesperson logged the largest number of phone calls during October?",
     "activity_count", ["rep"]),
    ("Who rang customers the most times last month?", "activity_count", ["rep"]),
    ("Per team, this quarter: value of deals won so far as a % of the number they were set.", "target_attainment",
     ["team"]),
    ("On average, how many days from an opportunity being opened to someone first doing anything on it?",
     "response_time", []),
    ("How much marketing spend do we incur, on average, for each newly acquired customer?", "cac", []),
    ("When a deal that originated from a referral gets decided, how often does it go our way rather than being lost?",
     "win_rate", []),
    ("Broken down by where customers came from (trade shows, referrals, the website and so on), how much marketing "
     "money did we spend for each new customer won?", "cac", ["lead_source"]),  # examples, not filters
    # round 73 (English only)
    ("On average, what's a customer who's ever bought from us been worth in won deals over their whole time with us?",
     "clv", []),
    ("Averaged across every customer who has bought from us, roughly how much does each one end up signing with us in "
     "total over the relationship?", "clv", []),
    ("Which industry saw the greatest number of deals slip through our fingers last year?", "deals_lost", ["industry"]),
    ("How many deals did we miss out on in March, the ones that closed as a no?", "deals_lost", []),
    ("Which 3 reps sitting on the most to-dos that are past deadline and still open?", "overdue_tasks", ["rep"]),
    ("As of today, how many tasks remain open beyond their stipulated due date?", "overdue_tasks", []),
    ("This month (November) how many opportunities got keyed into the system?", "deals_created", []),
    ("What's the total value of every deal that's still open right now, nothing won or lost yet?", "open_pipeline", []),
    ("What's the total value of the deals 华东 still has on the go?", "open_pipeline", []),
    ("Per lead channel, how much marketing money did we burn for each account that came on board with its first win?",
     "cac", ["lead_source"]),
    ("Which rep has the lowest ratio of opportunities ultimately won to opportunities created, measured against every "
     "opportunity created rather than only those closed?", "conversion", ["rep"]),
    # round 74 (English only)
    ("Of all the opportunities each one has ever opened up, who ends up winnin' the smallest share of 'em?",
     "conversion", ["rep"]),  # the dropped g
    ("For July through September, which rep won the biggest percentage of the number they were expected to hit?",
     "target_attainment", ["rep"]),
    ("What's the grand total tied up in every deal that's still open and in play right now?", "open_pipeline", []),
    ("For each place our leads come from, out of the deals that got decided either way, what share did we win?",
     "win_rate", ["lead_source"]),
    ("Of every deal 赵磊 has had go to a yes or a no, what share did 赵磊 come out winnin'?", "win_rate", []),
    ("top 10 accts by total RMB of deals signed", "bookings", ["account"]),
    ("Name the three salesmen with the most tasks still outstanding past their due date.", "overdue_tasks", ["rep"]),
    ("Each team's value of deals won this quarter, set against the quarterly figure it was given. As a percentage.",
     "target_attainment", ["team"]),
    ("Last quarter: which single salesman won the most business relative to the figure set for him?",
     "target_attainment", ["rep"]),
    ("Year to date: what share of deals decided one way or the other did we carry?", "win_rate", []),
    ("how much cash actually landed from customers for 华东一组 last month?", "collections", []),
    ("Right now, how many tasks are still sitting open even though their due date has already passed?", "overdue_tasks",
     []),
    ("On average, how many days go by between a new opportunity being opened and the first time someone actually "
     "follows it up?", "response_time", []),
    ("What portion of everything the company has ever signed in won deals came from 华东?", "bookings", []),
    ("Could you please rank all of our reps by how much customers have paid in on their accounts?", "collections",
     ["rep"]),
    # round 75 (English only)
    ("Q3 2025, July to end o' September: of all t' deals that came to a yes or a no, what fraction did we win?",
     "win_rate", []),
    ("Retail customers — of every deal that's ended in a yes or a no, how many were yeses, as a percentage?", "win_rate",
     []),
    ("What is the mean amount of one won opportunity in region 华南?", "avg_deal_size", []),
    ("Name the 3 reps who have the highest number of open tasks with a due date already in the past.", "overdue_tasks",
     ["rep"]),
    ("At present, how many open tasks have passed their due date without being completed?", "overdue_tasks", []),
    ("Over the accounts with at least one won deal, what is the average of each account's summed won amount across its "
     "whole history?", "clv", []),
    ("Of every 华东 deal that hit a final call this quarter, won or lost, what cut did we actually walk away winning?",
     "win_rate", []),
    ("Cash that's actually landed this quarter from paying clients — break it out region by region.", "collections",
     ["region"]),
    ("Team by team, what percent of their quarterly number have they closed and won so far this quarter?",
     "target_attainment", ["team"]),
    ("Last month, how many deals did we get beat on and close out as dead?", "deals_lost", []),
    ("Back in 2025, which industry handed us the most deals that went the other guy's way?", "deals_lost", ["industry"]),
    ("Which 3 reps put the most W's on the board in 2025, by count?", "deals_won", ["rep"]),
    ("For which industry do we prevail in the largest share of the deals that reach a conclusion?", "win_rate",
     ["industry"]),
    ("For each place our deals come from, out of the deals that are done and dusted, what fraction did we win?",
     "win_rate", ["lead_source"]),
    ("In the 消费品 sector, what percentage of decided deals ended up as wins?", "win_rate", []),  # not a stage pair
    # round 76 (English only)
    ("Which 5 customers coughed up the most actual cash to us last month? Money in the bank, not promises.",
     "collections", ["account"]),
    ("How much cash actually landed in our account this quarter, broken out region by region?", "collections",
     ["region"]),
    ("Over a customer's whole life with us, how much won-deal money does the average paying account bring in?", "clv",
     []),
    ("Which salesperson has the poorest record of turning the opportunities they open into signed deals, counting every "
     "opportunity opened rather than only those already decided?", "conversion", ["rep"]),
    ("Which 3 reps have the most open to-dos that are past due?", "overdue_tasks", ["rep"]),
    ("How many deals went south on us last month?", "deals_lost", []),
    ("How many opportunities have the boys typed into the system this month?", "deals_created", []),
    ("Broken down by where each lead originally came from, what fraction of the deals that reached a win-or-loss "
     "outcome did we win?", "win_rate", ["lead_source"]),
    ("Out of every deal 赵磊 has taken to a final yes or no, what proportion came back a yes?", "win_rate", []),
    ("When 赵磊's deals get decided, how often does he come out the winner?", "win_rate", []),
    ("Of everything the company has closed as won, in value, how big is the slice of the region 华东?", "bookings", []),
    # round 77 (English only)
    ("Which rep has the poorest showing at turning the deals they open into signed business — smallest share of their "
     "opened deals ending up won?", "conversion", ["rep"]),
    ("Kindly check which sales executive is having the lowest percentage of all the opportunities he created (open ones "
     "also counting) finally ending up signed as won, and revert.", "conversion", ["rep"]),
    ("For each place our leads come in from, of the deals that ended either won or lost, what fraction did we win?",
     "win_rate", ["lead_source"]),
    ("When the deals that came via 转介绍 got decided, yes or no, how many in every hundred went our way?", "win_rate", []),
    ("What are the deals the whole firm has won this quarter worth altogether, every team included?", "bookings", []),
    ("What's the whole company's total value of won deals this quarter, all teams put together?", "bookings", []),
    ("Give me the 3 reps sitting on the most pending to-dos whose due date is already past.", "overdue_tasks", ["rep"]),
    ("Last month how many deals got closed out without us getting the order?", "deals_lost", []),
    ("Per account, how much won-deal value has it brought us in total all these years? Give the average across accounts "
     "that have won at least once.", "clv", []),
    ("Who was working the phones hardest last month? Which rep dialed up customers the most times in October?",
     "activity_count", ["rep"]),
    ("Which salesperson rang customers on the telephone most often during October?", "activity_count", ["rep"]),
    ("The open deals that are supposed to close this quarter, how many times over do they cover what the reps are on the "
     "hook for this quarter?", "pipeline_coverage", []),
    ("How much cash did customers actually pay in to 华东一组 last month? Money received, not deals signed.",
     "collections", []),
])
def test_english_described_readings(session: Session, q: str, metric: str, dims: list[str]) -> None:
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None and (plan.metric, plan.dimensions) == (metric, dims), q


@pytest.mark.parametrize(("q", "stages"), [
    ("What's the conversion rate from 方案报价 through to 谈判审批?", ("方案报价", "谈判审批")),
    ("Of the deals that reached the proposal-and-quote stage (方案报价), what proportion went on to reach negotiation and "
     "approval (谈判审批)?", ("方案报价", "谈判审批")),
    ("Of the leads that came in this year, what percentage turned into opportunities?", ("线索", "商机")),
    ("This year, out of all the leads that came in the door, how many new opportunities did we open up, as a ratio of "
     "opportunities to leads?", ("线索", "商机")),
    ("Leads that came in this year vs. opportunities opened this year — what's the ratio, as a %?", ("线索", "商机")),
    ("Of the enquiries received this year, what proportion went on to become proper opportunities?", ("线索", "商机")),
    ("This year, leads in versus opportunities opened — what fraction made the jump?", ("线索", "商机")),
    ("Of the opportunities that made it to 方案报价, I'm wondering what share carried on to reach 谈判审批?",
     ("方案报价", "谈判审批")),
    ("of the deals that made it to 方案报价, what % went on to reach 谈判审批?", ("方案报价", "谈判审批")),
    ("YTD: # of opps opened vs # of leads that came in, as a %?", ("线索", "商机")),  # either order, one pair
    ("Of the opportunities which reached stage 方案报价, which fraction went on to reach stage 谈判审批 too?",
     ("方案报价", "谈判审批")),
    ("Of the deals that made it to 方案报价, what share pushed on through to 谈判审批?", ("方案报价", "谈判审批")),
    ("Of the leads that came in this year, what % ended up as an opportunity?", ("线索", "商机")),
    ("Conversion rate, stage 方案报价 to stage 谈判审批.", ("方案报价", "谈判审批")),
    ("This year, for every lead that came through the door, how many proper opportunities did we create? Give it to me "
     "as a ratio, please.", ("线索", "商机")),
    ("For this year, how many opportunities did we open compared to the number of leads that came in, as a percentage?",
     ("线索", "商机")),
    ("This year, what share of the leads that came in did we turn into real opportunities?", ("线索", "商机")),
    ("For calendar year 2026, what is the number of opportunities created expressed as a proportion of the number of "
     "leads created?", ("线索", "商机")),
    ("This year, how many new opportunities did we open relative to the number of leads that came in, as a percentage?",
     ("线索", "商机")),
    ("This year, for all the leads that came in, how many new opportunities did we open relative to that - what's the "
     "ratio?", ("线索", "商机")),
])
def test_stage_pairs_said_in_english(session: Session, q: str, stages: tuple[str, str]) -> None:
    """A pair named backwards first ('a ratio of opportunities to leads') does not hide the pair named forwards."""
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None and (plan.metric, plan.stages) == ("conversion", stages), q


def test_a_win_share_of_decided_deals_is_no_stage_pair(session: Session) -> None:
    plan = parse(session, ADMIN, "Of Anna's deals that have been decided, how many did she win, as a percentage?",
                 TODAY).plan
    assert plan is not None and (plan.metric, plan.stages) == ("win_rate", None)


def test_an_english_question_naming_the_chinese_stages_is_answered_in_english(session: Session) -> None:
    parsed = parse(session, ADMIN, "Of the deals that made it to 方案报价, what share carried on to reach 谈判审批?", TODAY)
    assert parsed.language == "en"
    assert parse(session, ADMIN, "方案报价到谈判审批的转化率", TODAY).language == "zh"
    assert parse(session, ADMIN, "线索→商机→报价→成交", TODAY).language == "zh"  # no English words: stays Chinese
