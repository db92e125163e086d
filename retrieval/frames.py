"""A metric described by its parts, read when no metric phrase or synonym names it.

People who avoid the jargon still say the same few things: what happened to the deals (won, lost, still open,
newly created, decided either way), what is measured (money, a count, an average per deal, a share of another
set of deals, the days between two events) and sometimes against what (a target, a forecast, marketing spend,
the first contact, all customers). `frame_metric` reads those parts anywhere in the question and composes the
catalog metric they describe: '签下来的单子金额' is bookings, '关掉的单子里赢的占多少percent' the win rate, 'deals
closed without success, how many' the lost count. It needs a state and a measure (or a named comparison base), so
a question with neither stays a refusal. `refine` completes a part that a phrase pattern or synonym found: a sum
set against a target is attainment, money asked of won deals is bookings, a share won of the deals decided is the
win rate, a lifetime average per customer is CLV. A per-metric gate decides whether the frame is read at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.outcomes import two_outcomes
from retrieval.rx_fast import compile_fast

_NOT = r"(?:没有?|未|没能|不曾)能?"
# the states, in the order they are read; each match is blanked before the next state is looked for, so
# '没赢也没丢' is open (not won, not lost) and '没拿下' is lost (not won)
_OPEN = (r"还在跟(?:进)?(?:中)?[、，,]?\s?(?:还)?没(?:有)?签(?:下来)?|(?:还|仍|都)?(?:没有?|未)\s?(?:closed|close|won|signed|decided)\b|预计(?:[^，,。？?实金]{0,6}?内)?(?:能|会|可以)?(?:签|成交|赢|落地)(?:下来)?(?=的)|(?:还|都|仍)?没有?(?:签|赢|成交?)(?:下来)?[也又]没有?(?:丢|输|黄)(?:掉)?|\bnot got and not lost\b|\bstill going\b|没签也没[丢输]|还在谈着|悬而未决|\bup in the air\b|\bin course\b|\bnot (?:yet )?(?:won|signed) nor lost\b|还?(?:没有?|冇)谈完|还挂着|没签(?:下来?)?也没黄|还?没有?赢也没有?[丢输]|还?没有?[丢输]也没有?赢|预计[^，,。？?]{0,8}?(?:成交|签约|签单|关单|结单|落袋)(?:日期|时间)?|(?:还|尚)(?:没有?|未)(?:签|拿下|成交|谈成|赢)|"
         r"既未[^，,。？?）)]{1,8}?[亦也]未[^，,。？?）)]{1,6}?(?=[的，,。？?）)]|$)|没有?(?:分出?|定|见|出)(?:输赢|结果|分晓|胜负|结论)|在制|[仍还]在推进|推进中|[仍还]在进行|"
         r"尚未关闭|还在跟|在跟进?|跟进中|还开着|(?<!没)开着|还没有?(?:关|结|定|出结果|分出?输赢)(?:输赢|结果|分晓|掉|了)?|没关|未关|未结|在谈|进行中|在途|没赢也没[丢输]|没[丢输]也没赢|"
         r"既没[^，,。？?]{1,8}?也没[^，,。？?]{1,6}?(?=的|[，,。？?]|$)|未成交|\bneither (?:won|signed|closed|awarded) nor lost\b|"
         r"\bstill deciding\b|\b(?:still[- ])?unresolved\b|\b(?:still )?undecided\b|\bnot (?:yet )?(?:won|signed) or lost\b|"
         r"\bnot (?:yet )?decided\b|\bstill (?:open|active|in play|alive|live|being worked|in discussion|under discussion|being negotiated)\b|\bon the go\b|(?<!\bthey )(?<!\bwe )(?<!\bhe )(?<!\bshe )(?<!\byou )\bopen\b|"
         r"\bin[- ]progress\b|\bnot (?:yet )?closed\b|\bactive (?:deals|opps|opportunities)\b")
_LOST = (rf"\bwent (?:the other (?:guy|side|team|party)'s way|the other way)\b|\b(?:went|go|goes|gone|going) south\b|\b(?:get|got|gets|getting) beat(?:en)?\b|\bclose(?:d)? out as dead\b|\bwithout (?:us )?(?:getting|winning|landing|making) the (?:sale|deal|business)\b|\bended in failure\b|\bdid(?: not|n\'t) choose us\b|\bslip(?:ped|s|ping)? through (?:our|the) fingers\b|\bmiss(?:ed)? out on\b|\bclosed as a no\b|\bmarked (?:as )?dead\b|\b(?:turning|turns|turn) us down\b|\btell(?:ing|s)? us no\b|\bwent belly[- ]up\b|\bgo(?:ne)? belly[- ]up\b|\b(?:closed|ended|finished) without (?:a |any )?(?:signed |signature|signing|win|sale|deal)\w*(?: contract)?\b|\b(?:closed|ended|finished)(?: out)? without (?:us|me|them|our team) (?:getting|winning|signing|landing)\b|\bfell by the wayside\b|\bfall(?:en|s)? by the wayside\b|泡汤|(?<![大蛋])黄(?:了)?的(?=单|商机|项目|生意)|\bsa(?:id|ying|ys|y) no\b|\bturned us down\b|\bnot won\b|\bwithout (?:us |me |them )?winning\b|\bwither(?:ed|ing|s)?\b|\b(?:deals? )?died\b|\bdead deals?\b|跑掉|跑了的|溜走|\b(?:got|get|gets|getting|let (?:\w+ )?(?:get|swim|slip)) away\b|\bswim away\b|\bf[ae]ll(?:s|ing|en)? (?:apart|out)\b|\bfail(?:ed|ing|s)? to (?:get|win|receive|take|land) the (?:order|contract)\b|\blost the (?:order|contract)\b|(?<![关丢输])掉了?(?=[几多少]*[个件]?单)|(?<![关丢输])掉的单|谈崩|黄掉|流标|丢标|(?<!除)以(?:失败|输)(?:关闭|告终|结束)?|结果(?:为|是)输|"
         rf"{_NOT}(?:中标|拿下|签下来?|签成|签约|赢下?来?|谈成|成交|做成|成功)|丢|输(?![入出])|失败|黄了|告吹|"
         r"\b(?:lost|lose|losing|loss|losses)\b|\bnot (?:been )?awarded\b|\b(?:in|with) a loss\b|"
         r"\bwithout (?:success|(?:getting )?(?:a|the) (?:sale|signature|win)|the customer (?:signing|buying))\b|\bunsuccessful(?:ly)?\b|"
         r"\bslip(?:ped|s)? away\b|\bwalk(?:ed|s)? away\b|\bpass(?:ed|ing)? on us\b|\bwent elsewhere\b|\bdropped out\b|"
         r"\b(?:fell|fall|falls|falling|fallen) through\b|\b(?:go|goes|going|gone|went|turned|turn) against us\b|\b(?:did not|didn't|did n't) win\b|\bturned (?:\w+ ){0,2}down\b|\bended without\b|\bclosed[- ]lost\b|\b(?:did not|didn't|never) (?:buy|sign)\b")
_WON = (r"\bseal(?:ed|s|ing)?\b|\b(?:come|comes|came|coming) out (?:the|a) winner\b|\bc(?:a|o)me back (?:a|as a) yes\b|\b(?:come|comes|came|coming) out winning\b|\b(?:did|do|does) (?:we|they|he|she|it) carry\b|\b(?:come|comes|came|coming) out ahead\b|\b(?:brought|bring|brings|bringing) home\b|\bplaced (?:business|(?:an |their |its )?orders?)\b|\bover the line\b|\b(?:gone|went|go|going) our way\b|签给(?:我们|我司|咱们|咱)|\bwere (?:yes(?:es)?|a yes)\b|\byeses\b|\b(?:end|ends|ended|ending) up winning\b|\b(?:come|comes|came) out on top\b|签(?=(?:的|了)?钱)|\b(?:the )?(?:deals|ones|orders) (?:we|they|he|she) got\b|\b(?:did|do) (?:we|they|he|she) get\b|\bgetting them\b|\b(?:ended|ending|end|closed|closing) (?:up )?(?:in|with) a signature\b|(?<!收)到手(?=的(?!钱|款))|\bin the bag\b|\bbag(?:ged|s)?\b|\b(?:came|come|comes|coming) our way\b|\b(?:bore|borne|bear|bears|bearing|brought to) fruit\b|\bfruited\b|\bharvest(?:ed|ing)?\b|钓(?:上来|上岸|到|上)|上钩|\breel(?:ed|s|ing)? in\b|\bland\b|\bland (?:a|the|deals?)\b|"
        r"\bclosings\b|\bmade it (?:all the way )?to (?:the )?clos(?:e|ing)\b|打下来|打下(?=[了的几多一])|\bvictor(?:ious(?:ly)?|y|ies)\b|\bdid (?:we|they|he|she) take\b|\b(?:receiv(?:e|ed|es|ing)|took|take|takes|taking|got|get|gets|getting|won|win|wins|winning) the (?:order|contract)\b|中标|立项签约|(?<!除)以赢(?:关闭|告终|结束)?|结果(?:为|是)赢|拿(?:了|过|到)?(?=(?:几多|多少|几)?[张笔个]?单)|签(?:下|成|约|了|单|到|进|回|过|妥)|敲定|谈妥|拿下|"
        r"赢(?!单率)|成交(?![日时]期|时间|日\b)|谈成|做成|开单|落单|中标|搞定|买单|成功|\bclosed? (?:successfully|as won)\b|\bsuccessfully closed\b|"
        r"\bclosed[- ]won\b|\bwon\b|\bwinning (?:entries|deals?|bids?|contracts?|orders?)\b|\bwalk(?:ed)? away winning\b|\bprevail(?:ed|s)?\b|\bwins?\b|\bsigned\b|\blanded\b(?![^.?!]{0,20}\bfrom (?:paying )?(?:customers|clients|accounts))(?! in (?:our|the) (?:bank|account))|\bsuccessful(?:ly)?\b|\bbook(?:ed)?\b|"
        r"\boutcome (?:was|is) won\b|\b(?:got |get |were |was |been )?awarded\b|"
        r"\b(?:ended|end|ending) (?:in|with) a yes\b|\bin our favou?r\b|\bcame out on top\b|"
        r"\b(?:go|goes|going|went) our way\b|\bcame out (?:as )?a yes\b|\bchose to buy\b|"
        r"\b(?:buy|bought)(?: it)? from us\b|\bwent with us\b|\bsay(?:s|ing)? yes\b|\bsigned with\b|"
        r"\bsign(?:ed|ing|s)?\b")
_CREATED = (r"\b(?:keyed|typed|punched) (?:in|into)\b|录商机|录单|新?挂(?:进|上)(?:了)?(?:系统|crm|来)|建起来|新建|建立|新录|新登记|登记|新立|立了|新开|录入|录进|建出来|建了|新增|创建|新进|建单|\bcreation\b|开\s?(?:opportunit|商机)|\bcreate\b|"
            r"\bcreated\b|\bopened\b|\bstart(?:ed)? tracking\b|\b(?:first )?entered\b|\bregistered\b|\blogged\b|"
            r"\b(?:new|fresh) (?:opps?|opportunities|deals)\b|\b(?:they|we|he|she|you) (?:open|opens)\b|"
            r"\b(?:put|entered|added|logged) (?:in|into|to) (?:the )?(?:system|crm)\b|开了?(?=(?:多少|几)个?新(?:单|商机|机会))")
_DECIDED = (r"\ball the way to a (?:won[- ]or[- ]lost |final )?decision\b|\bwon[- ]or[- ]lost decision\b|\bfinali[sz]ed\b|\bdone and dusted\b|(?:有了?|已有|已经有)结局|定局|谈到[头底]|\bthrough to (?:a verdict|the end|a close)\b|见(?:了)?分晓|\bthrough to a (?:result|decision|conclusion)\b|"
            r"\b(?:reached|reach|reaches|got to|came to|come to) an? (?:final )?(?:decision|outcome|result|verdict|conclusion)\b|\b(?:taken|brought|carried|seen)(?: \w+)? (?:through )?to an? (?:final )?(?:decision|outcome|result|verdict|conclusion)\b|\b(?:ended|ending|ends|end) in a verdict\b|\breach(?:ed|es)? a verdict\b|(?:分|决)出(?:了)?(?:胜负|结果)|定了?胜负|关掉|关了|已关|关闭|有(?:了)?(?:明确|最终)?(?:的)?(?:结果|定论)|出(?:了)?结果|结果出来|已结|结案|结单|结束|定了输赢|已定输赢|已分输赢|谈完|有(?:了)?结论|赢的加上?输的|打完|打到最后|"
            r"\bclose\b(?!\s+(?:value|date|amount))|\bclosed\b|\bconcluded\b|\bended (?:one way|either way|in a decision)|"
            r"\bdecision either way\b|\bmade (?:a |their |the )?(?:final )?(?:call|decision)\b|"
            r"\bmade up (?:their|his|her) minds?\b|\bdecided one way or the other\b|\bfinal call\b|"
            r"\b(?:reached|got|get|gets|had|with|arrived (?:at|to)) a (?:final )?(?:decision|outcome|verdict)\b|\bfinal outcome\b|"
            r"\bone way or the other\b|\bfinal (?:yes or no|decision|answer)\b|\ba yes or (?:a )?no\b|\bdecided\b|"
            r"\bsettled\b|\bfinished\b")
# neither won nor lost, said with two negations: read before `NOT_LOST`, which would take its 'not lost' for won
NEITHER = compile_fast(r"\bnot (?:yet )?(?:won|signed),? (?:and|or|nor) not (?:yet )?lost(?: yet)?\b|\bnothing (?:yet )?(?:won|signed) or lost(?: yet)?\b|"
                     r"\b(?:ain't|isn't|aren't|not) (?:yet )?(?:won|signed) (?:or|nor|and) lost(?: yet)?\b")
# the open deals named as included ('including the open ones', 'still open ones counted'): in English the same words
# say 'all deals' and, for `refine`, that the share won is of all deals even where 'closed' is said too
_OPEN_INCLUDED_EN = (r"\bincluding (?:the )?(?:open|still open|ones still open)\b|\bopen ones (?:too|as well|included)\b|"
                     r"\bstill open ones\b|\b(?:counting|counted) (?:the ones )?still open\b")
_INCL_OPEN = (r"\brather than (?:just |only )?(?:those|the ones|the deals|the opportunities) (?:that )?(?:were |are |have been )?(?:already )?(?:closed|decided)\b|\b(?:open|still open)(?: and lost)? ones (?:stay|remain|are kept|count) in the denominator\b|\bwhether still (?:open|in progress) or closed\b|\bincl(?:uding|\.)?\s+(?:the\s+)?still[- ]open\b|连(?:同)?[^，,。？?]{0,8}?(?:都|也)算(?:上|埋|进去|在内)?|\b(?:still )?open ones? (?:also |too )?(?:count|included)|包括(?:还在跟|没关|未关|仍未|还没|还开着)|连同(?:还在跟|没关|未关)|\bnot (?:just|only) (?:the )?(?:closed|decided|finished)\b|"
              r"\bcounting every (?:one|opportunity|deal)\b|"
              + _OPEN_INCLUDED_EN)
_ALL_DEALS = (r"所有的?(?:商机|单子|机会)|全部的?(?:商机|单子|机会)|连同?(?:还在跟|没关|在跟|未关)|包括(?:还在跟|没关|在跟|未关)|"
              r"\ball (?:of )?(?:his|her|their|the|our|its) (?:opportunities|opps|deals)\b|\bevery opportunity\b|"
              r"\ball (?:the )?(?:opportunit(?:y|ies)|opps?|deals)(?: records)?\b|" + _OPEN_INCLUDED_EN)
_MONEY = (r"\btied up in\b|(?<![\d.,])[¥￥](?!\s?\d)|(?:打来|付来|汇来|转来|收到|打回来|汇回来|收回来|打过来|汇过来)的款|款子|打款|汇款|付款|\bhow (?:big|large|much)\b(?!\s*(?:percent|%|share|proportion|ratio|fraction|part|portion)\b)|到款|多少款|额|业绩|\bbookings\b|金额|多少钱|[几多]少?钱|钱|总额|价值|款项|货款|\d\s?w\b|"
          r"多少个?w\b|万|\$|\bdollars?\b|\bvalues?\b|\bworth\b|\bamounts?\b|\brevenue\b|\bmoney\b|\bcash\b|\bsum\b|"
          r"\bfetch(?:ed)?\b|\bticket(?: size)?\b|\b(?:come|comes|came) to\b(?! us\b| a (?:final )?(?:decision|outcome|result|conclusion|close|end|verdict)\b)|\bhaul\b|\bthe catch\b|\brmb\b|\bcny\b|\byuan\b|\bpayments?\b|\bbr(?:ing|ings|inging|ought) in\b|\beverything we (?:signed|booked|sold)\b|\b(?:go|goes|went) for\b")
# counts said in measure words (几件, 多少例, 几场, 单子数) and 'how many' (not of dollars or percent): both readings of a count
_TALLY = r"[几多少]+[件例户]|的基数|[几多]少?次(?=[^，,。？?]{0,10}(?:签|成交|赢|结案|事件))|单子数|[几多少]+场(?![景合])"
_HOW_MANY = r"\bhow many\b(?!\s+(?:dollars|bucks|euros|pounds|yuan|rmb|percent)\b)"
_COUNT = (r"数一数|数一下|数数看|(?:超过|过|不到|少于|多于|有没有)\s*\d+\s*(?:家|个|笔|单|条|次)|\b(?:fewer|more|less) than \d+ (?:deals|orders|contracts|customers|accounts)\b|" + _TALLY + r"|(?<![总金额])共有多少(?!钱)|多少个(?!\s?w(?![a-z]))|(?<!哪)几个|条数|[几多少]+条|记录数|[几多少]+单(?!价)|[几多少]+笔|个数|数量|单数|"
          r"[几多少]+张|(?<!哪)[几多少]+家|" + _HOW_MANY + r"|\bnumber of\b|#\s?of\b|(?<!only )(?<!just )\bcount\b|\bcounted by\b(?! (?:the )?(?:date|day|month|quarter|close|closing))|"
          r"\bcounting (?:the )?(?:deals|number|orders|contracts)\b|\bby (?:count|number)\b|"
          r"\b(?:most|fewest|more|fewer)\s+(?:(?!(?:from|of|in|on|for)\b)[\w-]+\s+)?(?:deals|events|wins|contracts)\b")
# money named only to rule it out ('by count not $', 'counting deals rather than their value', '不按金额')
_NOT_MONEY = (r"\bnot (?:by )?(?:the )?(?:\$|value\b|money\b|dollars?\b|amount\b)|"
              r"\brather than (?:by )?(?:their |the )?(?:\$|value\b|amount\b|money\b)|不(?:是|按|看)金额")
_RATIO = (r"\bwhat cut\b|\b(?:biggest|largest|smallest|bigger|larger|smaller) (?:chunk|slice|piece) of\b|\b(?:best|worst|poorest|weakest|strongest) (?:record|showing)\b|\bin every (?:ten|hundred|\d+)\b|\b(?:counting|counted|count)\s+(?:\w+\s+)?against\b|\bmost often (?=(?:once|when|after) (?:a |the )?(?:deal|opportunit))|\bportion\b|\bpercentage[- ]wise\b|\bproportionally\b|比重|\brelative to\b|占了?(?:多少|几)|比例|占比|几成|百分之|百分比|比率|比值|除以|巴仙|几分之几|每(?:一?百|十|10|100)(?:单|个|条|笔)?[^，,。？?]{0,10}?(?:几|多少)|\bout of every (?:ten|hundred|\d+)\b|超过一半|过半|不到一半|\b(?:more|less|fewer) than half\b|\b(?:over|under|at least) half\b|[几多]少?多?成|÷|\s/\s|"
          r"\)\s*/|\bdivided? by\b|\bwhat part\b|占[^，,。？?]{1,12}?的多少|\bpercent(?:age)?\b|%|\bfraction\b|\bproportion\b|\brate\b|\bratio\b|\bpart of\b|"
          r"\bsmallest part\b|(?<=-)part\b|\bthe\s+(?:win\s+)?part\b|\bwin part\b|\bshare\b")
_DIVIDED_BY_COUNT = (r"(?:divid(?:e|ed|ing)|÷)[^?]{0,40}\b(?:by )?(?:how many|(?:the )?(?:number|count) of)\b|"
                      r"除以[^，,。？?]{0,6}(?:单数|个数|数量|笔数|件数)")
_AVG = _DIVIDED_BY_COUNT + r"|平均|\bin average\b|\baveraged?\b|\bavg\b|\bmean\b|\btypical\b|\bon average\b"
_PER_DEAL = (_DIVIDED_BY_COUNT + r"|金额的?(?:算术)?平均|(?:算术)?平均金额|\bmean of the amounts?\b|\baverage of the amounts?\b|"
             r"\bone\s+(?:[\w-]+\s+){0,3}?(?:deal|opportunity|order|contract)\b|\bone of (?:our|the|their|his|her) (?:[\w-]+\s+){0,2}?(?:deals|contracts|orders)\b|\b(?:what|how much) (?:does|did|would) (?:one|each one|a single one) (?:come to|amount to|work out (?:to|at)|bring(?: in)?)\b|\b(?:typical|average) ticket\b|\ba\s+(?:[\w-]+\s+){0,3}?(?:contract|record|deal|order)\b|"
             r"\bper\s+(?:[\w-]+\s+){0,3}?(?:record|opportunity|deal|contract|order)\b|"
             r"\b(?:avg|mean|average)\s*\(\s*(?:won\s+|close\s+|deal\s+)?(?:amount|value)|\bthe deal on average\b|"
             r"\b(?:mean|average|avg)\s+(?:won\s+)?(?:deal|project|contract|order|opportunity)\s+(?:amount|size|value)\b|"
             r"\ban\s+(?:[\w-]+\s+){0,3}?project\b|平均\s*\(\s*金额|每一?[张笔单条件]|一[张笔单件]|\bper (?:deal|order|sale|contract)\b|"
             r"\beach\s+(?:[\w-]+\s+){0,3}?(?:deal|order|sale|contract)\b|\ba (?:deal|order)\b")
_RECEIVED = (r"收进账|[俾畀]钱|收(?:咗|了)[^，,。？?]{0,6}钱|(?:往|向)?(?:咱|我们|我司|咱们)?的?账上打钱|打(?:过|了)?[^，,。？?]{0,4}钱\s*(?:俾|给|过来|进来)|付返|付回|收进来|打[到进][账帐]|付入|存入|入账|账上的款|\bpayments?\b|收回来|[付汇打]款进来|到款|打来[^，,。？?]{0,4}款|"
             r"[打付汇转]钱给(?:我们|你们|我司|阿拉)|[汇打转]进来|收到|到账|进账|[付打汇转]进来|[打汇收]回来|打到[^，,。？?]{0,8}账|(?:付|打|汇|转)给(?:我们|你们|我司|贵司)|"
             r"付了(?:我们|你们)|\b(?:customers?|clients?|accounts?|buyers?) (?:\w+ ){0,2}(?:pay|pays|paid|paying)\b|\b(?:collected|received|receive|receives|came in|paid (?:us|in|to us)|pay in|pays in)\b|\bpaid\b.{0,30}\binto our (?:account|bank)\b|\b(?:hit|hits|hitting|landed in|reached) (?:the|our) (?:bank|account)\b|\blanded in (?:our|the) (?:bank )?account\b|\bcough(?:ed|s)? up\b|\bmoney in the bank\b|\blanded\b[^.?!]{0,20}\bfrom (?:paying )?(?:customers|clients|accounts)\b|\b(?:send|sent|sends|sending|wire|wired|remit|remitted) us\b")
_PAID = r"\bpayments?\b|\bpaid\b|\bcash\b|付款|打款|到账"  # money paid, as opposed to money signed
_BOOKINGS_NAMED = compile_fast(r"\bbookings?\b|成交额|销售额|签约额|签单额")
_TARGET = r"\bon the hook for\b|\b(?:their|his|her|its) (?:quarterly|monthly|annual|yearly) (?:number|figure)\b|\b(?:expected|supposed|meant|required) to (?:bring in|hit|reach|make)\b|\bthe (?:number|figure|amount|target) set for (?:him|her|them|it)\b|\b(?:assigned|allotted) (?:number|figure)\b|\b(?:number|figure) (?:they|he|she|it) (?:were|was) (?:assigned|given|handed|set)\b|(?<!\btaking the )(?<!\btake the )(?<!\btook the )(?<!\btaken the )\bobjectives?\b(?! taken)|(?:季|月|年|季度|全年|各自|自己|自个儿|本人|个人)的?任务(?:数|量|额)?|任务量|指标|目标|任务额|配额|\btargets?\b|\bquotas?\b|\bgoals?\b"
_FORECAST = r"估得?准|(?:事先|提前)估的?|预估|预测|预计[^，,。？?]{0,4}签|估计|报上来|\bforecast\w*\b|\bprojected\b|\bpredicted\b|\bahead of time\b|\bin advance\b"
_ACTUAL = r"\breal(?:ly)?\b|实际|最后|\bactual(?:ly)?\b|\bin the end\b"
_SPEND = (r"(?:行销|营销|市场)(?:预算|费用|开支)|烧(?:掉|了)?[^，,。？?]{0,6}(?:钱|费用|预算|弹药)|(?:市场|推广|营销|行销)[^，,。？?]{0,4}(?:上|里)[^，,。？?]{0,3}的钱|推广(?:花费|开销|花的钱)|市场花费|市场的?费|市场投放|投放花费|市场上?花的钱|花在市场上|市场(?:推广)?费用?|推广费|营销费|市场投入|营销投入|\bmarketing\b|"
          r"\bacquisition (?:spend|cost)\b|(?:花|砸|投|使|烧)(?:掉|了)?(?:我们)?(?:多少|好多|几多)[^，,。？?]{0,6}(?:钱|费用)|"
          r"\bcosts? (?:us )?(?:to (?:win|land|get|acquire))?\b|\bspend\b")
_NEW_CUSTOMER = (r"\b(?:its|their|a) first win\b|\bcame on board\b|\bnewly (?:acquired|won|signed|landed|added) (?:customers?|clients?|accounts?)\b|\bfirst[- ]time (?:buying |paying )?(?:accounts?|customers?|buyers?|clients?)\b|\bnever (?:bought|purchased) from us before\b|\b(?:land|win|get|acquire|rope in) each new one\b|首单(?:的)?客户|首个已?赢(?:的)?单|第一次有单子?以?已?赢|新客(?!户)|新(?:的|开单的|签的|拉来的|来的)?[^，,。？?]{0,6}?(?:客户|公司|企业)|第一次[^，,。？?]{0,10}(?:签|买|成交|下单)|"
                 r"头一?回[^，,。？?]{0,10}(?:签|买|成交|下单|上钩)|首笔[^，,。？?]{0,6}(?:签|赢|成交)|第一次[^，,。？?]{0,10}上钩|第一笔[^，,。？?]{0,4}(?:赢|签|成交)|首次出现赢单|首次[^，,。？?]{0,10}(?:签|买|成交|下单)|"
                 r"新\s?customers?|\bthe first time(?: ever)?\b|新\s?logos?|\bnew logos?\b|\bfor the (?:very )?(?:first|1st) time\b|"
                 r"\bnew (?:paying )?(?:customers?|clients?|accounts?)\b|"
                 r"\bfirst[- ](?:ever )?(?:won )?(?:deal|order|purchase|opportunity)\b|\bfirst won\b")
_CUSTOMERS = r"客户|公司|企业|买家|\bfirms\b|\bconcerns\b|\bcustomers?\b|\bclients?\b|\baccounts?\b|\bcompanies\b"
_FIRST_CONTACT = (r"(?:第一次|首次|头一回|头一次)[^，,。？?]{0,10}(?:跟|联系|联络|碰面|接触|接洽|往来|打电话|拜访|见)|"
                  r"\bfirst (?:\w+ ){0,4}(?:contact|touch(?:es|ed|ing)?|call|visit|activity|follow(?:s|ed|ing)?[- ]?up|follow(?:s|ed|ing)? (?:it|them) up|reach(?:ed|ing|es)? out|(?:doing|does|did|do) (?:anything|something))\b")
_DAYS = r"好多天|按天|天数|几天|多少天|多久|多长时间|几日|多少日|\bdays?\b|\bhow long\b"
_ACTIVITY = (r"\bon the (?:blower|phone)\b|\bworking the phones\b|\bdial(?:ed|led|s|ing)?(?: up)?\b|\btelephone\b|\bin person\b|\bface[- ]to[- ]face\b|\b(?:go|goes|went|going|gone) out (?:and|to) (?:see|meet|visit)\b|\b(?:see|saw|seen|meet|met) (?:customers|clients|accounts) in person\b|客户现场|跑了?[^，,。？?]{0,4}趟|跟进活动|活动记录|\bactivit(?:y|ies)\b|拜访|上门|见面|见了?客户|打电话|通话|电话|开会|\bvisit(?:s|ed)?\b|"
             r"\bcalls?\b|\bcalled\b|\bphoned?\b|\bmeetings?\b|\bmet with\b")
# a count asked outright (not 'which five', '哪几家': those rank)
_COUNT_ASKED = (r"[几多少]+张单?|" + _TALLY + r"|条数|[几多少]+条|笔数|[几多少]+笔|单数|[几多少]+单(?!价)|个数|数量|" + _HOW_MANY + r"|\bnumber of\b")
_DEALS = (r"商机|机会|单|记录|项目|\bprojects?\b|\bopportunit(?:y|ies)\b|\bdeals?\b|\bopps?\b|\borders?\b|\bcontracts?\b|"
          r"\brecords?\b")
_SHARE_OF_WHOLE = r"占(?:了)?(?:全|总|整)|\bof (?:the )?(?:total|whole)\b|\battributable\b|\bcome[s]? from\b"
_SUM = r"\ball told\b|\baggregate\b|\ball together\b|\baltogether\b|\bin all\b|合计|加起来|加一起|加上|共值|值多少|总共|一共|\btotal\b|\bsum(?:med|ming)?\b|\badd(?:ed)? up\b"
_POPULATION = (r"(?:几成|[几多]少?多?成|多少比例|百分之几|百分之多少)的?客户|(?:客户|户头)(?:户头|名单)?(?:里面?|中|当中)|[全所]部?有?的?客户(?:总数|数)?|客户总(?:家)?数|"
               r"\bof all (?:our |the )?(?:accounts|customers)\b|"
               r"\b(?:of|among|from) (?:all )?(?:the |our |its |their )?(?:customers|accounts|clients)\b|"
               r"\b(?:of|among|from) (?:all )?(?:the |our |its |their )?(?:client|customer) accounts\b")
_LIFETIME = r"\bover (?:their|its|the) (?:whole|entire) history\b|\bever signed with us\b|\b(?:has|have) bought from us at least once\b|\bspent with us\b|\bover (?:their|its|the) (?:whole|entire) relationship\b|\b(?:bought|purchased) from us\b|从开始合作(?:到现在|至今|以来)|合作以来|全部累加|累加起来|从(?:一?开始|头|第一天)到现在|前前后后|历来|\bsince (?:they|we) started\b|累计|\bcumulative\b|\blifetime\b|\bover the (?:whole|entire) relationship\b|\bover (?:the|their|its) (?:whole |entire )?(?:time|relationship) with us\b|\bover the relationship\b|\ball these years\b|\bover (?:a|the|their|its) (?:customer's |client's |account's )?whole life with us\b|\bacross (?:its|their) (?:whole|entire) history\b"
_OVERDUE = (r"\bstill pending\b|\b(?:open|pending) to-?dos?\b|\bpending tasks?\b|\bto-?dos?\b.{0,40}\bstill open\b|\btasks?\b.{0,20}\bremain open\b|\b(?:remain|remains|remaining|still|left) undone\b|\b(?:unfinished|incomplete|uncompleted)\b|\bnot (?:yet )?(?:realized|realised|done|completed|finished)\b|\btasks?\b.{0,30}\bstill (?:\w+ )?open\b|(?:未|没有?|尚未|仍未)(?:完成|做完|办完|搞定|弄完|干完|关掉|关闭)|\bnot (?:yet )?(?:done|completed|finished)\b|\bopen tasks?\b")
_PAST_DUE = (r"\bdue[- ]?date (?:is |has |was )?(?:already )?crossed\b|到了?日子|过了日子|\b(?:already )?passed (?:the|their|its) due[- ]?date\b|\bdue[- ]?date (?:already )?in the past\b|(?:截止|到期)(?:日期|时间|日)?(?:已经|已)?过去|不是还?没(?:到期|过期)|\bdue\s*<\s*(?:今天|today)|\bdue[- ]?date (?:is |has |was )?(?:already )?(?:passed|past|gone)\b|(?:截止日期|due(?: date)?)\s*<\s*(?:今天|today)|(?:过了|超过了?|已过)(?:截止|到期)|到期了|"
             r"(?:截止|到期)(?:日期|时间|日)?.{0,6}(?:早于|过了|已过|超过)|\b(?:past|before|beyond|over) (?:the |their |its )?(?:stipulated |agreed |set )?(?:due|deadlines?)|\bpast[- ]due\b|"
             r"\bdue (?:date )?(?:before|earlier than) today\b|\b(?:were|was) due (?:has|have) (?:already )?(?:passed|gone by|elapsed)\b")
# 'how often do we win', 'which industry do we win in most often, of the deals won or lost': a rate, read before the
# states are blanked (the words after it are states)
_OFTEN = compile_fast(r"\bhow often\b(?=[^?.!]{0,60}\b(?:wins?|won|winning|winner|on top|our way|ahead)\b|[^?.!]{0,60}\b(?:decided|won or lost|won vs\.? lost|either way)\b)|"
                    r"\b(?:most|least) often\b(?=[^?!]{0,60}\b(?:decided|won or lost|won vs\.? lost|either way)\b)")
# 'won business', 'the business we have won': the money of won deals (read before the states are blanked)
_BUSINESS = compile_fast(r"(?<!\binto )\b(?:won|signed|closed|booked) business\b|\bwon (?:the )?(?:most|more|less|least) business\b|\beverything (?:the company|we|they) (?:has |have )?(?:ever )?(?:signed|booked|sold|won)\b|\bbusiness (?:we|he|she|they) (?:have |has |had )?(?:won|signed|closed|booked)\b")
_AT_LEAST_ONE = compile_fast(r"\bat least one\b|至少(?:有)?一")
_TIMES = r"倍|\btimes\b|\bmultiple\b"
_SPAN = compile_fast(r"周期|\bcycle\b|(?:从|由)[^，,。？?]{1,8}到|\bfrom\b.{1,40}\bto\b|\bbetween\b")  # days from one event to another
_ATTAINED = compile_fast(r"完成|达成|达到|比|\bagainst\b|\bvs\b|\bversus\b|\bcompared\b|\bhit\b|\breach")


_COUNT_FN = compile_fast(r"\bcount\s*\((?![^)]*\b(?:amount|value)\b)")
# a negated loss or a negated 'open' ('deals that weren't lost or left open', 'not lost', 不是输掉的, 没丢掉的,
# 不是没签下来的) names the deals won; a negated 'undecided' ('weren't left undecided', 除了还没关的以外) the deals decided
_NOT_LOST = (
    r"不是(?:被)?(?:输掉|输|丢掉|丢|黄了?)的|(?<![也都又])没(?:有)?(?:输|丢)(?:掉)?的|不是没(?:有)?(?:签下来?|拿下|签成|赢下?|成交)的?|"
    r"不是从没(?:签|买|成交)过|\bdidn't (?:we|they|he|she|you) lose\b|"
    r"\bnot counting (?:anything|any(?: deals?)?|those|the ones|deals) (?:that (?:was|were) )?lost or (?:never closed|still open|open)\b|"
    r"\b(?:not|never|weren't|wasn't|didn't|did not|were not|was not)\s+(?:end up\s+|ending\s+)?(?:lose|lost|losses|losing)\b"
    r"(?:\s+(?:or|and)\s+(?:weren't\s+|were not\s+)?(?:still\s+|left\s+)?(?:hanging\s+)?(?:open|undecided))?|"
    r"\b(?:closed[- ]and[- ]not[- ]lost|without losing(?: them)?|that weren't losses|not lost)\b")
NOT_LOST = compile_fast(_NOT_LOST)
_EITHER_WAY = compile_fast(r"\bno matter (?:whether|if)\b[^,?]{0,40}|不管(?:输赢|赢没赢|有没有(?:赢|签下)|签没签成?|成没成)")
NOT_OPEN = compile_fast(r"\b(?:came|come|comes|ended|ending|end|got|get|gets|went|go|goes|hit|taken to|taken) (?:to |in |with )?a (?:final )?yes or (?:a )?no\b|\b(?:weren't|were not|wasn't|was not|not) (?:left )?(?:undecided|open)\b|"
                      r"除了?(?:那些)?(?:还)?(?:没关|未关|没结|没定)的?(?:以外|之外)?")
# 'closed or fell through', 'closed instead of falling out': set against a loss, closing is winning (a property sale)
_CLOSED_AS_WON = compile_fast(r"\bclos(?:ed|ing|e)\b(?=\s+(?:or|instead|rather|versus|vs|to deals|plus)\b)|\b(?:actually|really|finally) clos(?:ed|e)\b")
INCL_OPEN, OPEN, LOST, WON, CREATED, DECIDED, ALL_DEALS = map(compile_fast, (_INCL_OPEN, _OPEN, _LOST, _WON, _CREATED, _DECIDED,
                                                                       _ALL_DEALS))
MONEY, COUNT, RATIO, AVG, PER_DEAL, NOT_MONEY = map(compile_fast, (_MONEY, _COUNT, _RATIO, _AVG, _PER_DEAL, _NOT_MONEY))
# Python's \b sees no boundary between a Latin word and a Chinese character ('多少percent', 'marketing钱'): the
# frame is read on a copy with a space between the two scripts
_SCRIPTS = compile_fast(r"(?<=[\u4e00-\u9fff])(?=[a-z0-9$%#])|(?<=[a-z0-9$%#])(?=[\u4e00-\u9fff])")
_CYCLE_END = compile_fast(r"赢单|成交|签|拿下|\bwon\b|\bwin\b|\bclos|\bsign")
RECEIVED, TARGET, FORECAST, ACTUAL, SPEND = map(compile_fast, (_RECEIVED, _TARGET, _FORECAST, _ACTUAL, _SPEND))
PAID = compile_fast(_PAID)
NEW_CUSTOMER, CUSTOMERS, FIRST_CONTACT, DAYS, TIMES = map(compile_fast, (_NEW_CUSTOMER, _CUSTOMERS, _FIRST_CONTACT, _DAYS, _TIMES))
SUM, POPULATION, LIFETIME, OVERDUE, PAST_DUE = map(compile_fast, (_SUM, _POPULATION, _LIFETIME, _OVERDUE, _PAST_DUE))
COUNT_ASKED, DEALS, SHARE_OF_WHOLE = map(re.compile, (_COUNT_ASKED, _DEALS, _SHARE_OF_WHOLE))
ACTIVITY, TIMES_DONE = compile_fast(_ACTIVITY), compile_fast(r"\bmost times\b|\bmost often\b|最勤|最频繁|[几多少]+通|通数|条数|记录|\bcount\b|\brecords\b|次数|[几多少]+次|[几多少]+回|[几多少]+趟|\bhow many times\b|\bhow (?:many|often)\b|\bnumber of\b")


@dataclass(frozen=True)
class Frame:
    """The parts of a described metric found in one question."""
    open: bool
    lost: bool
    won: bool
    created: bool
    decided: bool
    all_deals: bool
    incl_open: bool
    money: bool
    count: bool
    ratio: bool
    avg: bool
    per_deal: bool


def _take(rx: re.Pattern[str], text: str) -> tuple[bool, str]:
    """Whether `rx` occurs, and the text with its matches blanked (each word counts for one state only)."""
    hits = list(rx.finditer(text))
    for m in hits:
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return bool(hits), text


def read(text: str) -> Frame:
    """The frame of a normalised question."""
    return _read(_SCRIPTS.sub(" ", text))


def _read(text: str) -> Frame:
    """The frame of a question already spaced between scripts (`_SCRIPTS`)."""
    text = NOT_MONEY.sub(lambda m: " " * len(m.group(0)), text)
    often = bool(_OFTEN.search(text))
    business = bool(_BUSINESS.search(text))
    text = _EITHER_WAY.sub(lambda m: " " * len(m.group(0)), text)  # 'no matter whether they were later lost or not'
    incl_open = bool(INCL_OPEN.search(text))
    all_deals, text = _take(ALL_DEALS, text)
    neither, text = _take(NEITHER, text)
    not_lost, text = _take(NOT_LOST, text)  # 'not lost', 不是输掉的, 不是没签下来的: won, of the deals decided
    not_open, text = _take(NOT_OPEN, text)  # "weren't left undecided", 除了还没关的以外: decided
    is_open, text = _take(OPEN, text)
    is_open = is_open or neither
    lost, text = _take(LOST, text)
    won_word, text = _take(WON, text)
    won = not_lost or won_word
    if lost and not won and (closed := _CLOSED_AS_WON.search(text)):
        won, text = True, text[: closed.start()] + " " * len(closed.group(0)) + text[closed.end():]
    decided, text = _take(DECIDED, text)
    decided = decided or not_open or not_lost
    created, text = _take(CREATED, text)
    money = (business or bool(MONEY.search(text))) and not _COUNT_FN.search(text)  # 'count(… "lost" …), what does that come to'
    ratio = often or bool(RATIO.search(text))
    if decided and money and not (won or lost or is_open) and not ratio:
        won = True  # 'the average dollar value of a deal we closed': money is only asked of deals won
    return Frame(open=is_open, lost=lost, won=won, created=created, decided=decided, all_deals=all_deals, incl_open=incl_open,
                 money=money, count=bool(COUNT.search(text)), ratio=ratio,
                 avg=bool(AVG.search(text)), per_deal=bool(PER_DEAL.search(text)))


def _compared(text: str, f: Frame) -> str | None:
    """Metrics that name what they set a part against: a target, a forecast, marketing spend, the first contact,
    or the day a deal was opened (a cycle)."""
    if FORECAST.search(text) and ACTUAL.search(text) and (f.won or f.money):
        return "forecast_accuracy"
    if TARGET.search(text):
        if f.open and (TIMES.search(text) or f.money):
            return "pipeline_coverage"
        if f.won or f.money or f.ratio:
            return "target_attainment"
    if SPEND.search(text) and NEW_CUSTOMER.search(text):
        return "cac"
    if FIRST_CONTACT.search(text) and DAYS.search(text):
        return "response_time"
    if DAYS.search(text) and f.avg and f.won and (f.created or f.open or _SPAN.search(text)):
        return "avg_sales_cycle"  # 'how many days on average between a deal being opened and the day it is won'
    return None


def _penetration_asked(text: str) -> bool:
    """'Of all the customer accounts, what fraction have at least one deal closed and won': a share of the customers,
    whatever the deals' states say (a text already spaced between scripts)."""
    return bool(_AT_LEAST_ONE.search(text) and POPULATION.search(text))


def frame_metric(text: str) -> str | None:
    """The catalog metric the question describes by its parts, or None."""
    text = _SCRIPTS.sub(" ", text)
    f = _read(text)
    if named := _compared(text, f):
        return named
    if not f.money and two_outcomes(text):
        return "win_rate"  # X ÷ (X + Y), whatever the two outcomes are called
    if RECEIVED.search(text) and f.money and not f.won:
        return "collections"
    if NEW_CUSTOMER.search(text) and f.count and (f.won or CUSTOMERS.search(text)) and not f.money:
        return "new_customers"
    if OVERDUE.search(text) and PAST_DUE.search(text):
        return "overdue_tasks"  # '仍未完成且截止日期早于今天的任务'
    if ACTIVITY.search(text) and TIMES_DONE.search(text) and not (f.money or f.ratio):
        return "activity_count"  # '当面见面的次数', 'how many times did we phone'
    if f.avg and f.won and (f.money or SUM.search(text)) and (LIFETIME.search(text) or SUM.search(text)) and CUSTOMERS.search(text):
        return "clv"  # '平均每家客户累计签约的金额'
    if f.ratio and f.won and f.money and not (f.lost or f.avg):
        return "bookings"  # 'of the money from deals we didn't lose, what fraction comes from X': a share of bookings
    if f.ratio and f.won:
        if f.incl_open:
            return "conversion"  # 'all the opportunities they opened, not just closed ones'
        if _penetration_asked(text) and not f.all_deals:
            return "penetration"
        if f.decided or f.lost:
            return "win_rate"  # of the deals decided either way ('all the deals he closed, won or lost'), the won
        if POPULATION.search(text) and not f.all_deals:
            return "penetration"  # of the customers, those with a win
        if not f.money and DEALS.search(text) and not SHARE_OF_WHOLE.search(text):
            return "conversion"  # of someone's opportunities (open ones too), the share that ended won
    if f.open and f.money and not (f.won or f.lost):
        return "open_pipeline"
    if f.lost and not f.money and not f.ratio:
        return "deals_lost"  # lost deals are counted ('哪个销售没签下来的机会最多')
    if f.created and f.count and not (f.won or f.lost or f.money):
        return "deals_created"
    if f.won and f.money and f.avg and f.per_deal:
        return "avg_deal_size"
    if f.won and f.count and not f.ratio:
        return "deals_won"
    if f.won and (f.money or SUM.search(text)):
        return "bookings"
    return None


# what a phrase pattern or a synonym reads as the numerator or a part of a metric the frame completes
_PARTS = frozenset({"clv", "bookings", "deals_won", "deals_lost", "deals_created", "open_pipeline", "avg_sales_cycle", "win_rate",
                    "new_customers", "target_attainment"})
# the words without which `refine` changes nothing, per metric: one search decides whether the whole frame is read
# (most questions name a sum or a rate and nothing else). Counts of deals are always read.
_BASES = (_TARGET, _FORECAST, _SPEND, _FIRST_CONTACT, _DAYS)
_GATES = {name: compile_fast("|".join(f"(?:{rx})" for rx in (*_BASES, *extra))) for name, extra in (
    ("sum", (_OPEN, _LOST, _AVG, _COUNT_ASKED, _PAID, _INCL_OPEN, _CREATED)), ("rate", (_INCL_OPEN, _ALL_DEALS, _CREATED)),
    ("lost", (_OPEN, _RATIO, _OFTEN.pattern, _AVG, _COUNT_ASKED, _NOT_LOST)))}
_GATE_OF = {"win_rate": "rate", "deals_lost": "lost"}


_MONEY_SHARE = compile_fast(r"\b(?:percent(?:age)?|share|fraction|proportion|portion) of (?:all )?(?:the )?(?:money|revenue|dollars|cash)\b")


def refine(metric: str, text: str) -> str:
    """The metric a phrase pattern or synonym found, completed by the frame: a sum or count set against a target, a
    forecast or spend is that ratio ('签下来的金额是target的百分之多少'); money asked of won deals is bookings ('total $ of
    won deals'); deals still open, asked in money, are the pipeline; a share won of all deals, open ones included,
    is the conversion; a cycle that ends at the first contact is the response time."""
    if metric == "win_rate" and _MONEY_SHARE.search(text):
        return "bookings"  # 'what percentage of all the money we've closed in won deals comes from Central'
    if metric == "activity_count" and FIRST_CONTACT.search(text) and DAYS.search(text) and AVG.search(text):
        return "response_time"  # 'how many days on average till anyone first touches it — call, visit, whatever'
    if metric not in _PARTS:
        return metric
    text = _SCRIPTS.sub(" ", text)
    if metric == "win_rate" and _penetration_asked(text):
        return "penetration"
    if metric in ("deals_won", "deals_lost", "deals_created") and two_outcomes(text) and not MONEY.search(text):
        return "win_rate"  # 'won count / (won count + lost count)'
    if metric not in ("deals_won", "deals_created") and not _GATES[_GATE_OF.get(metric, "sum")].search(text):
        return metric
    f = _read(text)
    named = _compared(text, f)
    if named and named != metric and (named != "target_attainment" or f.ratio or _ATTAINED.search(text)):
        return named
    if f.open and f.money and not (f.won or f.lost) and metric in ("deals_won", "deals_lost", "bookings"):
        return "open_pipeline"
    if metric == "target_attainment" and f.open and f.money:
        return "pipeline_coverage"  # deals still open set against the target
    if (metric in ("deals_won", "win_rate") or (metric == "bookings" and not f.money)) and f.ratio and (
            f.incl_open or ((f.all_deals or f.created) and not (f.decided or f.lost))):
        return "conversion"  # of all opportunities (or those created in a period), the share won
    if metric == "deals_lost" and f.won and not f.lost and not f.ratio:
        return "bookings" if f.money and not f.count else "deals_won"  # '不是没签下来的单子有几个': a negated loss
    if metric in ("deals_won", "deals_lost", "bookings") and f.ratio and f.won and (f.decided or f.lost) and not f.money:
        return "win_rate"
    if metric == "deals_created" and f.ratio and f.won and not f.lost:
        return "conversion"  # 'opps that ended up won / all opps created'
    if metric == "deals_created" and (f.won or f.lost) and not f.created:
        return "deals_lost" if f.lost else "deals_won"  # '以失败关闭的商机数量': a count of opportunities in a state
    if metric == "deals_won" and NEW_CUSTOMER.search(text) and CUSTOMERS.search(text) and f.count:
        return "new_customers"
    if (metric == "bookings" or (metric == "deals_won" and f.money)) and f.avg and f.won and LIFETIME.search(text) and (
            CUSTOMERS.search(text)):
        return "clv"  # '签过单的客户，一家平均累计签下多少钱'
    if metric in ("bookings", "deals_won") and f.won and f.money and f.avg and f.per_deal and not LIFETIME.search(text):
        return "avg_deal_size"
    if metric == "bookings" and PAID.search(text) and f.money and not f.won and not _BOOKINGS_NAMED.search(text):
        return "collections"  # 'how much customer payment money they've brought in': money received, not signed
    if metric == "bookings" and f.won and COUNT_ASKED.search(text) and not f.money:
        return "deals_won"
    if metric == "deals_won" and (f.money or SUM.search(text)) and not f.count:
        return "bookings"  # 'total $ of won deals', 'what did the won deals add up to'
    if metric in ("bookings", "deals_won") and f.lost and f.count and not f.won:
        return "deals_lost"
    if metric == "deals_won" and DAYS.search(text) and f.avg:
        return "avg_sales_cycle"
    if metric == "avg_sales_cycle" and FIRST_CONTACT.search(text) and not _CYCLE_END.search(text):
        return "response_time"
    return metric
