"""The period expressions `retrieval.timeparse` recognises: (regex, kind) rules, Chinese and English, and for
each rule the words every match contains (`TRIGGERS`, tried first; None: always try the rule)."""

from __future__ import annotations

from retrieval.periods import NUM

_ZH_M = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_ZH_D = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_EN_M = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_YEAR = r"(?P<y>(?:\d{4}|[零〇一二三四五六七八九]{4})\s*年?|\d{2}\s*年|今年|去年|前年|本年|上年)?\s*的?"
RULES: list[tuple[str, str]] = [
    # --- Chinese ---------------------------------------------------------------------------------
    (rf"{_YEAR}(?:第?(?P<q>[1-4一二三四])季度|第(?P<q3>[1-4一二三四])季(?!度)|[Qq](?P<q2>[1-4]))", "zh_quarter"),
    (rf"{_YEAR}(?P<h>上|下|头)半年", "zh_half"),
    (r"(?P<y>(?:\d{4}|[零〇一二三四五六七八九]{4}|(?<!\d)\d{2})\s*年|今年|去年|前年)?\s*(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?(?!底|初)", "zh_month"),
    (r"\b(?P<y>(?:19|20)\d{2})[-/.](?P<m>0?[1-9]|1[0-2])\b(?![-/.]\d)", "zh_month"),
    (r"(?:今年以来|年初至今|今年迄今|本年度至今|今年到现在|今年至今|(?:今年|本年度?)(?:截至|截止|到)(?:目前|现在|今天|当前)(?:为止)?|(?:截至|截止)(?:目前|现在|今天)(?:为止)?(?:的)?(?:今年|本年)|"
     r"年初(?:到|至)(?:现在|今|目前|今天)|年初以来|year[- ]to[- ]date|(?<![a-z0-9])ytd(?![a-z0-9])|so far this year|this year so far|"
     r"this year to date|since the (?:start|beginning) of (?:the|this) year|"
     r"since (?:the )?(?:1st|first) (?:of )?january(?: (?:until|till|to|up to) (?:today|now))?\b(?!,? (?:19|20)\d{2})|"
     r"from (?:the )?(?:1st|first) (?:of )?january,? (?:until|till|to|up to|up until|through) (?:today|now|this day|date)\b|"
     r"since new year'?s?(?: day)?(?:,? (?:right )?(?:on )?(?:through|until|till|to|up to) (?:today|now))?\b|jan(?:uary)?\s?[-–~]\s?(?:now|today|date)\b|"
     r"since (?:the first of )?january(?: 1(?:st)?)?(?: this year)?)", "ytd"),
    (r"(?:本|这个?|当|这一个?)季度?(?=[^度]|$)|本季|这个季度|(?:this|current|the current) (?:quarter|qtr)\b|(?<![a-z0-9])qtd(?![a-z0-9])", "this_quarter"),
    (r"(?:上一?个?|前一个?)季度|上一?季|(?:last|previous|prior|past) (?:quarter|qtr)\b|the quarter (?:before|preceding) (?:this|the (?:present|current)) one", "last_quarter"),
    (r"本月|这个月|当月|this month|current month|(?<![a-z0-9])mtd(?![a-z0-9])", "this_month"),
    (r"上一?个?月|前一个月|(?:last|previous|prior) month", "last_month"),
    (r"本周|这周|这个星期|本星期|this week", "this_week"),
    (r"上周|上个?星期|上一周|last week|previous week", "last_week"),
    (rf"(?:近|最近|过去|前(?!\s*[一二两三1-3]\s*个?季度))\s*(?:这|的)?\s*(?P<n>{NUM})\s*(?P<u>天|日|周|个?星期|个?季度|个?月|年)", "zh_last_n"),
    (r"(?:(?:last|past|previous|trailing|most recent|latest|in the last|in the past|over the last|over the past)\s+|\b(?:the\s+)?(?=\d+\s+(?:day|week|month)s?\s+"
     r"(?:up to|ending|through|until|to)\s+(?:and including\s+)?today))(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
     r"[\s-]+(?P<u>day|week|month|quarter|year)s?(?:\s+(?:up to|ending|through|until|to)\s+(?:and including\s+)?today\b)?", "en_last_n"),
    (r"(?:the\s+)?past\s+(?P<u>month|week|year)\b", "en_last_n"),
    (r"今天|今日|today", "today"),
    (r"昨天|昨日|yesterday", "yesterday"),
    (rf"{_YEAR}(?P<m1>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月?\s*(?:到|至|-|–|~|—|－)\s*(?P<m2>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月份?", "zh_month_range"),
    (r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4}|(?<![\d近前])\d{2})\s*(?:年|全年|整年)(?:全年|整年|度)?|(?:in|for|during|fy|across|throughout|within)\s*(?:calendar\s+(?:year\s+)?)?(?P<y2>\d{4})\b(?![-/.]\d)(?!\s*(?:q[1-4]|h[12])\b)|^(?P<y3>\d{4})\b|"
     r"\bfy\s*'?(?P<y4>\d{2})\b|(?<![\d.,$¥-])\b(?P<y5>(?:19|20)\d{2})\b(?![\d%-])(?![.,]\d)", "year"),
    (r"今年|本年度?|(?:this|current|the current) (?:calendar )?(?:year|yr)\b|this fiscal year", "this_year"),
    (r"去年|上一?年度?|(?:last|previous|prior) (?:year|yr)\b|last fiscal year", "last_year"),
    # --- English quarters / halves / months ------------------------------------------------------
    (r"\b[Qq](?P<q>[1-4])(?:\s*(?:of\s+)?(?P<y>\d{4})|\s+(?:of\s+)?(?P<yl>this year|last year))?\b|"
     r"\b(?:the\s+)?(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:quarter|qtr)(?:\s+of)?(?:\s+(?:the\s+)?(?P<y2>\d{4}))?\b(?!\s*(?:and|to|-))",
     "en_quarter"),
    (r"\b(?P<y>\d{4})\s*[Qq](?P<q>[1-4])\b|\b[Qq](?P<q2>[1-4])\s*'(?P<y2>\d{2})\b", "en_quarter"),
    (r"\b(?:the\s+)?(?P<h>first|second)\s+half(?:\s+of)?(?:\s+(?P<y>\d{4}|this year|last year))?|(?<![a-z0-9])[Hh](?P<h2>[12])(?:\s+(?P<y2>\d{4}))?(?![0-9a-z])|"
     r"(?P<y4>今年|去年|前年|本年|上年|\d{4}\s*年?|\d{2}\s*年)\s*的?\s*[Hh](?P<h4>[12])(?![0-9a-z])|"
     r"\b(?P<y3>\d{4})\s*[Hh](?P<h3>[12])\b", "en_half"),
    (r"\b(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:,?\s+(?:of\s+)?(?P<y>\d{4})\b|\s*'(?P<y2>\d{2})\b)?(?!\w|'(?!s\b))", "en_month"),
    # a day to today: 从1月1号到现在, 自2026年3月15日以来, 9月1日至今 (a lone day keeps its month reading)
    (rf"(?:从|自)?\s*{_YEAR}(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月\s*(?P<d>\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|"
     r"[一二三四五六七八九])\s*[日号]\s*(?:起|开始)?\s*(?:以来|至今|(?:一直)?(?:随访|跟踪|追踪|统计|观察|算|看|计)?(?:到|至|截至|截止)(?:现在|今天|今日|目前|当前|今)(?:为止)?)",
     "since_day"),
    # 'up or down from November' compares with November: no 'since'
    (r"\b(?:since|between|(?<!up )(?<!down )(?<!higher )(?<!lower )(?<!more )(?<!less )(?<!grow )(?<!grew )(?<!rise )(?<!rose )(?<!fall )(?<!fell )(?<!drop )(?<!dropped )(?<!change )(?<!changed )(?<!compared )(?<!increase )(?<!decrease )from)\s+(?:(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
     r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+"
     r"(?P<m2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
     r"dec(?:ember)?))(?:,?\s+(?P<y>\d{4}))?(?:\s+(?:to|until|till|and)\s+(?:date|today|now))?(?![\w-])(?!\s+(?:to|until|till|and|-)\s+\w)",
     "since_day"),
    # one day: 11月3号, 2025年7月1日, 2017-12-03, Dec 3 2017, 3 December; a day range: 11月1日到15日
    (rf"{_YEAR}(?P<m>{_ZH_M})\s*月\s*(?P<d>{_ZH_D})\s*[日号]", "zh_day"),
    (r"\b(?P<y>(?:19|20)\d{2})[-/.](?P<m>0?[1-9]|1[0-2])[-/.](?P<d>0?[1-9]|[12]\d|3[01])\b", "zh_day"),
    (r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])\s*(?:到|至|~|to|and|–)\s*"
     r"(?P<y2>(?:19|20)\d{2})-(?P<m2>0?[1-9]|1[0-2])-(?P<d2>0?[1-9]|[12]\d|3[01])\b", "zh_day_range"),
    # an ISO day to today: 从 2026-01-01 到今天, since 2017-04-01 until now
    (r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])\s*(?:起|开始)?\s*(?:以来|至今|"
     r"(?:到|至|截至|截止|to|until|till|through)\s*(?:现在|今天|今日|目前|当前|今|today|now|date)(?:为止)?)", "since_day"),
    (rf"\b(?:on\s+)?(?P<mn>{_EN_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])"
     rf"|\b(?:on\s+)?(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn2>{_EN_M})\b(?:,?\s+(?P<y2>\d{{4}}))?", "en_day"),
    # … and to a day of another year or to the year's end: 2025年1月1日至2025年12月31日, 自2026年1月1日起至本年末
    (rf"{_YEAR}(?P<m>{_ZH_M})\s*月\s*(?P<d>{_ZH_D})\s*[日号]?\s*(?:起|开始)?\s*(?:到|至|-|–|~|—|－)\s*"
     rf"(?:(?:(?P<y2>\d{{4}})\s*年\s*)?(?P<m2>{_ZH_M})\s*月\s*)?(?:(?P<d2>{_ZH_D})\s*[日号]|(?P<ye>(?:本|今|当|该)?年(?:末|底)))",
     "zh_day_range"),
    # 上上个月, 上上季度, 上上周; two months ago, 3个月前
    (r"上上个?(?P<u>月|季度|季|周|星期)", "before_last"),
    (rf"(?P<n>{NUM})\s*个?(?P<u>月|季度|周|星期|年)(?:以)?前(?!\s*(?:到|至|以来|开始))", "ago"),
    (r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<u>month|quarter|week|year)s?\s+ago\b", "ago"),
    # the first n quarters of a year: 前三季度, 今年前三个季度, 2026年头六个月, the first three quarters of 2017
    (rf"{_YEAR}(?:前|头)\s*(?P<n>[一二两三1-3])\s*个?季度|(?P<y2>(?:\d{{4}}|[零〇一二三四五六七八九]{{4}})\s*年|今年|去年|前年|本年)\s*的?(?:前|头)\s*"
     r"(?P<m3>[三六九369])\s*个月", "first_quarters"),
    (r"\b(?:the\s+)?first\s+(?P<n>two|three|2|3)\s+quarters(?:\s+of)?(?:\s+(?P<y>\d{4}|this year|last year))?|"
     r"\b(?:the\s+)?first\s+(?P<m3>three|six|nine|3|6|9)\s+months(?:\s+of)?(?:\s+(?:the\s+)?(?P<y2>\d{4}|this year|last year))?",
     "first_quarters"),
    # a rolling half year: 近半年, 过去半年, 半年以来, the past half year
    (r"(?:近|最近|过去|这)\s*半年(?:来|内|以来)?|半年(?:来|内|以来)|\b(?:the\s+)?(?:past|last)\s+half[- ]year\b", "half_year"),
    # a month to today: 10月以来, 10月份到现在, since October, from October through today
    (rf"{_YEAR}(?P<m>{_ZH_M})\s*月份?\s*(?:开始|起)?\s*(?:以来|至今|(?:到|至|截至|截止)(?:现在|今天|今日|目前|当前|今)(?:为止)?)",
     "since_month"),
    (rf"\b(?:since|(?<!up )(?<!down )(?<!higher )(?<!lower )(?<!more )(?<!less )(?<!grow )(?<!grew )(?<!rise )(?<!rose )(?<!fall )(?<!fell )(?<!drop )(?<!dropped )(?<!change )(?<!changed )(?<!compared )(?<!increase )(?<!decrease )from)\s+(?P<mn>{_EN_M})\b(?:\s+(?P<y>\d{{4}}))?(?:\s+(?:to|through|thru|until|till)\s+(?:date|today|now))?"
     r"(?!\s+\d)(?!\s+(?:to|through|thru|until|till|-)\s+(?!date|today|now)\w)", "since_month"),
    # English month and day ranges: July to September 2017, jan-mar, from march 1 to june 30
    (rf"\b(?:from\s+)?(?P<m1>{_EN_M})\.?\s*(?:to|through|thru|until|till|-|–)\s*(?:the\s+)?(?:end\s+of\s+)?(?P<m2>{_EN_M})\.?\b(?:,?\s+(?:of\s+|in\s+)?(?P<y>\d{{4}}))?",
     "zh_month_range"),
    (rf"\b(?:from\s+)?(?P<m>{_EN_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:to|through|thru|until|till|-|–)\s*"
     rf"(?:(?P<m2>{_EN_M})\.?\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?", "zh_day_range"),
    (rf"\bbetween\s+(?P<m1>{_EN_M})\.?\s+and\s+(?:the\s+)?(?:end\s+of\s+)?(?P<m2>{_EN_M})\.?\b(?:,?\s+(?P<y>\d{{4}}))?", "zh_month_range"),
    # 'this year Jul to Sep', 'between July 1 and September 30, 2017', 'from 1 July to 30 September 2017'
    (rf"\b(?P<y>this year|last year),?\s+(?:from\s+)?(?P<m1>{_EN_M})\.?\s*(?:to|through|thru|until|till|-|–)\s*"
     rf"(?:the\s+)?(?:end\s+of\s+)?(?P<m2>{_EN_M})\.?\b", "zh_month_range"),
    (rf"\bbetween\s+(?P<m>{_EN_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+and\s+(?:(?P<m2>{_EN_M})\.?\s+)?"
     rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?", "zh_day_range"),
    (rf"\b(?:from\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_EN_M})\.?\s*(?:to|through|thru|until|till|-|–)\s*"
     rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_EN_M})\.?\b(?:,?\s+(?P<y>\d{{4}}))?", "zh_day_range"),
    (rf"\bbetween\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_EN_M})\.?\s+and\s+"
     rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_EN_M})\.?\b(?:,?\s+(?P<y>\d{{4}}))?", "zh_day_range"),
    # a day to today with no 'since' ('Bookings 1 Jan 2026 to today'); 'between the start of January and the end of June'
    (rf"\b(?:(?P<m>{_EN_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_EN_M})\.?)"
     rf"(?:,?\s+(?P<y>\d{{4}}))?\s+(?:to|until|till|through|up to)\s+(?:date|today|now)\b", "since_day"),
    (rf"\bbetween\s+the\s+(?:start|beginning)\s+of\s+(?P<m1>{_EN_M})\.?\s+and\s+the\s+end\s+of\s+(?P<m2>{_EN_M})\.?\b"
     rf"(?:,?\s+(?P<y>\d{{4}}))?", "zh_month_range"),
]
# Text every match of each rule contains (checked in the lower-cased text first; None: always try the rule).
_MONTHS3 = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TRIGGERS: list[tuple[str, ...] | None] = [
    ("季", "q"), ("半年",), ("月",), ("-", "/", "."), ("年", "ytd", "year", "jan"),
    ("季", "quarter", "qtr", "qtd"), ("季", "quarter", "qtr"), ("月", "month", "mtd"), ("月", "month"),
    ("周", "星期", "week"), ("周", "星期", "week"), ("近", "过去", "前"), ("day", "week", "month", "quarter", "year"),
    ("past",), ("今天", "今日", "today"), ("昨天", "昨日", "yesterday"), ("月",), ("年", *"0123456789"),
    ("今年", "本年", "year", "yr"), ("去年", "上年", "上一年", "year", "yr"),
    ("q",), ("q",), ("h",), _MONTHS3, ("月",), ("since", "from", "between"),
    ("月",), ("-", "/", "."), ("-",), ("-",), _MONTHS3, ("月",), ("上上",), ("前",), ("ago",), ("季度", "个月"), ("quarters", "months"),
    ("半年", "half"), ("月",), ("since", "from"), _MONTHS3, _MONTHS3, ("between",),
    ("year",), ("between",), _MONTHS3, ("between",), ("today", "now", "date"), ("between",),
]
