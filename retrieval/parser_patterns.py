"""The offline parser's vocabulary of phrases: dimension and time cues, ranking, top-N, comparisons, funnel
stages and metric phrase patterns (Chinese and English). Data only; `retrieval.parser` applies them.
"""

from __future__ import annotations

import re

from retrieval.timeparse import NUM

RETRIEVAL_RX = re.compile(r"提到|提及|说过|说了|谈到(?![头底])|聊到|反馈|抱怨|提出|表示|mention|said|say about|talk(ed)? about|"
                          r"complain|raised|brought up|asked about|concern", re.I)

REP_WORDS = (r"(?:reps?|representatives?|commercials?|executives?|salespe(?:rson|ople)|salesm[ae]n|agents?|sellers?|account executives?|aes?|"
             r"owners?|people|persons?)\b")
DIM_CUES: list[tuple[str, str]] = [
    ("product_line", r"产品线|产品系列|产品大类|产品类别|(?:按|各个?|每个?|分|哪个|哪些)系列|系列(?:维度|分布)|"
                     r"product (?:lines?|series|famil(?:y|ies)|categor(?:y|ies)|groups?)"),
    ("lead_source", r"线索来源|来源|来路|渠道|(?:哪条|每条|各条|来的)路子|lead sources?|\bsources?\b|\bchannels?\b|\b(?:each|every) (?:place|spot) (?:our |the )?(?:leads|deals|customers) (?:come|came)(?: in)? from\b|\bwhere each (?:lead|deal|customer) (?:originally |first )?(?:came|comes) from\b|\b(?:each|every|per|by) (?:lead )?origin\b|\borigins? of (?:the |our )?(?:leads|deals|customers)\b|(?:线索|商机|客户)(?:都是|是)?从哪(?:里|儿|条路子?|个渠道)?来|"
                    r"\bwhere (?:the |our |their )?(?:leads?|deals?|opps?|opportunities|customers?|clients?|accounts?) "
                    r"(?:originally |first |initially )?(?:came|come|comes|originated|originate) from\b"),
    ("activity_type", r"按类型|各类型|活动类型|by type|activity type|per type"),
    ("rep", r"(?<=的)(?:\d+|[两二三四五六七八九十]+)\s*(?:个|位|名)(?:销售|业务员?|同事)|(?:最[多少高低大小]|居首|排第一)的(?:销售|业务员|同事)|\b(?:rep|agent|salesperson|seller|ae)[- ]wise\b|\b(?:rep|agent|person|seller)[- ]by[- ](?:rep|agent|person|seller)\b|(?:哪[一二两三四五六七八九十\d]?(?:个|位|名)|哪些|哪名|各位|各个?|每个|每位|每名|按|分|给|(?<=[把将])所有的?|(?<=[把将]公司)所有的?|(?<=[把将]全公司)所有的?)(?:销售(?:员|代表|人员)?|同事|同仁|人|业务员?|代表|客户经理|员工|负责人|兵|战士|士兵|队员|爷)"
            r"(?!团队|小组|组|部门|区域|大区)(?![^，,。？?]{0,8}(?:总和|之和|加总))|"
            r"(?:哪个|哪位|哪些|各个?|每个|每位|按|分)\s?(?:reps?|sales|aes?|agents?|owners?|salespe(?:rson|ople))(?![a-z])|"
            r"(?:全部|所有|全体)的?\s?(?:reps?|sales|aes?|agents?)(?=\s?(?:按|排|各自|分别))|(?:所有|全部|全体)的?销售(?=[^，,。？?]{0,6}各自)|"
            r"(?:销售|人员|个人)(?:维度|角度)|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个)的?(?:销售(?:员|代表)?|业务员?|同事|代表)|"
            rf"\bwhich (?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|single|one) )?(?:sales ?)?{REP_WORDS}|\bthe (?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:sales ?)?{REP_WORDS}(?= (?:with|who|that)\b)|\bwhich (?:\w+ )?of our (?:people|folks|staff|salespeople|salesmen|sellers|reps|agents|team members|commercials|representatives|account executives)\b|\bwhich member of (?:the |our )?(?:sales )?(?:staff|team|force)\b|"
            rf"(?<!\bis our )(?<!\bis the )(?<!\bwas our )\b(?:per|each|every|all|top|bottom|across|for each|for every)(?:\s*\d+)?(?: one of| of)? (?:the |our )?(?:sales ?)?{REP_WORDS}|"
            rf"\bby(?:\s*\d+)? (?:sales ?)?{REP_WORDS}(?!\s+(?:on|in|from|of)\s)|"  # 'won by agents on X's team' is no cut
            r"销售排名|销售排行"),
    ("team", r"\bteam[- ]wise\b|\bteam[- ]by[- ]team\b|\b(?:the|our|my|all) teams\b|(?<!分组，)(?<!分组,)(?<!分组, )(?:哪一?个|哪一?支|哪些|各个?|每个|每支|按|分(?!组))(?:销售)?(?:团队|组|小组|部门|队伍|战队)|(?:哪个|哪些|各个?|每个|按|分)\s?(?:teams?|managers?)(?![a-z])|团队(?:维度|角度)|\b(?:which|by|per|each|every|all|across|(?:top|bottom)(?:\s*\d+)?|(?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)) (?:(?:sales )?teams?|managers?|sales managers?)\b"),
    ("region", r"\b(?:region|office|territory)[- ]wise\b|\b(?:region|office|territory)[- ]by[- ](?:region|office|territory)\b|\b(?:the|our|all) (?:regions|territories)\b|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个|家|大|款)?的?(?:大区|区域|地区)|(?:哪一?个|哪一|哪些|各个?|每个|按|分)(?:客户)?(?:所在的?|所属的?)?(?:大区|区域|地区|片区|区)|(?:哪个|哪些|各个?|每个|按|分)\s?(?:regions?|territor(?:y|ies)|offices?)(?![a-z])|(?:大区|区域|地区)(?:维度|角度)|"
               r"\b(?:which|by|per|each|every|all|across|(?:top|bottom)(?:\s*\d+)?|(?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)) (?:sales )?(?:regions?|offices?|regional offices?|territor(?:y|ies)|theat(?:re|er)s?)\b"),
    ("industry", r"\b(?:each|every|which|by) kinds? of business\b|\bkinds? of business\b|(?:哪一?|每一?|各)行(?![业动销政])的?(?=客户|单子|单|里|,|，)|\b(?:sector|industry|vertical)[- ]wise\b|\b(?:sector|industry|vertical)[- ]by[- ](?:sector|industry|vertical)\b|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个|家|大|款)?的?行业|(?:哪一?个|哪些|各个?|每个|按|分)(?:客户)?(?:所属|所在)?的?(?:行业|领域|产业)|(?:哪个|哪些|各个?|每个|按|分)\s?(?:sectors?|industr(?:y|ies)|verticals?)(?![a-z])|行业(?:维度|角度)|"
                 r"\b(?:which|by|per|each|every|all|across|(?:top|bottom)(?:\s*\d+)?|(?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)) (?:single |one )?(?:the )?(?:customer |client |account |customer's |client's |account's )?(?:industr(?:y|ies)|sectors?|verticals?|lines? of business)\b"),
    ("product", r"\bproduct[- ]wise\b|\bproduct[- ]by[- ]product\b|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个|家|大|款)?的?(?:产品|款产品)|(?:哪个|哪些|哪一?款|各个?|每个|每款|按|分)(?:产品|单品)|(?:哪个|哪些|哪款|各个?|每个|每款|按|分)\s?(?:products?|skus?)(?![a-z])|哪一?款|产品(?:维度|角度)|"
                r"\b(?:which|by|per|each|every|all|across|(?:top|bottom)(?:\s*\d+)?|(?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)) (?:single |one )?(?:products?|skus?)\b"),
    ("account", r"(?<=的)(?:\d+|[两二三四五六七八九十]+)\s*家(?:客户|公司|企业)|\b(?:customer|account|client)[- ]wise\b|\b(?:customer|account|client)[- ]by[- ](?:customer|account|client)\b|(?:哪一?个|哪些|哪一?家|各个?|每个|每家|按|分)(?:客户|公司|企业)|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*家|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个|家|大)?的?(?:客户|公司)|(?:哪个|哪些|哪家|各个?|每个|每家|按|分)\s?(?:customers?|accounts?|clients?)(?![a-z])|客户(?:排名|维度|角度)|"
                r"\b(?:which|by|per|each|every|all|across|(?:top|bottom)(?:\s*\d+)?|(?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)) (?:(?:biggest|largest|top|best|leading|highest|smallest|lowest|worst) )?(?:customers?|accounts?|clients?|compan(?:y|ies)|logos)\b"
                r"(?<!signed by customers)(?<!signed by clients)(?<!bought by customers)(?<!bought by clients)(?<!placed by customers)(?<!placed by clients)(?<!paid by customers)(?<!paid by clients)"),  # 'deals signed by customers in X' is no cut
    ("rep", r"谁|(?<!product )(?<!region )(?<!team )(?<!industry )(?<!sector )(?<!accounts )(?<!customers )(?<!clients )(?<!companies )(?<!deals )(?<!opportunities )(?<!opps )(?<!products )(?<!salespeople )(?<!people )(?<!reps )(?<!agents )(?<!those )(?<!members )(?<!anyone )\bwho(?:'s)?\b(?!\s+(?:are|is)\s+(?:the\s+)?(?:top|best|biggest|largest|bottom|worst|#1)\b)|"
            r"(?:^|(?<=[,:;?.—(])\s*)whose\b"),  # 'opportunities whose outcome' is no person  # a person, unless a cue above names another kind of thing
]
EN_NOUN_DIMS: list[tuple[str, str]] = [  # 'sector win rates', 'regional deal size', 'agent breakdown'
    ("region", r"regions?|regional|territor(?:y|ies)|theat(?:re|er)s?"), ("team", r"teams?"), ("industry", r"sectors?|industr(?:y|ies)|verticals?"),
    ("rep", r"agents?|reps?|salespe(?:rson|ople)|sellers?"), ("product", r"products?"), ("account", r"customers?|accounts?|clients?|logos"),
    ("lead_source", r"channels?|sources?"),
]
EN_NOUN_TAIL = r"(?:\s+[a-z%/-]+){0,3}?\s+(?:rates|sizes|cycles|values|totals|counts|breakdown|split|mix|numbers)\b"
BARE_DIMS: list[tuple[str, str]] = [
    ("account", r"客户|(?<![全总本我])(?:公司|企业)(?!整体|总)|customers?|accounts?\b(?! for\b)|clients?|compan(?:y|ies)"),
    ("rep", r"销售(?!额|周期|收入|金额|漏斗)|人|同事|业务员|业务(?!额|量|收入|线)|reps?|salespe(?:rson|ople)|agents?|sellers?|\baes?\b|account executives?"),
    ("team", r"团队|组|teams?"), ("region", r"大区|区域|地区|regions?|offices?"), ("industry", r"行业|产业|industr(?:y|ies)|sectors?"),
    ("product", r"产品|products?"),
]
# 'quarterly' before a goal ('quarterly quota', 'the quarterly number they were handed') names no grain
_NOT_A_GOAL = r"(?!\s+(?:sales\s+)?(?:targets?|quotas?|goals?|plans?|objectives?|(?:numbers?|figures?) (?:they|he|she|it|we|you|each) (?:were|was|are|is|got|get))\b)"
TIME_CUES: list[tuple[str, str]] = [
    ("time:day", r"按天(?![算计])|每天|每日|逐日|日趋势|\bdaily\b" + _NOT_A_GOAL + r"|by day|per day|day by day"),
    ("time:week", r"按周|每周|逐周|各周|周趋势|\bweekly\b" + _NOT_A_GOAL + r"|by week|per week|each week|week by week"),
    ("time:quarter", r"\beach (?:of the )?(?:four|4) quarters\b|\b(?:into|in) (?:its |the )?(?:four|4) quarters\b|一个季度一个季度|(?:[四4]|几)个季度.{0,6}(?:各|分别)|每一季度?|按季度?|每个?季度?|逐季|各个?季度?|季度趋势|分季度|季度(?:分布|走势|变化)|(?<!\btheir )(?<!\bhis )(?<!\bher )(?<!\bits )\bquarterly\b" + _NOT_A_GOAL + r"|by quarter|per quarter|"
                     r"each (?:calendar )?quarter|(?:per|by) (?:calendar )?quarter|quarter[- ]by[- ]quarter|quarter after quarter|every quarter|quarter[- ]wise|\bby (?:close|closing|created|creation|won) quarter\b|\bby the (?:calendar )?quarter\b"),
    ("time:year", r"按年|每年|逐年|各年|年度趋势|\byearly\b" + _NOT_A_GOAL + r"|\bannual(?:ly)?\b" + _NOT_A_GOAL + r"|by year|per year|each year|year by year"),
    ("time:month", r"\beach (?:of the )?(?:twelve|12) months\b|一个月一个月|(?:十二|12)个月.{0,6}(?:各|分别)|按月|每个?月|逐月|各个?月|月度|月趋势|分月|\bmonthly\b" + _NOT_A_GOAL + r"|by (?:calendar )?month|month[- ]by[- ]month|per (?:calendar )?month|each (?:calendar )?month|every (?:calendar )?month|"
                   r"month by month|month after month|month[- ]wise|\bby (?:close|closing|created|creation|won) month\b|\bby the (?:calendar )?month\b|TREND"),
]
DESC_RX = (r"\b(?:furthest|farthest)\b|最\s?high(?:est)?\b|居首|最容易|最足|最充分|最出色|\bwho(?:'s| is)? (?:leads|leading|ahead)\b|\bwhich (?:\w+ ){1,3}(?:leads|is leading|is ahead)\b|最凶|最狠|最严重|最高|最勤|最频繁|最活跃|最多|最大|最好|最强|最佳|最长|最慢|最快|最厉害|最牛|第一|冠军|拔尖|领先|从高到低|由高到低|从大到小|"
           r"(?<!\bwe come out on )(?<!\bwe came out on )(?<!\bwe end up on )\btop(?:s|ped)?\b|highest|most|best|largest|biggest|longest|slowest|greatest|leading|strongest|\bnumber one\b|descending|"
           r"#1(?!\d)|\bno\.\s?1(?!\d)|\bmaximum\b|\bthe max\b")
# a first place asks for one item even after a ranking word (排名第一的销售, the #1 product)
FIRST_RX = r"\bwhich one\b|\bwhere is\b.{0,80}\bthe (?:highest|lowest|best|worst)\b|哪(?:位|个|家|款|支|名)[^，,。？?]{0,16}最(?:低|高|少|多|好|差|大|小)|居首|哪一(?:个|位|家|支|款|名)|最[^，,。？?\s]{0,4}的?是哪(?:个|位|家|支|款|名)|最[^，,。？?\s]{0,4}的?是谁|\bwhich (?:\w+'s )?(?:single |one )?(?:sales |regional )?(?:salesperson|salesman|rep|agent|seller|executive|team|region|office|territory|product|customer|account|client|industry|sector|vertical)\b|\bwho(?:se)?\b(?!\s+(?:are|were)\b).{0,40}\bthe (?:lowest|highest|best|worst|most|least|fewest|largest|smallest|biggest|weakest|strongest|poorest)\b|谁(?:的)?最(?:低|高|好|差|多|少|快|慢)|谁(?:的)?(?:垫底|排最后|排名最后|倒数第一|最落后|拖后腿)|谁的?[^，,。？?\s]{1,6}最(?:低|高|好|差|多|少|快|慢|大|小)|谁是最|最(?:低|高|少|多|好|差|大|小)的那?[一1](?:位|个|家|款|支|名)|\b(?:the )?(?:single |one )?(?:agent|rep|salesperson|seller|region|team|office|territory|theatre|product|customer|account|client|industry|sector) with the (?:lowest|highest|best|worst|most|fewest|largest|smallest|biggest|weakest|strongest)\b|\bwhose\b.{0,30}\b(?:lowest|highest|smallest|largest|best|worst)\b|(?:只要|只看|就要|只列)[^，,。？?]{0,10}那一(?:位|个|家|款|支|名)|\bjust the (?:single |one )?(?:best|top|worst|highest|lowest)(?: one)?\b|\bthe single (?:best|top|worst|highest|lowest)\b|\bwho(?:'s| is| was)? (?:the )?(?:lowest|highest|best|worst)\b(?!\s+\w+s\b)|\btops\b|\btopped\b|\btopping\b|\bcomes? (?:out )?first\b|排名第一|排第一|第一名|第1名|名列第一|排名最后|排最后|最后一名|倒数第一|\bdead last\b|\blast place\b|#1(?!\d)|\bnumber one\b|\bno\.\s?1(?!\d)|\btop[\s-]?1(?!\d)"
ASC_RX = (r"最\s?low(?:est)?\b|\bminimum\b|\bthe min\b|\bsorriest\b|\blousiest\b|\bmost dismal\b|最低|最少|最小|最差|最短|最弱|最落后|垫底|倒数|排最后|排名最后|最后一名|末位|拖后腿|从低到高|由低到高|从小到大|"
          r"\bdead last\b|\blast place\b|\brock bottom\b|"
          r"\bbottom\b(?! line\b)|(?<![a-z])lowest|(?<!\bat )least|fewest|worst|smallest|shortest|weakest|poorest|lagging|ascending|lowest first")
BEST_WORDS = ("最好", "最强", "最佳", "best", "冠军", "leading", "第一", "最厉害", "strongest")
WORST_WORDS = ("最差", "最弱", "垫底", "worst", "weakest", "poorest", "最落后", "拖后腿")
FAST_WORDS = ("最快", "fastest", "quickest")
RANK_RX = r"排名|排行|排序|排个?名|排一下|排个序|从高到低|由高到低|rank|ranking|ranked|sorted|order by|leaderboard"
_EN_N = r"\d+|two|three|four|five|six|seven|eight|nine|ten"
_PLURALS = (r"(?:reps|agents|customers|accounts|products|regions|teams|industries|sectors|salespeople|sellers|clients|"
            r"companies|product lines)")
TOPN_RX = (rf"(?:前|top[\s-]*|排名前|bottom[\s-]*|后|倒数)\s*(?P<n>{NUM}|one|two|three|four|five|six|seven|eight|nine|ten)|(?P<n6>仨|俩)"
           rf"|(?P<n2>{NUM})\s*(?:个|位|名|家|款|条|大)(?!月|季|天|周|年)"
           r"|\b(?P<n3>\d+|three|five|ten) (?:best|worst|top|highest|lowest|largest|biggest)"
           r"|\b(?:which|the|top|bottom|best|worst|first)\s+(?P<n4>\d+|two|three|four|five|six|seven|eight|nine|ten)\b"
           rf"|\b(?P<n5>{_EN_N})\s+(?:(?:best|worst|top|highest|lowest|largest|biggest|leading|strongest|weakest|smallest)\s+)?"
           rf"{_PLURALS}\b")
YOY_RX = (r"同比|\bsame (?:quarter|month|period) (?:last|previous|the previous|the prior) (?:year|season)\b|\bthe same (?:three|3) months (?:a year (?:ago|earlier|before)|last year)\b|\bthe corresponding (?:quarter|month|period) (?:of|in) the (?:preceding|previous|prior) year\b|\bsame quarter of the year before\b|\bsame (?:quarter|period|month) (?:of|in) the (?:prior|previous|preceding) year\b|(?:跟|和|与|比|较)去年同一(?:个)?(?:季度?|月|时期|时段)|\bcorresponding (?:quarter|period|month) (?:of |in )?(?:last year|the (?:previous|prior) year|(?:19|20)\d{2})\b|same (?:quarter|period|month) (?:a|one) year (?:earlier|before|ago|back)|去年同期|上年同期|(?:\d{2,4}|[零〇一二三四五六七八九]{2,4})年(?:的)?同期|(?:比|较|和|与|跟|同)去年(?:同期|同季度?)?(?:相比|比|对比)?|(?:去年|上年)同季度?|相比去年|year[- ](?:over|on)[- ]year|(?<![a-z])yoy(?![a-z])|(?<![a-z])y/y(?![a-z])|"
          r"(?:vs\.?|versus|compared? (?:with|to)|compares (?:with|to)|against|relative to|than) (?:the )?(?:same (?:period|quarter|month) |(?:this|that|the same) time )?(?:of )?last year|"
          r"same (?:period|quarter|qtr|month|time) (?:of |in )?last (?:year|yr)|\bsame (?:quarter|period|month) (?:(?:of|in) )?(?:19|20)\d{2}\b|(?:去年|上年|(?:\d{2,4}|[零〇一二三四五六七八九]{2,4})年)(?:的)?(?:同一个?|这个|同个)(?:季度|时候|时间|月|时期|时段)|(?:去年|上年|(?:\d{2,4}|[零〇一二三四五六七八九]{2,4})年)(?:的)?同样(?:的|这|这个)?(?:[几两三四五六\d]个月|季度|时期|时段|时间)|"
          r"\bsame (?:two|three|six|\d+) months\b.{0,12}\b(?:last year|(?:19|20)\d{2})\b")
POP_RX = (r"环比|\b(?:for|in|of|than|next to|against|versus|vs\.?|compared (?:to|with)) the (?:month|quarter|week) (?:just )?before\b(?! (?:this|the current|the present|now) one\b)|\b(?:the )?month preceding\b|\b(?:the |that of the |the figure for the )?(?:preceding|prior) (?:month|quarter)\b|(?:比|较|和|与|跟)上一?个?(?:月|季度?)(?:相比|比|对比)?|相比上一?个?(?:月|季度)|比上期|较上期|上期|"
          r"month[- ]on[- ]month|quarter[- ]on[- ]quarter|(?<![a-z])m/m(?![a-z])|(?<![a-z])q/q(?![a-z])|sequential(?:ly)?|"
          r"(?:versus|against|relative to|over) (?:the )?(?:previous|prior|last|preceding) (?:month|quarter|period)|"
          r"(?:vs\.?|versus|compared? (?:with|to)|compares (?:with|to)|against) (?:the )?(?:month|quarter) before|\b(?:with|to|against|and) (?:the )?(?:month|quarter) (?:immediately|right|just|directly) (?:before|preceding)\b|"
          r"month[- ]over[- ]month|quarter[- ]over[- ]quarter|(?<![a-z])mom(?![a-z])|(?<![a-z])qoq(?![a-z])|vs\.? (?:the )?(?:previous|prior|last) (?:month|quarter|period)|"
          r"compared (?:with|to) (?:the )?(?:previous|prior|last) (?:month|quarter|period)|than (?:the )?(?:previous|prior|last) (?:month|quarter)")
SHARE_RX = (r"占比|份额|比重|占多少|占了?多大一块|占了?几成|占了?几\s?(?:percent|%|个百分点)|占总|占全|占[^，,。？?；;]{0,16}?(?:总|全|整体|整个|比例|多少)|(?<!kindly )(?<!can )(?<!please )(?<!pls )\bshare\b(?!\s+(?:with|me|us)\b)|(?:percentage|pct|%) of (?:the )?total|"
            r"proportion|portion")
SHARE_OF_TOTAL_RX = (r"\bwhat (?:piece|part|portion) of\b|\bthe part of\b.{0,40}\bin the total\b|\bhow much (?:percent(?:age)?|share)\b|\bwhat (?:percent(?:age)?|%|share|fraction|proportion) (?:of (?:it|that|the total) )?(?:came|comes|come) from\b|\bwhat slice\b|\bwhat (?:cut|chunk) of\b|\bhow (?:big|large) is the (?:slice|share|piece|part|cut|chunk) of\b|'s (?:piece|cut|chunk|slice|part|portion) of\b|\bhow (?:big|large) (?:a )?(?:slice|share|chunk|piece|part|portion)\b|(?:÷|/|divided by|除以)\s*(?:the\s+)?(?:sum\s+)?(?:全公司|整个公司)|(?:÷|/|divided by)[^÷/?]{0,30}\b(?:over |across )?(?:all|total) (?:products|regions|teams|reps|agents|customers|accounts|deals|sales|bookings)\b|\baccounted for (?:what|how much)\b|\bwhat (?:fraction|share|proportion|percentage|part|portion) did\b.{0,40}\b(?:bring|brought|contribute|account for|deliver|generate|make)\b|\bwhat slice of\b|\b(?:percent(?:age)?|pct) of\b|\bhow many percent\b|\b(?:what|which) (?:fraction|share|proportion|percentage|part|portion)\b.{0,20}\b(?:came|comes|come|was|is|is coming|are coming|has come) (?:from|through|via)\b|%\s?of\b|\bas a (?:percent(?:age)?|share|proportion)\b|\bas a %|(?:÷|/|divided by)\s*(?:全公司|公司|总|全部|all|total|company[- ]wide)?\s*sum\s*\(|how much of\b.{0,40}\b(?:down to|came from|comes from|come from|was from|is from)\b|how much of\b.{0,60}\b(?:responsible for|account(?:s|ed)? for)\b|\bfraction of\b|how much of (?:the |our )?(?:total |overall )?(?:bookings|revenue|sales)|"
                     r"\b(?:does|do|did)\b[^?]{0,40}\baccount for\b|\baccount(?:s|ed)? for (?:what|how much)\b|\bpercent(?:age)?[- ]wise\b|"
                     r"\bdivided by\b.{0,30}\b(?:across all|all regions|all teams|the total|total|overall|company[- ]wide)\b|"
                     r"多大比例|百分之几|几成")  # only for amounts and counts ('percent of deals won' is a rate)
# a leading clause that says who asks or why, before the question itself: '市场部想知道：…', 'Marketing's asking …',
# 'Quick one for the QBR deck — …'; its words (下周会, marketing) must not be read as the question's
# 'Kindly share X', 'pls share X': a request verb, not the noun 'share' (of deals won, of the total)
REQUEST_RX = r"^\s*share\b(?!\s+of\b)|\b(?:kindly|please|pls|plz|can you|could you|would you|can u|could u)\s+share\b"
CONTEXT_RX = (r"^[^：:？?]{0,16}?(?:图表|看板|卡片|想知道|想了解|想看|材料|周会|例会|月会|汇报|报告|总结|复盘|老板|领导|帮我|麻烦|请问)"
              r"[^：:？?]{0,12}[：:]\s*(?=\S.{3,})|^[^？?，,]{1,16}?(?:想知道|想了解|在问|让我查一?下?)[，,](?=.{4,})|"
              r"^[\w' &-]{1,40}?(?:'s|\s+is|\s+are)\s+asking\s+|^[\w' &-]{1,40}?\s+(?:wants|would like|needs)\s+to\s+know[:,]?\s+")
# 'as of today' is the state now, not a one-day period (截至今天还有几个任务过期): blanked before periods are read
AS_OF_NOW_RX = r"以今[天日]为准|算上今天|含今天|包括今天|\btoday included\b|时至今[日天]|<\s*(?:今天|今日|today|now)|(?<![年初月号日今起始])(?:截至|截止)(?:今天|今日|目前|现在|当前)(?:为止)?(?!的?(?:今年|本年|年初))|(?<![年初月号日今起始直])到(?:今天|目前|现在)为止|(?<=早于)(?:今天|今日|当前|现在)|以(?:今天|今日|目前|现在)为(?:截止|截至|终点|结束)(?:日期|日|点)?|\bas of (?:today|now|right now)\b|\bright now\b"
OFFTOPIC_RX = r"\b(?:wages?|salar(?:y|ies)|payroll)\b|工资|薪水|薪资|(?:帮我|帮忙)?写(?:一封|封|一份)[^，,。？?]{0,6}(?:邮件|信)|\b(?:draft|write) (?:me )?an? (?:e-?mail|letter)\b|天气|气温|股价|\bweather\b|\btemperature\b|\bstock price"  # no sales metric, whatever else the words say
FUTURE_RX = (r"明年|下一?个?季度|下一?个?月|下周|下一年|next (?:year|quarter|month|week|yr|qtr)|\bpredict\w*|"
             r"\bwill\b.{0,30}\b(?:be|make|close|win|sell|book|bring|generate)\b")
FUTURE_OK = ("open_pipeline", "pipeline_coverage")  # expected-close metrics may look ahead
SPAN_METRICS = ("avg_sales_cycle", "response_time")  # the time between two events, which stage words may name
VS_RX = r"对比|比较|相比|\bvs\.?\b|versus|compare|side by side|和.{1,8}比|哪个更|which is (?:higher|better|bigger)"
SELF_RX = r"我的|我自己|\bmy\b|\bme\b|\bi\b"
MY_TEAM_RX = r"我们?(?:团队|组|小组)|我的团队|我们的|\bmy team\b|\bour team\b|\bour\b"
FUNNEL_WORDS = {
    "线索": "线索", "lead": "线索", "leads": "线索",
    "商机": "商机", "项目": "商机", "opportunity": "商机", "opportunities": "商机", "opp": "商机", "opps": "商机", "deal": "商机", "deals": "商机",
    "报价": "报价", "报完价": "报价", "报了价": "报价", "报过价": "报价", "quote": "报价", "quotes": "报价", "proposal": "报价", "quoted": "报价",
    "成交": "成交", "赢单": "成交", "签约": "成交", "won": "成交", "win": "成交", "close": "成交", "closed": "成交", "closed won": "成交", "wins": "成交",
    "初步接洽": "初步接洽", "需求确认": "需求确认", "方案报价": "方案报价", "报价方案": "方案报价", "方案价格": "方案报价", "谈判审批": "谈判审批",
    "quotation": "方案报价", "negotiation": "谈判审批", "enquiry": "线索", "enquiries": "线索", "inquiry": "线索", "inquiries": "线索",
}
# the pipeline's own stages said in English: 'proposal/quotation', 'proposal-and-quote', 'negotiation & approval'
_JOINS = (" and ", " & ", "/", " / ", "-and-", "-", " ")
FUNNEL_WORDS.update({f"{a}{j}{b}": stage for stage, heads, tails in (
    ("方案报价", ("proposal", "proposals"), ("quote", "quotes", "quotation", "quotations", "quoting", "pricing")),
    ("谈判审批", ("negotiation", "negotiations"), ("approval", "approvals"))) for a in heads for j in _JOINS for b in tails})
# the order of the stages: a pair named backwards ('deals won to deals won plus lost') is not a conversion
STAGE_ORDER = {"线索": 0, "商机": 1, "初步接洽": 2, "需求确认": 3, "报价": 4, "方案报价": 4, "谈判审批": 5, "成交": 6}
MAIN_STAGES = frozenset({"线索", "商机", "报价", "成交"})  # three of them named in one question: the funnel
# ... not the lead of a lead source ('per lead-source')
STAGE_RX = "(?:" + "|".join(sorted((re.escape(k) for k in FUNNEL_WORDS), key=len, reverse=True)) + r")(?![- ]?sources?\b)(?!s? (?:\w+ )?(?:came|come|comes|originated|originate) from\b)"
CONV_RX = re.compile(rf"(?<!won )(?<!closed )(?<!decided )(?P<a>{STAGE_RX})(?:阶段|那一步|这一步|那步|这步|\s+stage)?\s*(?:的)?\s*(?:商机|单子)?(?:(?:里|中|当中)?[，,]?\s*(?:后来|最后|最终)?(?:有)?(?:多大比例|多少比例|百分之多少|多少|几成|百分之几)?(?:的)?(?:能|会|可以)?)?(?:最后|最终|最终都|后来)?被?(?:往前|继续|再|去)?(?:走到了?|推进到了?|进入了?|进到了?|进了|到了|到|至|往|→|->|转化成|转化为|发展为|发展成|转化到|流转成了?|流转为|流转到了?|发育成了?|长成了?|转到了?|转入了?|转成了?|转为了?|转|做成了?|到达|变成|变为|-to-|\b(?:go|goes|went|move|moves|moved|make it|made it|get|gets|got) (?:on |through )?(?:in)?to\b|\bon ?to\b|\binto\b|\b(?:all the way )?through(?: to)?\b|\bto\b)了?\s*(?:最终|最后)?(?:正式的?|正经的?|正儿八经的?)?(?:(?:我们|你们|公司)?[^，,。？?\s]{{0,4}}?(?:在跟|在谈|跟进中?|有效|正式|真正|合格)的)?"
                     rf"(?:stage\s+)?(?P<b>{STAGE_RX})", re.I)
# '新建商机数除以新增线索数': a stage pair as a ratio of counts, the later stage first (no qualifier such as 已关闭
# before the second: '赢单数除以已关闭商机数' is a win rate)
_ZH_STAGES = "线索|商机|报价|成交|赢单|签约|初步接洽|需求确认|方案报价|谈判审批"
CONV_RATIO_RX = (rf"(?:新建|新增|新进来?|新开|新录入?|新?建出来|新?录进来|进来)?的?(?P<b>{_ZH_STAGES})(?:数|数量|个数|条数)[，,]?\s*(?:除以|÷|/|(?:顶得上|抵得上|相当于|占了?|是)(?=[^，,。？?]{{0,12}}(?:几成|百分之|比例|多少)))\s*(?:当年|同期|当期|该期|全部|所有|今年|去年|本季度?|上季度?|本月|上个?月|\d{{2,4}}\s*年度?)?"
                 rf"(?:新建|新增|新进来?|新开|新录入?|新?建出来|新?录进来|进来)?的?(?P<a>{_ZH_STAGES})(?:数|数量|个数|条数)")
# 'opportunity数做分子，lead数做分母': the pair as a fraction, numerator first
CONV_FRACTION_RX = (rf"(?P<b>{STAGE_RX})\s?(?:的)?(?:数|数量|个数)?\s?(?:为|做|作为|当)分子[，,、]?.{{0,16}}?"
                    rf"(?P<a>{STAGE_RX})\s?(?:的)?(?:数|数量|个数)?\s?(?:为|做|作为|当)分母")
CONV_FRACTION_REV_RX = (rf"以?(?P<a>{STAGE_RX})\s?(?:的)?(?:数|数量|个数)?\s?(?:为|做|作为|当)分母[，,、]?.{{0,16}}?"
                        rf"(?P<b>{STAGE_RX})\s?(?:的)?(?:数|数量|个数)?\s?(?:为|做|作为|当)分子")
# '商机走到方案报价之后，有多大比例能推进到谈判审批': the pair is the stage reached and the one after it
# 'A之后…推进到B', and the deals that reached A, then B: '走到方案报价那一步的商机里，又推进到谈判审批的比例'
CONV_AFTER_RX = (rf"(?P<a>{STAGE_RX})(?:阶段|那一步|这一步|那步|这步|(?:这个|那个)?\s?(?:stage|step)\s?|(?:这个|那个|这一)阶段)?(?:\s?[(（][^()（）]{{1,12}}[)）])?(?:的(?:数量|数目|总数))?(?:之后|以后|后|的(?:商机|单子?|机会|项目|客户|deals|opportunities)(?:里面?|中|当中)?|的那(?:些|部分)(?:里面?|中|当中)?|里面?|当中|(?=[，,]\s*有?(?:几成|多少|多大比例|百分之|每))|(?=[，,]\s*(?:当|看|如果|假如|那么))|,\s*(?:how many percent|what percent(?:age)?|what share|what fraction|what portion|what proportion))[，,]?.{{0,14}}?"
                 rf"(?:推进到|走到|走进|进入|进到|进了|进至|得入|到达|转化为|转化成|转成|转为|变成|流转成|流转为|流转到|建成|立成|立为|游进|游到|挪到|挪进|推到|流出为|流出成|发育成|长成|passed to|moved (?:on )?to|advanced to|went on to (?:reach|get to|hit)|went on to|progressed to|made it (?:on |through )?to|got through to|went through to)了?"
                 rf"\s*(?:正式的?|正经的?|正儿八经的?|the )?(?P<b>{STAGE_RX})")

# 'B数与A数之比' (B over A): '新建的商机记录数与今年登记的线索记录数之比'
# 'opps created / leads created', 'won count ÷ opps count': two stages' counts divided, the later one first
CONV_SLASH_RX = (rf"\b(?P<b>{STAGE_RX})s?\s*(?:created|count|number)?\s*(?:/|÷|divided by|\bover\b)\s*(?P<a>{STAGE_RX})s?\s*(?:created|count|number)?\b"
                 r"(?![^/÷]{0,16}(?:\+|\bplus\b))")
# '新进线索数 vs 同期新开的商机数，后者是前者的百分之几': two stage counts, then the ratio said as 后者/前者
_PAIR_NAMED = (r"[^，,。？?]{{0,4}}?(?:数|数量|个数|\s?count)\s*(?:vs\.?|versus|与|和|跟|对比|对|比)\s*[^，,。？?]{{0,10}}?(?P<{1}>{0})"
               r"[^，,。？?]{{0,4}}?(?:数|数量|个数|\s?count)?[^。？?]{{0,6}}?")
CONV_LATTER_RX = rf"(?P<a>{STAGE_RX})" + _PAIR_NAMED.format(STAGE_RX, "b") + r"后者(?:是|占|为|相当于)?前者"
CONV_FORMER_RX = rf"(?P<b>{STAGE_RX})" + _PAIR_NAMED.format(STAGE_RX, "a") + r"前者(?:是|占|为|相当于)?后者"
CONV_OF_RATIO_RX = (rf"(?P<b>{STAGE_RX})[^，,。？?]{{0,8}}?(?:数量|数目|数|\s?count)\s*(?:与|和|跟|同|占|是)[^，,。？?]{{0,12}}?(?P<a>{STAGE_RX})"
                    r"[^，,。？?]{0,8}?(?:(?:数量|数目|数|\s?count)\s*)?(?:之比|的比值|的比例|的比率|的?多少|的?百分之|的几成)")

# 'as a ratio of opportunities to leads', 'opportunities opened relative to the number of leads': the later stage first; 'leads this year vs. opportunities opened this year:
# what's the ratio' (either order names the same pair), 'for the leads that came in, how many opportunities … relative
# to that': the earlier stage first
CONV_RATIO_OF_EN_RX = (rf"\bratio of (?:the )?(?:new |fresh )?(?P<b>{STAGE_RX})s?\b[^.?!,]{{0,24}}? (?:to|vs\.?|versus|against) "
                       rf"(?:the )?(?:new |fresh )?(?P<a>{STAGE_RX})s?\b(?! (?:that )?(?:were |have been |got |get )?(?:decided|closed|settled|won or lost|finished))|"
                       rf"\b(?P<b2>{STAGE_RX})s?\b[^.?!,]{{0,30}}?\b(?:relative to|compared (?:to|with)|(?:expressed )?as an? (?:proportion|percentage|share|fraction|ratio) of|divided by) "
                       rf"(?:the )?(?:number|count) of (?:the )?(?:new |fresh )?(?P<a2>{STAGE_RX})s?\b")
CONV_VS_EN_RX = (rf"\b(?P<va>{STAGE_RX})s?\b[^.?!]{{0,40}}?\s(?:vs\.?|versus)\s[^.?!]{{0,20}}?\b(?P<vb>{STAGE_RX})s?\b"
                 r"[^?!]{0,40}?(?:\b(?:ratio|percentage|proportion|percent|fraction|share)\b|%)|"
                 r"\b(?P<a2>leads?)\b[^.?!]{0,40}?\show many (?:new |fresh |proper |real )?(?P<b2>opportunities|opps|deals)\b[^!]{0,60}?\b(?:ratio|percentage|"
                 r"proportion|percent|relative to)\b")

# 'of the opportunities that made it to 方案报价, what share carried on to reach 谈判审批': the stage reached, then the
# one it went on to
CONV_REACHED_EN_RX = (rf"\b(?:reached|reach|made it (?:to|into|as far as)|got (?:to|into|as far as)|get (?:to|as far as)|hit|entered|arrived at)"
                      rf"\s+(?:the\s+)?(?:stage\s+)?(?P<a>{STAGE_RX})(?:\s+(?:stage|step|phase))?[^.?!]{{0,60}}?\b(?:went|carried|moved|pushed|progressed|"
                      rf"advanced|continued|proceeded|go|carry|move|made it|got)\b(?: on)?[^.?!]{{0,12}}?\b(?:to|into|through to|on to)\s+"
                      rf"(?:reach\s+|get to\s+|hit\s+)?(?:the\s+)?(?:stage\s+)?(?P<b>{STAGE_RX})")

# 'of this year's lead cohort, what share converted into opportunities': the English verb after a short clause
CONV_EN_RX = (rf"\b(?P<a>{STAGE_RX})s?\b[^.?!]{{0,60}}?\b(?:(?:converted|convert|converts|turned|turn|became|become|progressed|"
              rf"moved|went on) (?:in)?to (?:become |becoming )?|became |become |becoming |(?:ended|end) up as (?=an? (?:real |actual |proper |genuine |qualified )?(?:opportunit|opp)))(?:an? )?(?:real |actual |proper |genuine |qualified )?(?P<b>{STAGE_RX})\b")


METRIC_PATTERNS: list[tuple[str, str]] = [  # phrase patterns, tried in order before the synonyms
    ("pipeline_coverage", r"(?:未结|未关闭?|在途|在跟|没关|还开着|预计关单|预计成交|预计签约|open)\s?的?\s?(?:商机|单子?)?(?:的)?(?:金额|总额)?[，,]?.{0,4}(?:除以|÷|/).{0,12}(?:目标|指标|配额|quota|target)"),
    # a metric written as its formula names it before any of its parts does ('sum of won amounts divided by targets')
    ("target_attainment", r"\b(?:won|bookings|revenue|sales|amounts?)\b.{0,40}\b(?:divided by|over)\b.{0,40}\b(?:targets?|quotas?|goals?)\b|"
                          r"\bratio of\b.{0,40}\bto (?:their |the |its |his |her |our )?(?:own )?(?:sales |quarterly |annual )?(?:targets?|quotas?|goals?)\b|"
                          r"(?:成交|签单|签下|签约|业绩|赢单|金额).{0,6}(?:除以|÷|/).{0,14}(?:指标|目标|任务|配额|target|quota)"),
    ("clv", r"(?<![:/])\bclv\b(?!\s*(?:[:/]|to|vs\.?)\s*cac)|(?:一个|每个|每家|平均每个?)(?:[^，,。？?]{1,6}的)?客户(?:平均)?.{0,16}(?:带来|贡献|花|签)了?多少(?:累计)?的?(?:成交额|签约额|签单额|金额|钱|业绩)|"
            r"\b(?:sum|add up|total)\b.{0,40}\bwon (?:amounts?|revenue|bookings)\b.{0,40}\baverage\b.{0,20}\b(?:across|over|per) (?:those |these |the |all )?(?:customers|accounts|clients)\b"),
    ("avg_deal_size", r"\b(?:mean|average|avg) (?:value|amount|size) per (?:won )?(?:opportunity|deal|order|sale)\b|\b(?:mean|average|avg|typical) (?:value|size|amount) of (?:the |our |all |a |each )?(?:won|closed[- ]won) (?:deals?|opportunities|opps|sales)\b"),
    ("cac", r"\b(?:each|every|per|a) (?:new|newly (?:acquired|won|signed|landed)) customer\b.{0,20}\bcost\b|\bcost\b.{0,20}\b(?:each|every|per) new customer\b|(?:营销|市场|推广)(?:投入|费用|花费|支出).{0,6}(?:÷|/|除以).{0,12}新(?:增|获|签)?(?:的)?客户数?|\b(?:marketing )?(?:spend|spending|costs?|budget)\b.{0,10}\b(?:divided by|over|/)\b.{0,20}\bnew (?:customers|accounts|clients)\b|\b(?:money|spend|spent|cost|budget|dollars|outlay|expense|expenditure)\b.{0,40}\bper (?:new|newly acquired|newly won|newly signed) (?:customer|account|client)\b|\bspend\b.{0,20}\b(?:to )?(?:land|win|acquire|get|sign)\b.{0,12}\b(?:one |a |each )?new customers?\b|(?:每|平均每)?(?:拿下|拿到|获取|获得|签下|搞定|争取到|拉|拉来|拉到|开发|谈下|新增|新签|新拉|新开发|招揽|招来)(?:一个|每个|一家|每家|一位)新?客户.{0,12}(?:花|成本|费用|推广费|市场费|投入)|新客户的?获取成本|\bcost\b.{0,40}\b(?:win|acquire|land|get|sign)\b.{0,12}\b(?:one |a |each |every )?new customers?\b|marketing spend (?:per|for each|to win|to acquire) (?:a |one )?new customer|获(?:取|得)?(?:一个|每个)?(?:新)?客户.{0,4}(?:成本|花费|要花|费用)|cost (?:to|of) acquir(?:e|ing)|cost per (?:new )?(?:customer|acquisition|account)"),
    ("pipeline_coverage", r"\bhow many times\b.{0,80}\bcover\b.{0,40}\b(?:targets?|quotas?|goals?)\b|\bmultiple of\b.{0,30}\b(?:targets?|quotas?|goals?)\b|(?:商机|pipeline|管道|在跟|在途|单子|没关|未关).{0,16}(?:目标|指标)的?(?:几|多少)倍|(?:覆盖|cover)\w{0,2}.{0,4}几倍(?:的)?(?:目标|指标)?|几倍(?:的)?(?:目标|指标)|(?:目标|指标)的?覆盖(?:倍数|率)"),
    ("penetration", r"(?:至少)?(?:签过单|成交过|买过|赢过单?|有过(?:至少一笔)?(?:成交|赢单)|有成交|下过单)(?:至少)?(?:一单|一笔|一次)?的客户(?:家数|数|数量)?[，,]?\s*(?:÷|/|除以).{0,10}客户(?:总家数|总数|家数|总量|数)|客户(?:里|中|当中)[，,]?.{0,12}(?:成交过|买过|签过单|签成过单?|下过单|拿过单|合作过).{0,8}(?:占多少|比例|几成|百分之几|占比)|客户(?:里|中|当中)?[，,]?.{0,10}(?:比例|几成|百分之几).{0,10}(?:成交过|成过交|买过|签过单|签成过单?|下过单|合作过|做成过|谈成过)|(?:至少)?(?:签过单|签成过单?|成交过|曾(?:与|和|跟)?(?:本公司|我们|我司|公司)?(?:成交|合作|签约)过?|买过|合作过|有过成交记录|有成交记录|有过成交|有成交|有过签单|有签单|有过赢单|有赢单|赢过单?|下过单)(?:至少)?(?:一单|一笔|一次)?的客户数?.{0,10}占.{0,12}(?:(?:全部|所有|总)客户|客户(?:总数|总量))|(?:percentage|share|fraction|proportion|%|比例).{0,30}(?:accounts|customers|clients|客户).{0,40}(?:成过交|买过东西|bought from us|purchased from us|have bought|(?:has|have) ever (?:bought|purchased)|(?:bought|purchased) (?:anything|something) from us|(?:have|has|with) (?:at least one|a|any) won deal|成交过|买过|下过单)"),
    ("clv", r"(?:至少)?(?:赢过|成交过|买过|签过)(?:至少)?(?:一单|一笔|一次)?的客户[，,]?.{0,4}平均每(?:家|个|位)?.{0,4}(?:累计|总共|一共)的?(?:赢单|成交|签约)?金额|\baverage (?:cumulative|lifetime|total) (?:value|spend|revenue)\b.{0,80}\b(?:relationship|lifetime|all time)\b|\b(?:over|across) the (?:whole|entire|full) (?:relationship|lifetime)\b.{0,60}\bhow much\b.{0,40}\b(?:customers?|accounts?|clients?)\b|(?:有过(?:至少一笔)?赢单|成交过|买过|成过交)的客户[，,]?.{0,8}(?:累计|总)(?:赢单|成交|签约)?金额的?平均值?|\baverage (?:total )?(?:won )?(?:amount|revenue|bookings|value|spend) per (?:account|customer|client)\b.{0,30}\b(?:whole|entire|full|all) (?:history|relationship|lifetime|time)\b|\baverage\b.{0,30}\b(?:spent|spend|spends)\b.{0,30}\b(?:whole|entire|full) (?:relationship|lifetime|life)\b|(?:每个|平均每个|每一个|平均下来[，,]?每个)(?:跟我们|和我们|与我们)?(?:成交过|买过|签过单?|合作过)的?客户.{0,12}(?:合作至今|从合作至今|整个合作期|历史上|至今).{0,6}(?:累计|一共|总共).{0,10}(?:签约额|成交额|签单额|金额|钱)|(?:贡献|带来|创造).{0,8}(?:终身价值|生命周期价值)|\b(?:average )?lifetime (?:won )?(?:revenue|value|bookings|sales) per (?:customer|account|client)\b|(?:整个|全)?生命周期(?:内|里|中)?.{0,12}(?:贡献|带来|成交|价值|花了?|买了?|签了?)|\b(?:customer|account|client)s?\b.{0,30}\b(?:brought|bring|brings|spent|spend|generated)\b.{0,40}\b(?:life|lifetime|relationship|all time)\b|(?:每个|平均每个|每一个|一个)?(?:跟我们|和我们|与我们)?(?:成交过|成过交|买过|签过单?|合作过|有成交记录|有过成交)(?:我们(?:的)?(?:东西|产品))?的?客户.{0,10}(?:累计|一共|总共|平均).{0,20}(?:签|成交|买|花|带来|贡献)了?多少(?:钱|成交金额|签约金额|签单金额|金额|签约收入|收入|成交额|签约额|业绩|生意额|生意)|\baverage (?:lifetime|total) (?:value|revenue|spend) (?:per|of a|of each) (?:customer|account|client)\b|\bhow much (?:does|do|did|will) (?:a|an average|each|the average|one|a typical|the typical) (?:customer|account|client) (?:end up |wind up )?(?:spend|sign|buy|spending|signing|buying)\b.{0,30}\b(?:over|in total|lifetime|overall|all time)"),
    ("contribution", r"累计(?:下来)?的?\s?(?:头部|前几|top|排名靠前)"),  # '累计下来头部几条线占多少': the Pareto share
    ("contribution", r"\brunning total\b|\b(?:running )?cumulative (?:percent(?:age)?|%)|\bbulk of\b|累计占比|累计\s?%|依次累加|逐个累加|一路累加|累计到|累加下来|累加起来(?![^，,。？?]{0,12}平均)(?!，然后[^，,。？?]{0,12}平均)|累加到|累计占到?(?:多少|几成|百分之几)|累计(?:的)?(?:比例|百分比|占比)|少数(?:几个|几家)?(?:产品|客户|行业).{0,6}撑起|\bcumulative (?:share|proportion)\b|\brunning share\b|贡献|帕累托|二八|pareto|80/20|contribut"),
    ("overdue_tasks", r"(?:还没|未|没有?)(?:完成|做完|办完|关闭).{0,10}(?:截止|到期)(?:日期|时间|日|日子)?(?:已经|都)?(?:过了|已过|超过了?).{0,4}的?(?:任务|待办|事情?)|(?:事|事情|任务|待办).{0,4}(?:已经)?(?:过了|超过了?)(?:截止)?(?:期限|日期|日子).{0,4}(?:还)?(?:没有?|未)(?:办完|完成|做完)|(?:过了|超过了?)(?:截止|到期)(?:日期|日子|时间|期限)?(?:还)?(?:没|未)(?:办完|完成|做完)的?(?:事情?|任务|待办)|(?:已经)?(?:过了|超过了?|已过)(?:截止|到期)(?:日期|时间|日)?的?(?:任务|待办)|(?:截止|到期)(?:日期|时间|日)?(?:已经|都)?(?:过了|已过|超过了?).{0,12}(?:未|没|还没)(?:有)?(?:完成|做完|关闭).{0,8}(?:任务|待办)|(?:任务|待办).{0,8}(?:已经)?(?:过了|超过|已过|拖过)(?:截止|到期)(?:日期|时间|日)?|(?:已过|过了|超过)期限.{0,6}(?:未完成|没完成)|过了?期(?:还|仍|都)?(?:没|未)(?:办完|完成|做完)的?(?:任务|待办|事)|(?:截止|到期)(?:日期|时间|日)?(?:早于|在)\s*(?:今天|今日|当前|现在)?\s*(?:之前)?的?(?:任务|待办)|(?:已过|过了|超过了?|已超过?)(?:截止|到期)(?:日期|时间|日|期限)?[^，,。？?]{0,6}(?:仍|还|尚)?(?:未|没有?)(?:办结|完成|做完|办完|关闭|结束)的?(?:任务|待办)|\b(?:past|beyond|after|over) (?:their|the|its) due dates?\b|任务.{0,6}(?:过期|逾期|超期|到期未完成)|(?:超过|过了|超出|已过|拖过)(?:截止|到期)(?:日期|时间|日)?.{0,12}(?:未完成|没完成|未关闭|没做完).{0,8}(?:任务|待办)|(?:过期|逾期|超期).{0,8}(?:任务|待办)|待办.{0,4}(?:过期|逾期|超期)|"
                      r"\btasks?\b.{0,20}\b(?:past[- ]due|overdue|late|behind schedule)\b|"
                      r"\b(?:past[- ]due|overdue|late)\b.{0,10}\b(?:tasks?|to-?dos?|follow[- ]ups?)\b"),
    ("forecast_accuracy", r"(?:事先估计|预估|估计|预计)(?:要签|能签|会签|的|数).{0,30}(?:准头|准不准|准确度?)|预测[^|｜]{0,12}\s?[-−－]\s?[^|｜]{0,6}实际|forecast.{0,20}\s[-−]\s.{0,20}actual|预测.{0,20}(?:实际|签下来|最后).{0,20}(?:吻合|符合|对得上|偏差|差距|误差|之差|差值|差额|相差|准)|预测.{0,20}(?:有多准|准不准|对得(?:有)?多准|准确)|预测.{0,6}(?:准|偏差|误差|靠谱)|forecast.{0,20}(?:accura|error|\boff\b|vs\.? actual|against actual)|"
                          r"how (?:accurate|good|close|reliable) (?:was|were|is|are) (?:the |our )?forecasts?"),
    ("win_rate", r"赢(?:单)?的?(?:数量|个数|数)?\s*(?:÷|/|除以)\s*\(?\s*赢(?:单)?数?\s*(?:\+|加)\s*输(?:单)?数?|(?:谈成|赢|签成)的?(?:和|加|跟)(?:谈丢|输|丢|没谈成)的?.{0,12}(?:谈成|赢|签成)的?占(?:多少|几成|比例)|\bsettled\b.{0,40}\bhow often\b.{0,30}\b(?:go our way|won|win)\b|\bhow often did (?:it|we|they) (?:go our way|win)\b|\b(?:came|comes|come) down to a yes or (?:a )?no\b.{0,40}\bhow often\b|赢单数?\s*(?:÷|/|除以)\s*(?:已关闭|已结束|已关|关闭|结束|已结案|已结单|结案|结单|已结)的?(?:(?:商机|单子?)数?|数)|赢的?单?数?占(?:赢(?:加|\+|和)输|输赢)的?(?:总数|合计|总和)|\bwon(?: count| deals| number)?\s*(?:÷|/|divided by|over)\s*\(?\s*(?:the )?won[- ]?(?:\+|plus|and)[- ]?lost\b|\bwon\b.{0,20}\bdivided by\b.{0,10}\b(?:deals |opps |opportunities )?won (?:plus|and|\+) lost\b|(?:单子?|商机|订单)(?:里|中)?的?成功率|(?:单子?|商机|订单|生意)(?:的)?(?:成功(?:拿下|签下|赢下|签约|成交)?|谈成|签成)(?:来)?的?(?:比例|比率|概率|几成)|\b(?:decided|resolved)\b.{0,60}(?:\bfraction\b|\bshare\b|\bpercent(?:age)?\b|\bproportion\b|%).{0,30}\b(?:deals?|opportunit(?:y|ies)|opps?)\b.{0,20}\b(?:did we win|we won|were won)\b|\bodds of (?:being won|winning)\b|\bwon\s*(?:÷|/|[- ]to[- ]|divided by|over)\s*\(?\s*won\s*(?:\+|plus|and)\s*lost\b|赢(?:下来|下|了)?的?(?:单|单子|商机).{0,4}占.{0,8}(?:出结果|出了结果|有结果|结束|关闭|结单|定下输赢|分出输赢).{0,6}的?(?:比例|百分比|几成|多少)|\bratio of wins\b|\b(?:won or lost|either way)\b.{0,60}\b(?:ratio|share|percentage|fraction|proportion|rate)\b|(?:\bfraction\b|\bshare\b|\bpercent(?:age)?\b|\bproportion\b|%).{0,40}\b(?:deals?|opportunit(?:y|ies)|opps?)\b.{0,30}\b(?:decided|resolved|reached an? (?:decision|verdict|outcome|result|conclusion))\b.{0,30}\b(?:won|win)\b|\b(?:deals?|opportunit(?:y|ies)|opps?)\b.{0,30}\b(?:decided|resolved)\b.{0,60}(?:\b(?:won|win|went our way)\b.{0,30}(?:\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bproportion\b|%)|(?:\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bproportion\b|%).{0,30}\b(?:won|win|went our way)\b)|\bwon(?: deals| opps| opportunities)? (?:over|divided by|out of|/)\b.{0,40}\b(?:closed|won[- ](?:plus|and|or|\+)[- ]lost|decided)\b|关(?:掉|闭)的.{0,10}(?:比例|几成).{0,4}是?赢|(?:关掉|关闭|已关|结束|关单|结单|结案|结掉|结了|closed ?掉|有了?(?:输赢)?结果|分出了?输赢|(?:定下|定|出)了?(?:输赢|结果|胜负)|分出了?胜负|见了?分晓|有了?分晓|(?:输赢|结果)已定|定下来)(?:了|后|之后|以后)?的?(?:单子?|商机)?(?:里|中|当中)?[，,]?.{0,16}?(?:赢|拿下|谈成|签成|签下|胜出|成功|成了|选了?我们|选择了?我们|选中了?我们)(?:下来|了)?的?.{0,4}(?:占|比例|几成|多少比|百分之|百分比|可能性|概率)|\b(?:reached|got|had|have|with) (?:a )?(?:final |definite |known )?(?:outcome|result|decision|verdict)s?\b.{0,40}(?:%|\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bratio\b|\bproportion\b).{0,30}\b(?:won|wins?)\b|\b(?:reached|got|had) (?:a )?(?:final |definite )?(?:outcome|result|decision|verdict)\b.{0,40}\b(?:won|wins?)\b.{0,30}(?:%|\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bproportion\b)|(?:%|\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bratio\b|\bproportion\b).{0,40}\b(?:won|wins?)\b.{0,30}\bclosed?\b|\bclosed?\b.{0,70}(?:%|\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bratio\b|\bproportion\b).{0,30}\b(?:won|wins?|win)\b|(?:%|\bpercent(?:age)?\b|\bfraction\b|\bshare\b|\bproportion\b).{0,50}\bclosed\b(?![- ]won).{0,40}\b(?:won|wins?)\b|\b(?:wins?|won|winning) the (?:largest|highest|biggest|smallest|lowest) (?:percentage|share|fraction|proportion) of\b|赢单.{0,2}(?:比例|比率)|(?:案子|单子?|商机|生意).{0,4}(?:最|比较|更)?容易(?:赢|拿下|签下|谈成|签成)|成单.{0,2}(?:比例|比率)|赢(?:下来)?(?:的)?(?:比例|概率)|成交率|\bwin[- ]rate|"
                 r"\bwins? (?:the )?(?:most |least )?(?:often|frequently)|win (?:the )?(?:most|least) often|how often (?:do|did) we win|"
                 r"(?:percentage|percent|pct|%|fraction|ratio|proportion) of (?:(?:closed|our|the) )?(?:deals|opportunities|opps)\b.{0,60}\b(?:won|win)\b|"
                 r"(?:percentage|percent|pct|%|fraction|ratio|proportion) of (?:(?:their|our|the|his|her|its) )?(?:closed|finished|decided|completed|resolved) (?:deals|opportunities|opps)\b.{0,40}\b(?:won|win|winning)\b"),
    # of the decided deals, the share won, said the other way round ('结了案的有多少比例是赢的', 'what proportion of
    # X deals did we win, out of those that were decided')
    ("win_rate", r"(?:结了案|结案|结单|谈完|有结论|有了(?:最终)?结论|有结果|有了结果|出了结果|关闭|关掉|已关)(?:了|后|之后|以后)?的?(?:单子?|商机)?(?:里头?|中|当中)?[，,]?.{0,10}?(?:多少比例|多大比例|几成|比例|占比|百分之几)(?:是|为)?(?:赢|拿下|谈成|签成|签下|胜出)|(?:谈完|有结论|有了(?:最终)?结论|结了案)(?:了|后|之后|以后)?的?(?:单子?|商机)?(?:里头?|中|当中)?[，,]?.{0,10}?(?:赢|拿下|谈成|签成|签下|胜出)(?:下来|了)?的?.{0,4}(?:占|比例|几成|多少比|百分之|百分比)|(?:\bfraction\b|\bshare\b|\bpercent(?:age)?\b|\bproportion\b|%).{0,40}\b(?:deals?|opportunit(?:y|ies)|opps?)\b.{0,20}\b(?:did we win|we won|were won)\b.{0,40}\b(?:decided|resolved)\b|(?:\bfraction\b|\bshare\b|\bpercent(?:age)?\b|\bproportion\b|%) of (?:the |our )?(?:decided|resolved) (?:deals?|opportunities|opps)\b.{0,30}\b(?:won|win)\b"),
    ("bookings", r"\b(?:sum|total) of (?:the |all )?(?:won|closed[- ]won) (?:deal )?(?:amounts?|values?)\b|\b(?:summed|sum|total) (?:amount|value)s? (?:across|of|on|over) (?:all )?(?:the )?won (?:opportunities|deals|opps)\b|\bclosed[- ]won totals?\b|\bbought (?:the )?(?:most|least)\b.{0,10}\bfrom us\b|\badd up\b.{0,20}\b(?:amounts?|values?)\b.{0,40}\b(?:won|signed|closed)\b|签成(?:了)?多少(?:金额|钱)|(?:谈成|做成|签成)了?多少(?:金额|钱)|(?<![笔单张均])(?:谈成|做成|成交|签成)的(?:钱|金额)(?!.{0,4}(?:几|多少)(?:个|笔|单))|\b(?:spent|spend|spends|spending)\b.{0,20}\bwith us\b|\b(?:sell|sold)\b.{0,6}\bin total\b|\bin total\b.{0,20}\b(?:did|do|have) we (?:sell|sold)\b|签(?:下来|下|进来)(?:了)?多少(?!个|家|单|笔|位)|\b(?:earned|made|brought in|generated)\b.{0,20}\b(?:money|revenue|dollars)\b|\b(?:earned|made|brought in|generated) us the most\b|\bhow much (?:did|do|does|have|has)\b(?:\s+[\w\']+){1,4}\s+(?:sign|close|sell)\b|\b(?:sign|signed|close|closed|book|booked) (?:the )?(?:most |more |less |new )?business\b|\bwhat(?: did|'d) (?:\w+ ){1,3}(?:sign|close|book|sell)\b(?! (?:up|off|out|on)\b)|\bwhat (?:\w+ ){1,4}(?:each|both|all) (?:sold|sell|signed|sign|booked|book|closed|close)\b|(?:(?:(?<![能会将可])(?<!预计)(?:赢|签)(?:下来|下|了)的?|(?<![输定])赢的)(?:单子?|商机|订单|合同)|(?<![输定])赢单)(?!率).{0,6}(?:合计|一共|总共|总计|加起来|加在一起)(?:是)?(?:多少)?(?:金额|钱)?(?!\s*有?\s*(?:几|多少)?\s*(?:个|笔|单|张|家))|(?<!average )(?<!avg )(?<!mean )\bwon[- ]deal (?:value|dollars|revenue|amount)\b|(?<!mean )(?<!average )(?<!avg )(?<!typical )\b(?:total )?value of (?:the |our |all )?(?:won|closed[- ]won) (?:deals|opportunities|opps)\b|\b(?:total )?value of (?:the |all )?deals\b(?:(?!\b(?:not|yet|still|open|unsigned)\b).){0,30}\b(?:signed|won|booked)\b|\bwhat (?:we(?:'ve| have)?|they(?:'ve| have)?|\w+ has) (?:signed|booked|won|sold)\b|\b(?:total |combined |overall |aggregate )?value of (?:all )?(?:the )?deals (?:we |that we )?(?:won|signed|booked)\b|(?<!average )(?<!avg )(?<!mean )(?<!typical )\b(?:signed|won|closed[- ]won)[- ](?:contract|deal|order) (?:value|amount|revenue)s?\b|\beverything (?:we(?:'ve| have)? )?(?:ever )?sold\b|\bvalue of (?:the |all )?(?:contracts|orders) (?:we |that we )?(?:signed|won|booked)\b|\b(?:value|amount|total) of (?:the |our )?(?:won|closed[- ]won|signed) business\b|\b(?:revenue|value|amount|dollars|money)\b.{0,20}\bfrom (?:the |our |all )?(?:won|closed[- ]won) (?:deals|opportunities|opps)\b|\bclosed[- ]won business\b|\bhow much business\b.{0,30}\b(?:done|did|do|does|doing|closed|signed|booked)\b|(?<!average )(?<!avg )(?<!mean )\b(?:sign|signed|close|closed|win|won|book|booked) (?:in |the )?(?:most |least )?deal value\b|(?<!average )(?<!avg )\bdeal value\b.{0,20}\b(?:win|won|sign|signed|close|closed|book|booked)\b|\b(?:revenue|value|amount|dollars|money|sales) (?:from|of|on|in) (?:the |our |all )?(?:won|closed[- ]won) (?:deals|opportunities|opps)\b|\b(?:did|do|does|have|has)\b(?:\s+[\w']+){1,5}\s+book\b(?!\s+(?:a|an|the)\s+(?:meeting|call|demo|visit|room))|签单(?:的)?(?:咋样|怎么样|咋样|怎样|如何|怎样|表现)|(?:生意|单子|买卖)做得(?:怎么样|咋样|如何|怎样|好不好)|签单(?=占(?!.{0,3}(?:目标|指标|任务))|合计|总计|一共|总额)"),
    ("conversion", r"每一?(?:层|级|步|个阶段).{0,8}(?:还剩|剩下|有)(?:多少|几)|how many (?:are )?(?:left|remain) at each (?:stage|step|level)|\b(?:keep|left|remain|drop)\b.{0,10}\bat each (?:step|stage|level)\b|each (?:stage|step|level) of the funnel|\b(?:convert|turn)(?:s|ed|ing)?\b(?!.{0,50}\b(?:decided|closed(?![- ]won)|won or lost|either way)\b).{0,60}\b(?:into|to)\s+(?:wins?|won|closed[- ]won|deals|customers)\b"),
    ("response_time", r"(?:第一次|首次|头一回|头一次|第一条)(?:去|有了?|出现)?(?:跟进|联系|联络|碰面|触达)|第一条[^，,。？?]{0,8}?(?:跟进|接触|联系|联络)的?记录|(?:第一次|首次)(?:去|来)跟(?!进)|\bfirst (?:gets?|got|get) in touch\b|\bbefore (?:somebody|someone|anyone|we) first\b|\bfirst follow[- ]?up(?: activity)?\b|\bfirst (?:follows?|followed) up\b|\b(?:follows?|followed) up\b.{0,12}\b(?:the|for the) first time\b|\bbefore\b.{0,25}\bfirst (?:activity|touch|touchpoint|contact|follow[- ]?up|call)\b|\bfirst (?:reaches|reached) out\b|多久.{0,6}跟进|跟进(?:得)?最(?:慢|快|及时)|最(?:慢|快)(?:的)?跟进|"
                      r"\b(?:slowest|fastest|quickest)\b.{0,20}\bfollow(?:ed|s|ing)?[- ]?up|(?:第一次|首次)跟进.{0,10}(?:多久|时间|天|速度)|跟进.{0,3}(?:多快|速度|及时)|"
                      r"(?:几|多少)天.{0,4}(?:第一次|首次).{0,5}(?:跟进|联系|触达)|"
                      r"how (?:quickly|fast|soon|long)\b.{0,60}\b(?:follow(?:ed)?[- ]up|respond|reach out|first (?:touch|contact|activity))|"
                      r"time (?:to|until) (?:the )?(?:first )?(?:touch|contact|response|follow[- ]?up|activity)|first[- ]response"),
    ("avg_sales_cycle", r"(?:赢单|成交|签单|关单)的?平均周期|平均.{0,4}(?:多少|几)天|平均.{0,3}(?:花|用|要|需要)了?多(?:久|长时间)|多少天.{0,4}(?:成交|赢单|签单)|(?:要|需要|得)?多(?:久|长时间).{0,4}(?:成交|赢单|签单|关单|拿下)|"
                        r"(?:创建|新建|立项|建立|录入|开案|开单)到(?:成交|赢单|签单|关单).{0,8}(?:天|多久|时间|周期)|"
                        r"how (?:many days|long)\b.{0,30}\b(?:close|win|sales cycle)|days to (?:close|win)|\bhow long\b.{0,80}\binto an? (?:won|closed[- ]won|signed|winning) (?:deal|opportunity|contract)\b|"
                        r"\bhow (?:many days|long)\b.{0,30}\btak(?:e|es|en|ing)\b|\bhow (?:many days|long)\b.{0,50}\bfrom\b.{0,40}\b(?:to|until|till)\b.{0,20}\b(?:won|close[ds]?|closing|win|wins|winning|signed|signing)\b|"
                        r"\bdays? (?:\w+ ){0,4}(?:from|between)\b.{0,40}\b(?:creat|open)\w*\b.{0,20}\b(?:to|and|until)\b.{0,10}\b(?:clos|won|win)"),
    ("avg_deal_size", r"\b(?:win|won|close|closed|sign|signed|land|landed)\b.{0,30}\b(?:sale|deal|order|contract)\b.{0,20}\bhow (?:big|large|much)\b.{0,20}\bon average\b|(?:单笔|每笔|每单|一单|一笔)(?:成交|签单|赢单|订单|合同)?的?平均(?:金额|额|值|价值)|(?:赢单|签单|订单|合同)的?平均(?:金额|额|单价|价值)|(?:已?赢单|赢下|签下)的?(?:商机|单子?|订单|合同)的?平均(?:金额|额|值|价值)|\bdeal\b.{0,40}\b(?:worth|big|large|much)\b.{0,10}\bon average\b|\bon average\b.{0,30}\bdeal\b.{0,20}\bworth\b|\baverage\b.{0,20}\b(?:deal|won deal)\b.{0,20}\bworth\b|\baverage (?:value|size|amount|worth) of (?:a |an |each |one |the )?(?:won |closed |closed[- ]won )?(?:[\w-]+ ){0,3}deals?\b|\bhow much is (?:a|an|the average) (?:won )?(?:[\w-]+ ){0,3}deal worth\b|\bhow (?:big|large) is (?:a|an|the average|the typical|a typical|our average) (?:won |closed |closed[- ]won )?(?:[\w-]+ ){0,3}deal\b|平均(?:每|一)?[单笔]|平均每(?:赢下|签下|拿下|成交|赢|签)(?:一|每)?[单笔]|单均|平均.{0,2}(?:成交|签单|赢单|订单|合同)(?:金)?额|(?:每|一)[单笔张](?:平均)?(?:多少钱|多少|多大|金额)|"
                      r"单子平均(?:多大|多少)|average (?:won[- ])?(?:deal|order|contract) (?:size|value|amount)|avg\.? (?:won )?deal|"
                      r"(?:average|typical|mean) (?:size|value|amount) of (?:a |the |our )?(?:won )?(?:deals?|contracts?|orders?)|"
                      r"how (?:big|large) is (?:the |an? |our )?(?:average|typical) deal"),
    ("open_pipeline", r"(?:还|尚)?(?:没|未)(?:有)?(?:定|分出?|出|见)(?:输赢|结果|分晓)的?(?:单子?|商机).{0,10}(?:金额|总额|价值|多少钱|值多少)|(?:还开着|仍开着|开着|没关闭|还没关掉|没关掉|还没关)的?(?:那些)?\s?(?:商机|单子?|机会|opportunit(?:y|ies)|opps?|deals?).{0,16}?(?:金额|总额|价值|多少钱|值多少|amount|value)|(?:还没|尚未|未)\s?closed?\s?的?\s?(?:opportunit(?:y|ies)|opps?|deals?|商机|单子?)|(?:还没谈完|还在谈|尚未有结果|还没(?:有)?结果|没结果|没结束|还没结束|未结束)[^，,。]{0,16}?(?:单子?|商机|机会).{0,8}(?:金额|总额|价值|多少钱|值多少)|(?:还没签下来|还没签|尚未签约|还没成交|尚未成交)的?(?:那些)?(?:单子?|商机|机会)(?:里头?|中|当中)?[^。]{0,24}?(?:金额|总额|价值|多少钱|值多少)|\b(?:dollar|amount|value|money|worth)\b.{0,40}\b(?:deals|opportunities|opps)\b.{0,15}\b(?:that |which )?(?:haven't|have not|hasn't|are not yet|aren't yet|not yet|yet to be)\b.{0,6}\bclosed?\b|\b(?:deals?|opportunit(?:y|ies)|opps?) (?:that are |which are )?still (?:open|in progress|in play|active|pending)\b|\b(?:not[- ]yet[- ]closed|unclosed|unfinished|undecided) (?:deals|opportunities|opps)\b|\bstill[- ]open deals?\b|\bdeals? (?:that |which )?(?:remain|remains|are still|is still) (?:open|in progress|undecided|unresolved)\b|\bvalue of (?:all )?(?:the )?open (?:deals|opps|opportunities)\b|\bopen\b\s?的?\s?(?:商机|单子)|\bopen (?:deals|opps|opportunities|pipeline)\b|(?:还)?没(?:有)?(?:关|结)(?:单|掉|闭|束)?的?(?:商机|单子).{0,14}(?:金额|多少钱|总额|一共)|手上.{0,4}没关的商机|预计.{0,12}(?:成交|关单|签单|签约|签下来|签下|签成|赢单|落单|落定|敲定|定下来|拍板).{0,6}(?:商机|金额|多少)|(?:还没|尚未|没有)(?:关闭|结案|关单|结束)[^。]{0,40}?(?:商机|单子).{0,8}(?:金额|合计|总额)|"
                      r"\b(?:expected|forecast(?:ed)?|slated|projected|due|set) to close\b|"
                      r"(?:未关闭|未结|在途|进行中|跟进中|在跟|开放|在手|未成交|open)(?:的)?商机.{0,8}(?:金额|总额|价值|多少钱|规模)|"
                      r"\b(?:open|active|in[- ]progress|in[- ]flight)\s+(?:deals?|opportunit(?:y|ies)|opps?)\b.{0,15}\b(?:value|worth|amount|total)\b|"
                      r"\b(?:value|worth|amount|total)\b.{0,20}\b(?:open|active|in[- ]progress)\s+(?:deals?|opportunit(?:y|ies)|opps?)\b"),
    ("deals_lost", r"(?:以失败告终|失败告终|黄了|丢掉了?|丢了)的?(?:单子?|商机|订单).{0,4}(?:几|多少)|黄了(?:几|多少)(?:个|笔)?单|(?<![还尚])(?:没|未|没有)能?(?:拿下|签下来?|赢下来?|赢|谈成|签成)的?(?:单子?|商机)?.{0,4}?(?:几|多少)(?:个|笔|单|张)?"),  # '结果没拿下的单子有几笔' (not 还没…: still open)
    ("deals_won", r"赢单(?:数)?(?:共计|一共|总共)?(?:几|多少)(?:个|笔|单)|\bclosed[- ]won (?:deals?|opps?|opportunities)\b|\bwon deal count\b|\bdeal count\b.{0,12}\bwon\b|(?:赢|签|成交|拿下|签下|搞定|中标|谈成)(?:了|下|掉|来|成)*(?:几|多少)(?:个|笔|张)?(?:赢|订)?单|(?:赢|签|拿下|签下|搞定)(?:了|下来|下)*的(?:单|单子|订单|合同|商机)[，,]?(?:一共|总共)?有?(?:几|多少)(?:个|笔|单|份)|赢单的?(?:商机|单子?|订单)?的?(?:个数|数量|数目)|赢单的?(?:商机|单子?|订单).{0,12}计数|赢单(?:单数|笔数|条数)|(?:拿下|赢|签下)的?(?:单子?|订单)(?:的)?(?:笔数|单数|个数|数量)|(?:赢|拿下|签下|搞定|中标)(?:了|下|来)*(?:几|多少)笔(?![钱款])|(?:赢|签下?|拿下)(?:了|的)*(?:单|单子)(?:最多|最少|数|数量)|"
                  r"(?:how many|number of|count of) (?:deals|opportunities|opps|orders)\b[^?]*\b(?:won|win|sign|signed)\b"),
    ("deals_lost", r"掉单|(?:丢|输|失)(?:掉|了|的)*(?:几|多少)?(?:个|笔|张)?\s?(?:单|商机|案子|deals?\b|opps?\b)|没(?:拿下|签下|赢)(?:的)?(?:几|多少)(?:个|笔)?单|(?:几|多少)(?:个|笔)?(?:单|单子|商机)[^，,。？?]{0,6}(?:没谈成|没签成|没拿下|丢掉了|输掉了|丢了|输了|黄了)|"
                   r"(?:how many|number of|count of) (?:deals|opportunities|opps)\b[^?]*\b(?:lost|lose|loss|losses)\b"),
    ("collections", r"俾返?.{0,6}钱(?:我们|我司)|\bpaid\b.{0,15}\binto our (?:account|bank)\b|(?:付|打|汇|转)(?:了|过)?(?:我们|你们|我司|贵司)(?:一共|总共)?多少(?:钱|款|货款)|客户(?:的)?(?:付款|打款|汇款)|(?:付|打|汇)给(?:我们|我司|你们|贵司)(?:了|的)?(?:多少|一共)?(?:钱|款)|打进来的?(?:钱|款)|回了(?:好多|多少|几多|不少|几笔|很多)?款|打款(?=最多|最少|金额|总额|多少|的|排|前)|收到的?(?:客户)?(?:的)?(?:付款|货款|款项|打款|汇款)|打过来(?:了)?(?:多少|的)?(?:钱|款)|打了?多少钱过来|汇过来|(?:打款|付款|回款|汇款)给(?:我们|你们|我司|贵司)|给我们(?:打|付|汇)了?(?:多少)?(?:钱|款)|收到(?:客户)?的?钱|(?:回|打|转|进)?到(?:了)?(?:我们|公司|我司)?(?:的)?账(?:上|里)的?(?:钱|款)|收进来的?(?:客户)?的?(?:钱|款项?|货款)|收了?客户.{0,4}钱|收回.{0,4}(?:款|钱)|\b(?:paid|pays|paying|pay) us\b|回(?:了)?多少(?:款|钱)|回的款|收(?:到|了|回)?多少(?:钱|款)|"
                    r"how much (?:cash|money)\b.{0,40}\b(?:collect|came in|come in|receiv)|how much\b.{0,40}\bcollect"),
    ("avg_deal_size", r"(?:每|一)[单笔]平均(?:成交|签单|赢单|签)?(?:多少钱|多少|金额|多大)|(?:每|一)[单笔](?:成交|签单|赢单|订单|合同)的?平均(?:多少钱|多少|多大)|平均(?:每一?|一)[单笔](?:签下来|签下|成交|签单|赢单|签)?(?:的|是|为)?(?:多少钱|多少|金额|多大)"),  # before '成交多少'
    ("bookings", r"(?:成交|签)(?:了|过)?多少(?!个?单|笔|家|个|位|新?客户)|(?:做成|谈成|签成)的(?:单子|生意)(?![^，,。？?]{0,6}(?:几|多少)(?:个|笔|单))|花(?:的)?钱最(?:多|少)|卖(?:的|得|了|出去?的)钱|\b(?:closed as won|won)\b.{0,40}\btotal (?:value|amount)\b|\btotal (?:value|amount)\b.{0,30}\b(?:won|closed[- ]won)\b|卖(?:了|出|出去)?多少|(?:卖|买)得?(?:最多|最好|最少|最差|怎么样|咋样|怎样|如何|可好|好不好)|"
                 r"(?:买|采购|购买)了?(?:我们)?(?:的)?(?:东西)?多少(?!个|次|单|笔)|"
                 r"how much\b.{0,60}\b(?:close|closed|book|booked|sell|sold|bought|buy|purchased|spent|spend|won|win)\b|how much revenue|"
                 r"\b(?:sells?|sold|selling)\b.{0,10}\b(?:most|best|least|worst)\b|best[- ]selling|top[- ]selling"),
    ("activity_count", r"\b(?:phoned|called|rang)\b.{0,20}\b(?:customers|clients|accounts)\b.{0,10}\b(?:the )?(?:most|least)\b|(?:电话|拜访|会议|上门)类?的?(?:跟进)?(?:活动|记录)的?(?:条数|次数|数量)|\bhow many times\b.{0,40}\b(?:visit(?:ed|s)?|call(?:ed|s)?|met with)\b|上门.{0,8}(?:多少|几)(?:回|次|趟)|见了?(?:几次|多少回|多少次)客户|见了?客户.{0,4}(?:多少|几)(?:回|次)|(?:打|拨)了?的?(?:几|多少)?(?:个|通)?电话|电话.{0,3}(?:次数|最多|最少|多少次|打得)|拜访了?.{0,8}(?:次|最多|最少)|"
                       r"见了?.{0,3}(?:几|多少)次客户|(?:上门|拜访|见客户)(?:了)?(?:几|多少)(?:次|回)|"
                       r"\b(?:most|fewest|least|how many|number of|count of|total)\b.{0,15}\b(?:calls|visits|meetings|activities)\b|"
                       r"\b(?:made|make|making|placed|logged|held)\b.{0,20}\b(?:calls|visits|meetings)\b"),
    ("deals_created", r"(?:新建|新增|创建|新开|开|建|录入|新进)了?(?:几|多少)个?(?:新)?商机|(?:创建|新建)(?:日期|时间).{0,8}(?:商机|opportunit(?:y|ies)|opps?|单子).{0,3}(?:条数|个数|数量|计数)|"
                      r"(?:新建|新增|新开|创建)(?:了)?的?\s?(?:opps?|opportunit(?:y|ies)|商机|单子)\b.{0,8}(?:多少|几个|数量|个数)|"
                      r"(?:how many|number of|count of) (?:new )?(?:deals|opportunities|opps)\b[^?]*\b(?:created|opened|added|new|generated)\b"),
    ("new_customers", r"\bbec(?:a|o)me (?:new )?customers\b|\bfirst(?:[- ]ever)? (?:successful|won|winning) (?:deal|order|contract)\b|\b(?:signed|signing|closed|closing|won|winning|placed|placing) (?:their|its|a) first (?:deal|order|contract)\b|\bfirst[- ](?:ever )?(?:deal|purchase|order) with us\b|\b(?:customers|accounts|clients|companies|organi[sz]ations|firms|businesses)\b.{0,30}\b(?:win|won|sign|signed|land|landed|acquire|acquired|bought|purchased|ordered)\b.{0,30}\bfor the (?:very )?first time\b|\bfirst[- ]time (?:customers|buyers|accounts|clients)\b|\bbec(?:a|o)me (?:paying )?customers? for the first time\b|(?:第一次|头一回|头一次)(?:(?:跟|和|与|在|从|找|向)(?:我们|你们|我司|贵司)(?:这里|这儿|这边|那里|那儿|公司)?)?(?:成交|签单|签约|下单|购买|买东西|买|合作)的?|首次(?:成交|签单|下单)的?客户|(?:以前|之前|此前|过去|从前)(?:从来|一直|从)?(?:没|未)(?:有)?(?:成交|合作|买|下单|签单|签约|签)过(?:单)?的?(?:客户|公司)|(?:首笔|第一笔)(?:赢单|成交).{0,16}(?:客户|account|公司)|(?:首次|第一次|头一回)(?:赢单|成交|签单|下单)(?:发生)?在?.{0,12}的客户|(?:新增|新签|新开|新|拿下|开发|获得|获取|签下|新开发|新拿下)了?(?:几|多少)?(?:个|家|位)?(?:新)?客户|签了?(?:几|多少)(?:个|家|位)?新客户|"
                      r"(?:how many|number of) (?:new )?(?:customers|accounts|clients|logos)\b[^?]*\b(?:acquire|acquired|won|signed|landed|gained|added)\b|"
                      r"(?:how many|number of) new (?:customers|accounts|clients)|first[- ]time (?:customers|buyers)|net[- ]new (?:customers|accounts|logos)"),
    ("target_attainment", r"达到了?(?:各自|自己|他们|其)?的?(?:季度|年度|月度)?(?:目标|指标)的?(?:百分之多少|百分之几|多少|几成|比例)|\bhow far along\b.{0,40}\b(?:toward|towards|to)\b.{0,20}\b(?:targets?|quotas?|goals?|assigned (?:number|figure)s?)\b|\bprogress (?:toward|towards)\b.{0,30}\b(?:targets?|quotas?|goals?)\b|(?:指标|目标|任务)都?完成(?:到|了)几成|离.{0,8}(?:指标|目标).{0,6}完成(?:到|了)?(?:几成|多少)|对.{0,6}(?:指标|目标|配额)的?完成(?:比例|率|度|百分比)|\b(?:percent(?:age)?|share|fraction|proportion) of (?:their|the|its|his|her|our) (?:own )?(?:sales |quarterly |annual |monthly )?(?:targets?|quotas?|goals?)\b|(?:指标|目标|任务|配额)(?:算|来算|来看)?[，,]?.{0,6}完成(?:的)?(?:比例|率|度|百分比)|(?:签单|成交|业绩|实际).{0,8}占.{0,4}(?:目标|指标|任务)的?(?:比例|百分比|百分之几|几成)|完成了?\s?(?:自己|各自|个人)?(?:的)?\s?(?:季度|年度|月度|本季|全年)?(?:业绩|销售|签单)?(?:目标|指标|任务|quota|target)\s?的?(?:百分之多少|百分之几|百分比|多少|几成|比例)|(?:目标|指标|任务|配额)完成(?:了)?的?(?:比例|百分比|百分之多少|百分之几|率)|(?:个人|自己的)?(?:指标|目标)完成得?(?:最好|最差|最高|最低|最足|最多|最少)|完成了?(?:多少|百分之多少|几成)(?:的)?(?:目标|指标)|目标完成了?(?:多少|几成)|(?:目标|指标|任务|配额|target|quota)\s?(?:都|分别|各自)?完成了?(?:百分之多少|百分之几|几成|多大比例)|目标完成得?(?:怎么样|咋样|如何|情况)|(?:离|距离)目标还差|"
                          r"(?:hit|met|meet|reach|reached)(?:ing)? (?:their |the |our |its )?(?:target|quota|goal)s?\b|"
                          r"(?:progress|performance) (?:to|against|vs\.?) (?:target|quota|goal)|% (?:to|of) (?:quota|target|goal)"),
]
# patterns that yield to any metric synonym ('average sales cycle of H1 wins' is a cycle, not a count;
# 'biggest customers by collections' are ranked by collections)
WEAK_PATTERNS: list[tuple[str, str]] = [
    ("bookings", r"(?:赢|签)(?:下来|下)的?金额|(?:赢|签)(?:下来|下|了)?多少(?:金额|钱)|(?:签|赢)(?:下来|下)?的(?:单子?|合同|订单)(?:的)?总?(?:金额|额)|(?:签单|签约|合同)(?:的)?总?金额"),  # '签下来的单子金额'
    ("deals_won", r"\bwins\b|\b(?:won|win|winning|signed|sign)\b.{0,20}\borders\b|\b(?:count|number) of (?:deals|opps|opportunities)\b.{0,20}\b(?:won|closed as won|closed[- ]won)\b|\bhow many (?:deals|opps|opportunities)\b.{0,20}\b(?:land|landed|win|won|sign|signed|bag|bagged|bring home|brought home|(?:close|closed) successfully)\b|\b(?:win|won|winning)\b(?! rate).{0,30}\bdeals\b"),
    ("deals_lost", r"\b(?:lose|loses|lost|losing|losin\'?)(?![a-z]).{0,30}\b(?:deals?|orders)\b|\bdeals?\b.{0,30}\bturn(?:ed|s)? (?:us )?down\b|\bdeals?\b.{0,20}\b(?:ended up|end up|wound up) (?:losing|lost|being lost)\b|\b(?:number|count) of deals\b.{0,30}\b(?:lost|losing)\b|\bhow many deals\b.{0,30}\b(?:lose|lost|losing)\b"),
    ("deals_created", r"\b(?:deals|opportunities|opps)\s+(?:created|opened|added|generated)\b|\bhow many (?:new )?(?:deals|opportunities|opps)\b.{0,20}\b(?:open|opened|create|created|add|added|generate|generated)\b"),
    ("bookings", r"\b(?:biggest|largest)\s+(?:\d+\s+)?(?:customers|accounts|clients)\b|最大的?(?:\d+|[一二三四五六七八九十]+)?(?:个|家)?客户"),
    ("bookings", r"签得(?:最多|最少|更多|多|少|怎么样|咋样|如何|怎样)|(?:的|全部|所有|整年|全年)(?:成交|签单|赢单)(?:里面|里头|当中|之中|中|里)|签(?:下来|下)?的(?:钱|金额)|签的(?:单子?|合同|订单)(?![^，,。？?]{0,6}(?:几|多少)(?:个|笔|单|份|张))|拿下的?(?:合同|单子|订单)(?:的)?(?:累计|总)?(?:金额|额)"),  # '哪边签得多', '这个月签的金额'
    ("bookings", r"\b(?:bring|brings|brought|bringing) in\b"),  # 'how much did Darcel bring in'
    ("bookings", r"\bhow many dollars\b.{0,40}\b(?:close|closed|sign|signed|win|won|book|booked|land|landed)\b|\b(?:dollar value|dollar amount|dollars|value|amount) of (?:the )?deals\b.{0,30}\b(?:won|closed as won|closed[- ]won)\b"),
    ("response_time", r"\b(?:created|creation|creating|create|opened|opening)\b.{0,40}\bfirst (?:logged |recorded )?(?:activity|touch|touchpoint|contact|follow[- ]?up|call)\b"),
]
NOT_A_METRIC_AFTER = re.compile(r"\s*(?:reps?|agents?|people|persons?|team|staff|managers?|cycle|funnel|pipeline|"
                                r"representatives?|executives?|org|department|opportunit(?:y|ies)|opps?|leads?|calls?|visits?|meetings?|tasks?|activit(?:y|ies))\b")
OWN_FINANCIALS_RX = r"'s (?:annual |yearly )?(?:revenue|turnover)|的(?:年)?(?:营收|营业额|年收入)|(?:revenue|turnover) of (?:the )?(?:company|customer)"
FUNNEL_RX = r"\bstep[- ]by[- ]step\b|漏斗|逐层|逐级|一层一层|一步一步|每一个?step|\beach step\b|funnel|\b(?:through|past|at) (?:each|every) (?:step|stage)\b|\b(?:walk me through|go through|run through) the stages\b|\bstage[- ]by[- ]stage\b|每一(?:层|级|个阶段|步|关|环)|各(?:层|级)|每个(?:阶段|环节)"  # every level of the funnel, not one stage pair
PCT_TOP_RX = r"(?:排在前面的?|前面的?|前|top\s*|(?:biggest|largest|highest[- ]value|best|leading)\s+|排名前|排前|头部|最大的?(?:那)?|排在最前[头面]的?(?:那)?|排在前头的?(?:那)?|最前头的?(?:那)?|最靠前的?(?:那)?)\s*(?:(?:20|twenty)\s*(?:%|percent|％)|百分之二十|五分之一|1/5|[两二]成|fifth|quintile)|(?:20|twenty)\s*(?:%|percent)\s*(?:的)?"
# 'of the opps created in 2017, what % ended up won?': opportunity → won conversion asked as a share of created deals
CREATED_WON_SHARE_RX = (
    r"\b(?:newly )?(?:created|opened|new) (?:opps|opportunities)\b.{0,30}\b(?:end up|turn into|become|convert)\b.{0,20}\b(?:signed|won|closed[- ]won|wins?)\b|"
    r"\b(?:opps|opportunities|deals)\b.{0,30}\b(?:created|opened|new)\b.{0,40}"
    r"(?:%|\b(?:percent|percentage|share|fraction|proportion|how many)\b).{0,45}\b(?:won|wins?|winning|closed[- ]won|converted)\b|"
    r"(?:%|\b(?:percent|percentage|share|fraction|proportion)) of (?:the )?(?:new |newly created )?(?:opps|opportunities|deals)\b"
    r".{0,30}\b(?:created|opened)\b.{0,30}\b(?:won|converted)\b|"
    r"(?:新建|新增|创建|新开)(?:出来)?的?(?:那批|这批|那些|这些)?\s?(?:商机|单子|opportunit(?:y|ies)|opps?).{0,12}(?:多少比例|比例|百分之几|几成|多少).{0,8}(?:赢|成交|签了|签下|签成|拿下)|(?:新建|新开|新增|创建)的?(?:单子|商机)(?:总数|数)?(?:算|来算)[，,]?.{0,12}(?:最后|最终)(?:签成|赢下|成交|签下来|赢单)的?(?:比例|占比)|"
    r"(?:新建|新增|创建|新开)(?:出来)?的?(?:那批|这批|那些|这些)?\s?(?:商机|opportunit(?:y|ies)|opps?).{0,12}(?:赢|成交|签|拿下).{0,8}(?:占多少|占比|比例|百分之几|占几成|几成)|"
    r"(?:新建|新增|创建|新开)的?\s?(?:商机|opportunities|opps).{0,6}(?:赢单|成交)的?转化率|"
    # '名下的商机里，最终签下来的占比': of the opportunities (a rep) has, the share that ended won
    # (not '出了结果的商机里…': of the decided ones, that is the win rate)
    r"(?<!关单)(?<!关单的)(?<!结果的)(?<!结果了的)(?<!关闭的)(?<!关闭)(?<!关掉的)(?<!关掉)(?<!关了的)(?<!已关的)(?<!已关)(?<!结束的)(?<!结束)(?<!结单的)(?<!结单)(?<!结案的)(?<!结案)(?<!已结的)(?<!已结)(?<!输赢的)(?<!胜负的)(?<!已定的)(?<!定了的)(?<!定下来的)(?<!closed )(?<!decided )(?<!resolved )"
    r"(?:商机|销售机会|opportunit(?:y|ies)|opps?)\s?(?:里|中|当中|之中)[，,]?.{0,8}(?:最终|最后|后来)?(?:签下来|签成|签约|签单|赢下来|赢了|赢单|赢下|拿下|成交|成单)"
    r"的?(?:占比|比例|比率|百分比|几成)|"
    r"(?:商机|销售机会)[，,]?(?:最终|最后|后来)(?:能|会)?(?:被客户|被)?(?:真正|真的|实际)?(?:签成合同|签下合同|签下来|签成|签约|签单|赢下来|赢单|赢下|赢了|拿下|成交|成单){1,2}的?(?:占比|占几成|占多少|比例|比率|百分比|几成)|"
    r"(?:最后|最终)?(?:赢单|成交|签下|赢下)的?(?:个数|数量|数)\s*(?:除以|÷|/)\s*(?:新建|新增|创建|全部|所有|名下|手上)?的?(?:商机)?(?:总个数|总数|总量|个数|数)|"
    r"(?:%|\b(?:percent|percentage|share|fraction|proportion)) of (?:the |their |our |his |her )?(?:deals|opps|opportunities) (?:that )?(?:they|we|he|she|reps?|each rep) (?:open|opened|create|created|start|started|take on|took on)\b.{0,20}\b(?:won|closed[- ]won|signed)\b|"
    r"\b(?:signing|winning|closing|landing|signs|wins|closes|lands)\b.{0,30}\b(?:fraction|share|percentage|proportion) of (?:the |their |his |her )?(?:potential |new )?(?:deals|opps|opportunities) (?:they|he|she) (?:open|start|begin|take on|pick up|work on)\b|"
    r"(?:接手|经手|负责|名下|手上|跟进|建|创建|新建)的(?:单子|商机)[，,]?.{0,6}(?:最终|最后|后来|到头来)(?:能|会)?(?:签成|签下来|赢下来|赢单|拿下|成交|成单)的?(?:比例|占比|比率|百分比|几成)|"
    r"\b(?:won|winning)\b.{0,12}\bdivided by (?:how many|the number|the count)\b.{0,20}\b(?:created|opened)\b|"
    r"\b(?:opportunit(?:y|ies)|opps?|deals?) cohort\b.{0,50}\b(?:won|closed[- ]won|wins?)\b|"
    r"\bconverts?\b.{0,30}\b(?:proportion|share|fraction|percentage) of (?:its |their |his |her )?(?:opportunities|opps|deals) into (?:won|closed[- ]won|signed)\b|"
    r"\bturns?\b.{0,25}\b(?:share|fraction|percentage|proportion|portion) of (?:their|his|her|its|the|all) (?:own )?(?:opportunities|opps|deals)\b.{0,6}\binto\b|"
    r"\b(?:share|fraction|percentage|proportion|portion) of (?:their|his|her|its|all) (?:own )?(?:opportunities|opps)\b.{0,20}\b(?:ending up|end up|ended up|turning into|becoming) (?:as )?(?:won|wins?|signed)\b|"
    r"\bratio of won (?:opportunities|opps|deals) to all (?:the )?(?:opportunities|opps|deals)\b(?!\s+(?:that )?(?:closed|decided|settled|resolved))|"
    r"\bwon\b.{0,40}\b(?:divided by|by the number of|over)\b.{0,40}\b(?:opportunities|opps|deals)\b.{0,20}\b(?:created|opened)\b|"
    r"(?:%|\b(?:percent|percentage|share|fraction|proportion)) of (?:their|the|our|his|her|its|all) (?:opps|opportunities)\b.{0,12}"
    r"\b(?:ended up|end up|eventually|finally|in the end|were eventually|got)\b.{0,10}\b(?:won|closed[- ]won|converting|converted)\b|"
    r"\b(?:opportunities|opps)\b.{0,60}\b(?:share|percentage|fraction|proportion)\b.{0,20}\b(?:ended up|end up|eventually|finally)\b.{0,10}\b(?:won|closed[- ]won)\b")
TREND_WORDS_RX = r"趋势|走势|变化|\btrend|over time"  # a trend grain, unless the words describe a 同比/环比 change
