"""Find and normalise the time commitments printed in a provision's text.

One entry point: ``find_deadlines(text, issued_on, cells) -> (hits, skipped)``.
Matching runs on the text with spaces removed (the spaces a PDF leaves between
digits and CJK fall inside expressions); offsets are mapped back, so
``text[hit.char_start:hit.char_end]`` is the printed expression. The text is a
document's repaired text (:func:`repair.join_lines`), where line breaks are
paragraph breaks and tabs separate table cells: no expression runs across
either.

Kinds (``DeadlineHit.kind``)
----------------------------
- ``due_by``: something must be done by a date: 2023年底前, 2023年3月底前,
  于2月15日前, 6月30日前完成, 2023年内, 截止日期为…, 不迟于….
- ``target``: a goal to reach by a time: 到2025年, 力争到2025年底, 2023年实现…;
  also 截至+date when that date is not before the issue date.
- ``valid_until``: validity or expiry: 有效期至2025年12月31日, 政策实施期限截至…,
  延续实施至2027年底, 2022年底到期, 有效期为3年 (resolved when the same sentence
  says 自<date>起 or 自印发之日起: last valid day = start + duration - 1 day,
  because the start day itself is in force).
- ``time_limit``: a relative limit: 自进境之日起6个月内, 收到申请后，于120天内,
  48小时内, 不超过15个工作日, 压缩至3个工作日.  ``anchor`` is what it counts
  from; when that is the document's issue (印发之日, 本通知发布之日 …) and
  ``issued_on`` is given, ``due_on = issued_on + duration`` (the issue day is
  not counted, so 一年内 from 2023-06-01 is 2024-06-01); likewise when the
  anchor is a printed day (自2023年6月1日起6个月内).  A long anchor is cut to
  verb + head noun (收到…提交的…申请 -> 收到申请); the expression keeps it whole.
- ``recurring``: a repeated duty: 每年, 每季度, 每月, 每两年, 每年12月31日前,
  每年至少开展一次 (how often is part of the expression).
  ``duration`` holds the period (每季度 -> P3M); ``due_on`` is None.
- ``ongoing``: an open-ended commitment: 持续推进, 长期坚持 as a clause of their
  own (（省能源局负责，持续推进）, 完成时限：长期坚持), and 长期 in a table's time
  column. No date, no duration.

Expressions are the time phrase itself: a qualifier (压减至, 不超过) or a verb
(2023年第三季度完成) stays outside, an anchor only when it runs straight into
the limit with 起 (自受理之日起5个工作日内; 收到申请后，于120天内 is 120天内,
the anchor column keeps 收到申请). In a table's time cells (``cells``) a bare
date is a ``target`` (2023年12月), a bare duration a ``time_limit``
(承诺时限 5个工作日); after 完成时限： too. A month, quarter or half printed
before a verb in prose is a ``target`` too (2023年第三季度推出…).

Resolution of ``due_on`` / ``precision``
----------------------------------------
2023年6月30日 -> 2023-06-30 "day"; 2023年3月底 / 2023年3月 -> 2023-03-31 "month";
2023年第一季度 / 一季度末 -> 2023-03-31 "quarter"; 2023年上半年 -> 2023-06-30 and
下半年 -> 12-31, precision "half"; 2023年底 / 到2025年 -> 12-31 "year".  A date
printed without a year (6月30日前, 年底前) takes the year of ``issued_on``; 今年 /
明年 / 去年 count from it; 当年 takes the years of a preceding list
(2024年和2025年要在当年3月31日前 -> two hits).  A list (2023年3月15日、7月1日和
12月1日前) gives one hit per item, later items inheriting the year.  Without the
needed year ``due_on`` and ``precision`` are None.  Resolved dates outside
1990-2100: printed ones are skipped ("out_of_range"); computed ones get None.

Durations (``duration``)
------------------------
ISO 8601: 6个月 -> P6M, 120天 -> P120D, 一年 -> P1Y, 两周 -> P2W, 48小时 -> PT48H,
半年 -> P6M, 半小时 -> PT30M.  Working days (工作日) use the NON-STANDARD
designator ``WD`` (十五个工作日 -> P15WD) so they stay distinct from calendar
days; they are never resolved to a date (that needs a holiday calendar).

Skipped reasons (``Skipped.reason``): date-like expressions deliberately not
treated as deadlines.
- minimum_period: 不少于30日, 至少提前5个工作日, 1年以上.
- invalid_date: 2月30日, 13月.
- out_of_range: a deadline whose printed date lies outside 1990-2100.
- historical_reference: 2022年以来.
- effective_date: 自2023年6月1日起施行, 本办法自印发之日起实施.
- start_date: other dates followed by 起 / 开始 / 后 / 以后.
- as_of_date: 截至2022年底 when that is before the issue date.
- date_range: 2023—2025年, 2023年1月1日至6月30日 outside a validity context.
- rate_per_period: 每人每年, 每家企业每年, 每年不超过1次 (a quota or cap, not a duty).
- period_length: a period stated as a fact, not a limit (公示期限为15日, 任期5年).
- reference_date: a date with no deadline context (（2023年5月29日）, …通过), or the
  period a report covers (将上半年工作推进情况报送…).
- year_reference: a bare year with no deadline context (2023年降成本重点工作).
- eligibility_period: a period that decides who qualifies (离校2年内未就业, 近2年内).
- before_issue_date: (set by the caller, which knows the issue date) a resolved
  date before the document was issued (2022年底到期的阶段性政策).
- status: how far a row has got, in a table's remark (备注) cell (持续推进, 已完成).
- quotation: a time in the text an amending decision quotes (修改为“2025年底前”, “第十六条 …每年1月31日前…”),
  or in a table cell quoting a law (设定依据: 有效期为3年).

``effective_date`` skips carry the day they name (自2023年7月1日起施行; 自印发之日起施行
gives ``issued_on``): the document's ``effective_on``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from policydata.schema import CURRENT

from .numerals import CN_NUMERAL, DIGITS, cn_int
from .repair import AMENDMENT_QUOTE, without

KINDS = CURRENT.vocabulary("deadline_kind").values
SKIP_REASONS = (
    "minimum_period", "invalid_date", "out_of_range", "historical_reference",
    "effective_date", "start_date", "as_of_date", "date_range",
    "rate_per_period", "period_length", "reference_date", "year_reference",
    "eligibility_period", "before_issue_date", "status", "quotation",
)
# Table cells whose time expressions are when the row is due (see find_deadlines).
_TIME_ROLES = ("due", "limit")
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class DeadlineHit:
    expression: str
    kind: str
    due_on: datetime.date | None
    precision: str | None
    duration: str | None
    anchor: str | None
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Skipped:
    expression: str
    reason: str
    char_start: int
    char_end: int
    date: datetime.date | None = None  # the day an effective_date names, when it can be told


# ---------------------------------------------------------------- patterns
_D = DIGITS
# Only well-formed numerals up to 9999 (numerals.CN_NUMERAL); cn_int parses
# every string it matches, so parsing cannot fail on odd runs like 十十.
_CN_NUM = CN_NUMERAL
_HALF = r"半(?=年|个?小时|天|日)"
_NUM_FREE = rf"(?:\d{{1,3}}|{_CN_NUM}|{_HALF})"
# The guards stop a number starting inside a longer number, a date (3月31日内)
# or an ordinal/adverb (第一年, 同一天).
_NUM = (rf"(?:(?<![\d.月])\d{{1,3}}(?:\.\d{{1,2}})?|(?<![{_D}十百千零〇第同统唯每逐上下月]){_CN_NUM}"
        rf"|(?<![{_D}十百千零〇上下]){_HALF})")
_UNIT = r"(?:个?小时|个?工作日|个?自然日|个月|个?星期|周|年|天|日|分钟)"

_ATOM = re.compile(
    # 次年: the year after (the year of issue).
    r"(?:(?P<year>(?<!\d)\d{4}|[今明去当次])年"
    # 5月份 is the whole month, like 5月底; 2023年年中 the middle of the year (30 June).
    # 11月中旬: the end of the month's middle ten days (the 20th).
    r"(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日|(?P<month_end>底|末|份)|(?P<dekad>[上中下])旬)?"
    r"|年?(?P<year_end>底|末)|(?P<half>[上下])半年|(?P<mid>年中)(?![央国华共])"
    r"|第?(?P<quarter>[一二三四1-4])季度(?:末|底)?|度)?"
    r"|(?<!\d)(?P<month2>\d{1,2})月(?:(?P<day2>\d{1,2})日|(?P<month_end2>底|末|份)|(?P<dekad2>[上中下])旬)"
    r"|(?<![\d每前])第?(?P<quarter2>[一二三四])季度(?:末|底)?"
    r"|(?<![\d每前])(?P<half2>[上下])半年"
    r"|(?<![\d今明去当次每年])年(?P<year_end2>底|末)"
    # 年内完成: within the year of issue (not 2年内, 一年内: periods; not 全年内).
    r"|(?<![\d今明去当次每年一二三四五六七八九十两半几数多个百千〇零全])年(?=内))"
)
# 2023年6月至12月: the months a task runs; in a time cell or after a time label it is due at the end.
_MONTH_SPAN = re.compile(r"(?P<year>(?<!\d)\d{4})年(?P<first>\d{1,2})月份?[—–\-－~～至到](?:(?P=year)年)?"
                         r"(?P<last>\d{1,2})月份?(?:底|末)?(?![\d日])")
_YEAR_RANGE = re.compile(r"(?<!\d)(?P<first>\d{4})年?[—–\-－~～至到](?P<last>\d{4})年(?!\d{1,2}月)")
_LIST_SEP = re.compile(r"、|和|及|以及|与|或")
_RANGE_SEP = re.compile(r"[—–\-－~～至到]")
_CARRY = re.compile(r"[要须应需均分别并在于将]{0,4}(?=当年)")
_SUFFIX = re.compile(
    r"(?P<due>之前|以前|前(?![一二两三四五六七八九十几\d期列沿])|以内|之内|内)"
    r"|(?P<since>以来)|(?P<start>起|开始|以后|之后|后)"
    r"|(?P<expiry>到期|届满|为止|止)"
    r"|(?P<verb>(?:基本|全面|初步)?(?:实现|完成|建成|达到|推开|推行|推广|覆盖))"
)
_ENACT = re.compile(r"施行|实施|实行|执行|生效")
_VALIDITY_WORD = re.compile(r"有效期|期限|延续|延长|执行|实施|施行|适用|有效")
_AS_OF_LEAD = re.compile(r"(?:截至|截止)(?:到|至)?$")
_DUE_LEAD = re.compile(r"(?:(?:截止|最迟|最晚)(?:日期|时间|期限)?(?:为|是|于|在)?|不晚于|不迟于)$")
# 收到/达到/甚至 … end in 到/至 without meaning "by".
_TARGET_LEAD = re.compile(r"(?:力争|争取|确保)?(?<![收达提得遇做看回受报送感找拿来乃甚以截])(?:到|至)$")
_TO_END = re.compile(r"(?:到|至)$")
_TIME_SLOT = re.compile(r"(?:完成时限|完成时间|时间节点|完成期限|时限)[：:]$")
# What follows a date that plans an action (2023年第三季度推出…), not a reference (…）, 的, 以来).
_PLAN_VERB = re.compile(r"(?![的度以起前后内年月日之止至到及和与、，。；：）)\n\t])[\u4e00-\u9fff]")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?、（）()“”《》\n\t]")

_RECURRING = re.compile(
    # 每家企业每年最高50万元: an amount per body and period, not a duty.
    rf"(?P<rate>每(?:[家户个名位]?(?:企业|单位|项目|机构)|人|户|家|名|位|个|件|次))?每(?P<num>{_NUM_FREE})?"
    r"(?P<per>年度|年|季度|季|个月|双月|月|旬|周|星期|日|天|学期)"
    # 每年3月—5月: a window each year, the whole of it.
    r"(?:(?:首月|末月|第一个月|最后一个月|最后一月)?\d{1,2}日|年底|年末|底|末|最后一个?工作日|最后一[天日]"
    r"|\d{1,2}月(?:\d{1,2}日|底|末)?(?:[—–\-～~至到]\d{1,2}月(?:\d{1,2}日|底|末)?)?"
    r"|(?<=年)第?[一二三四]季度(?:末|底)?|(?<=年)[上下]半年)?"
    r"(?:之前|以前|前)?"
    # 每年至少开展一次: how often belongs to the expression.
    r"(?:至少[\u4e00-\u9fff]{0,4}?一次|[\u4e00-\u9fff]{0,4}?一次)?"
    r"(?:定期)?"  # 每年定期开展: one duty
)
# 年度监测, 年度调查, 发布年度…白皮书: a duty done every year (not 2023年度, 上年度, 跨年度);
# not what a measure's result goes into (列入年度计划, 纳入…年度目标责任考核, 形成年度工作总结)
# nor the tax year (年度纳税).
_ANNUAL = re.compile(r"(?<![\d上下本该当今明去前次全跨业一税])(?<!纳入|列入|计入)年度(?=[\u4e00-\u9fff])"
                     r"(?!内|纳税|[\u4e00-\u9fff]{0,6}?(?:考核|考评|总结))")  # not 毕业年度, 下(一)年度, 纳税年度
# 定期向…提交, 定期组织开展…: a repeated duty whose period is not printed.
_REGULARLY = re.compile(r"(?<![规约确指限不])定期(?!限|存款|存单)(?=[\u4e00-\u9fff])")  # not 规定期限, 不定期
# The period each 每… names, as (amount, unit); a term (学期) has no fixed length.
_PER_PERIOD: dict[str, tuple[int, str] | None] = {
    "年度": (1, "年"), "年": (1, "年"), "季度": (3, "个月"), "季": (3, "个月"), "个月": (1, "个月"),
    "月": (1, "个月"), "双月": (2, "个月"), "旬": (10, "日"), "周": (1, "周"), "星期": (1, "星期"), "日": (1, "日"),
    "天": (1, "天"), "学期": None,
}
_MINIMUM = re.compile(
    rf"(?:不少于|不低于|不短于|不得少于|不得低于|不得短于|至少|最少|最低)(?:提前)?{_NUM}{_UNIT}"
    rf"|{_NUM}{_UNIT}(?:及以上|以上)"
)
_LIMIT = re.compile(
    r"(?P<qual>最长不超过|最多不超过|不得超过|不超过|不超出|最长|压缩至|压缩到|压减至|压减到|缩短至|缩短到|减至|控制在|≤|＜|<)?"
    rf"(?P<num>{_NUM})(?P<unit>{_UNIT})(?P<within>以内|之内|内)?"
)
_DONE_IN = ("办结", "办毕", "办理完毕", "完成")
_ANCHOR = re.compile(
    r"(?:^|(?<=[，,。；;：:！？!?（）()在于经凡])|(?P<lead>[自从]))"
    r"(?P<anchor>[^，,。；;：:！？!?（）()自从在于经凡]{2,80}?)(?:起|以后|之后|后)"
    # 通过审查后，标准起草组应在60日内: a short subject may stand before the modal.
    r"[，,]?(?:[\u4e00-\u9fff]{1,8}?(?=应当|应|须|需|要|必须))?"
    r"(?:应当|应|须|需|要|均|必须|最晚|最迟|尽可能|原则上)*(?:在|于)?$"
)
# 对已抵达并提交…信息的货物，尽可能在48小时内放行: the state the goods are in is
# what the limit counts from.
_STATE_ANCHOR = re.compile(
    r"对已(?P<anchor>[^，,。；;：:！？!?（）()]{2,40}?)的[^，,。；;：:！？!?（）()的]{1,12}[，,]"
    r"(?:正常情况下|一般情况下|原则上|尽可能|应当|应|须|要|均)*(?:在|于)?$"
)
_ISSUE_ANCHOR = re.compile(
    r"(?:本(?:通知|措施|若干措施|意见|实施意见|办法|细则|方案|实施方案|工作方案|规定|决定|公告|指南|规划|计划|文件))?"
    r"(?:印发|发布|公布|出台|下发)(?:之日)?"
)
_ISSUE_ENACT = re.compile(rf"[自从]{_ISSUE_ANCHOR.pattern}起(?:{_ENACT.pattern})")
_VALIDITY_SPAN = re.compile(
    rf"有效期(?P<verb>为|是|延长至|延长到|放宽至|放宽到|调整为|至)?(?P<num>{_NUM_FREE})(?P<unit>{_UNIT})"
)
# A period's length stated as a fact (公示期限为15日, 任期5年): not a deadline.
# A cap on the validity of policies in general (涉企政策有效期一般不超过3年) is such a fact too.
_PERIOD_LENGTH = re.compile(rf"(?:期|期限|时限|周期|任期)(?:一般|原则上|通常)?(?:为|是)?{_NUM}{_UNIT}"
                            rf"|有效期(?:一般|原则上|通常)?(?:最长)?不(?:得)?超过{_NUM}{_UNIT}")
# 2023年底前，对…免征增值税: a date that bounds a relief or benefit is how long
# the policy runs, not a task's due date.
_RELIEF_AFTER = re.compile(
    r"[，,]?(?:对|向)[^，,。；;]{1,60}?(?:免征|减征|减半征收|减按|暂免|免收|免除|缓缴|暂停征收|阶段性降低"
    r"|给予(?:补贴|补助|奖励|减免|优惠))"
    r"|[，,]?(?:继续|延续)(?:实施|执行)"
)
# 2023年培育100家左右…, 推动2023年…增长15%左右: a bare year that a goal verb
# and a counted quantity follow in the same clause is the year a target is to
# be reached.
_QUANTITY_GOAL = re.compile(
    r"[^，,。；;：:！？!?（）()\n\t]{0,24}?(?:培育|新增|达到|低于|少于|超过|突破|增长|提高到|提高至|提升至|提升到|累计)"
    rf"[^，,。；;：:！？!?（）()\n\t]{{0,24}}?(?:\d+/\d+|(?:\d+(?:\.\d+)?|{_CN_NUM})(?:万|亿)?(?:左右|以上|余)?"
    r"(?:家|个|项|所|座|条|人|户|件|批|名|%|％|万|亿|倍))(?![元的])"  # not 超过1000万元的企业
)
# 通过三年时间，逐步实现…: a period to reach a goal in; no start is printed, so
# no date is computed.
_SPAN_TARGET = re.compile(
    rf"(?:力争|争取)?(?:通过|用|经过|利用|再用)(?P<num>{_NUM_FREE})(?P<unit>{_UNIT})(?:左右)?的?(?:时间|努力)"
)
_START_PHRASE = re.compile(r"[自从](?P<what>[^，,。；;自从]{1,20}?)起")
_DATE_TAIL = re.compile(r"(?:之前|以前|前)?")


# ---------------------------------------------------------------- durations
_UNIT_CODES = {"年": ("Y", False), "个月": ("M", False), "星期": ("W", False), "周": ("W", False),
               "天": ("D", False), "日": ("D", False), "自然日": ("D", False),
               "工作日": ("WD", False), "小时": ("H", True), "分钟": ("M", True)}
_HALF_OF = {"年": (6, "个月"), "小时": (30, "分钟"), "天": (12, "小时"), "日": (12, "小时")}


@dataclass(frozen=True)
class _Duration:
    amount: int | float  # 0.5个工作日 is half a working day
    unit: str  # a key of _UNIT_CODES

    @property
    def iso(self) -> str:
        code, is_time = _UNIT_CODES[self.unit]
        amount = format(self.amount, "g")
        return f"PT{amount}{code}" if is_time else f"P{amount}{code}"


def _number(text: str) -> int | float:
    if "." in text:
        return float(text)
    return int(text) if text.isdigit() else cn_int(text)


def _duration(num: str, unit: str) -> _Duration:
    """Normalise a printed amount and unit: ``_duration("十五", "个工作日").iso == "P15WD"``."""
    unit = unit if unit == "个月" else unit.removeprefix("个")
    if num == "半":
        return _Duration(*_HALF_OF[unit])
    return _Duration(_number(num), unit)


def _in_range(day: datetime.date) -> datetime.date | None:
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def _add_months(start: datetime.date, months: int) -> datetime.date | None:
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return datetime.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def _add(start: datetime.date, span: _Duration) -> datetime.date | None:
    """Calendar addition; None for working days (need a holiday calendar) or beyond 1990-2100."""
    code, is_time = _UNIT_CODES[span.unit]
    if code == "WD":
        return None
    if not is_time and code in ("Y", "M"):
        return _add_months(start, round(span.amount * (12 if code == "Y" else 1)))
    days = int({"W": 7 * span.amount, "D": span.amount, "H": span.amount // 24, "M": span.amount // 1440}[code])
    if days > (LAST_YEAR - FIRST_YEAR + 1) * 366:
        return None
    return _in_range(start + datetime.timedelta(days=days))


# ---------------------------------------------------------------- date atoms
def _group(m: re.Match[str], *names: str) -> str | None:
    return next((m.group(n) for n in names if m.group(n) is not None), None)


def _is_bare_year(m: re.Match[str]) -> bool:
    """2023年, 2023年度, 今年: a year with nothing finer after it."""
    finer = ("month", "year_end", "half", "mid", "quarter")
    return m.group("year") is not None and all(m.group(n) is None for n in finer)


def _atom_year(m: re.Match[str], issued_on: datetime.date | None, carried: int | None) -> int | None:
    word = m.group("year")
    if word is not None and word.isdigit():
        return int(word)
    if word == "当" and carried is None and issued_on is not None:
        return issued_on.year  # 当年9月底前, with no year before it: this year
    if word == "当" or (word is None and carried is not None):
        return carried
    if issued_on is None:
        return None
    return issued_on.year + {None: 0, "今": 0, "明": 1, "次": 1, "去": -1}[word]


_Resolved = tuple[datetime.date | None, str | None]


def _atom_date(m: re.Match[str], year: int | None) -> _Resolved | None:
    """Resolve one atom: ``2023年3月底`` -> (2023-03-31, "month"); None if no calendar has it (2月30日)."""
    month, day = _group(m, "month", "month2"), _group(m, "day", "day2")
    quarter, half = _group(m, "quarter", "quarter2"), _group(m, "half", "half2") or ("上" if m.group("mid") else None)
    if month is not None:
        mon = int(month)
        if not 1 <= mon <= 12:
            return None
        last = calendar.monthrange(2000 if year is None else year, mon)[1]  # 2000: 2月29日 passes without a year
        if day is not None and not 1 <= int(day) <= last:
            return None
        if year is None:
            return None, None
        dekad = _group(m, "dekad", "dekad2")
        if dekad is not None:  # a computed day: the 10th, the 20th, the month's last
            return datetime.date(year, mon, {"上": 10, "中": 20, "下": last}[dekad]), "day"
        return (datetime.date(year, mon, int(day)), "day") if day else (datetime.date(year, mon, last), "month")
    if year is None:
        return None, None
    if quarter is not None:
        q = "一二三四".find(quarter) + 1 or int(quarter)
        return datetime.date(year, 3 * q, 30 if q in (2, 3) else 31), "quarter"
    if half is not None:
        return datetime.date(year, 6 if half == "上" else 12, 30 if half == "上" else 31), "half"
    return datetime.date(year, 12, 31), "year"


def _printed_day(phrase: str, issued_on: datetime.date | None) -> datetime.date | None:
    """The day a phrase names when it is exactly a valid full date (2023年6月1日, 之日 allowed)."""
    atom = _ATOM.fullmatch(phrase.removesuffix("之日"))
    if atom is None or _group(atom, "day", "day2") is None:
        return None
    resolved = _atom_date(atom, _atom_year(atom, issued_on, None))
    return resolved[0] if resolved else None


def day_of(phrase: str) -> datetime.date | None:
    """The day a full date printed in digits names, None for anything else.

    >>> day_of("2023年5月18日"), day_of("2023年5月")
    (datetime.date(2023, 5, 18), None)
    """
    return _printed_day(phrase, None)


# ---------------------------------------------------------------- scanning
_DATED_YEAR = re.compile(r"(?<!\d)(\d{4})年(?=\d{1,2}月)")
_SENTENCE_BREAK = re.compile(r"[。；;！？\n\t]")


@dataclass
class _Scan:
    """Working state: the whitespace-free text and the spans already accounted for."""

    issued_on: datetime.date | None
    compact: str
    where: list[int]  # where[i] is the offset in text of compact[i]
    claimed: list[tuple[int, int]]
    hits: list[DeadlineHit]
    skipped: list[Skipped]
    cells: list[tuple[int, int, str]]  # time cells of tables, in compact offsets

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self.claimed, (start, start))
        before_ok = i == 0 or self.claimed[i - 1][1] <= start
        return before_ok and (i == len(self.claimed) or self.claimed[i][0] >= end)

    @cached_property
    def _dated_years(self) -> tuple[list[int], list[int]]:
        """Where each year printed with a month stands, and the year."""
        found = [(m.start(), int(m.group(1))) for m in _DATED_YEAR.finditer(self.compact)]
        return [pos for pos, _ in found], [year for _, year in found]

    @cached_property
    def _sentence_breaks(self) -> list[int]:
        return [m.start() for m in _SENTENCE_BREAK.finditer(self.compact)]

    def sentence_year(self, pos: int) -> int | None:
        """The year of the last date printed with one before ``pos`` in its sentence, if any
        (looked up, not searched: a document of thousands of dates in one sentence stays linear)."""
        starts, years = self._dated_years
        i = bisect_left(starts, pos) - 1
        if i < 0:
            return None
        j = bisect_left(self._sentence_breaks, pos) - 1
        return years[i] if j < 0 or self._sentence_breaks[j] < starts[i] else None

    def after_time_slot(self, pos: int) -> bool:
        """Whether a label asking for a time (完成时限：, 时间节点：) stands right before ``pos``."""
        return _TIME_SLOT.search(self.compact, max(0, pos - 8), pos) is not None

    def claimed_end_before(self, pos: int) -> int:
        i = bisect_left(self.claimed, (pos, pos))
        return self.claimed[i - 1][1] if i else 0

    def _claim(self, start: int, end: int) -> tuple[str, int, int]:
        self.claimed.insert(bisect_left(self.claimed, (start, end)), (start, end))
        return self.compact[start:end], self.where[start], self.where[end - 1] + 1

    def hit(self, start: int, end: int, kind: str, due_on: datetime.date | None = None,
            precision: str | None = None, duration: str | None = None, anchor: str | None = None) -> None:
        expression, s, e = self._claim(start, end)
        self.hits.append(DeadlineHit(expression, kind, due_on, precision if due_on else None,
                                     duration, anchor, s, e))

    def skip(self, start: int, end: int, reason: str, date: datetime.date | None = None) -> None:
        expression, s, e = self._claim(start, end)
        self.skipped.append(Skipped(expression, reason, s, e, date))

    def cell(self, pos: int) -> str | None:
        """The role of the table cell (due, limit, note) holding compact offset ``pos``, if any."""
        # Cells are in text order and do not overlap: the one that starts last at or before pos.
        i = bisect_left(self.cells, (pos + 1,)) - 1
        if i >= 0 and self.cells[i][0] <= pos < self.cells[i][1]:
            return self.cells[i][2]
        return None


# A cap on how often something may happen (涉企检查原则上每年不超过1次): a limit, not a duty.
_CAP_PER_PERIOD = re.compile(r"每(?:年度|年|季度|季|个月|月|周)(?:原则上)?(?:不超过|不得超过|最多|至多)"
                             r"(?:\d+|[一二三四五六七八九十两]+)次")


def _scan_recurring(sc: _Scan) -> None:
    for m in _RECURRING.finditer(sc.compact):
        cap = _CAP_PER_PERIOD.match(sc.compact, m.start())
        if m.group("rate") or cap:
            sc.skip(m.start(), cap.end() if cap else m.end(), "rate_per_period")
            continue
        period = _PER_PERIOD[m.group("per")]
        iso = None
        if period is not None:
            each = _duration(m.group("num") or "1", period[1])  # 每两年 -> 2 x 1年, 每半年 -> 6个月
            iso = _Duration(each.amount * period[0], each.unit).iso
        sc.hit(m.start(), m.end(), "recurring", duration=iso)
    for m in _REGULARLY.finditer(sc.compact):
        if sc.free(m.start(), m.end()):
            sc.hit(m.start(), m.end(), "recurring")
    for m in _ANNUAL.finditer(sc.compact):
        sentence = sc.compact[max(sc.compact.rfind("。", 0, m.start()), sc.compact.rfind("；", 0, m.start())) + 1:m.start()]
        if sc.free(m.start(), m.end()) and "每年" not in sentence:  # 每年…开展年度…: one duty
            sc.hit(m.start(), m.end(), "recurring", duration="P1Y")


# The period a report covers (请于8月15日前将上半年工作推进情况报送…, 掌握全市2023年上半年…推进情况):
# when, not by when.
_REPORTED_PERIOD = re.compile(r"(?:(?<=将)|(?<=报送)|(?<=掌握)|(?<=汇总)|(?<=总结))(?:全[市省区县])?(?:\d{4}年)?"
                              r"(?:上半年|下半年|全年|第?[一二三四]季度|上季度|上月|本月|当月)"
                              r"(?=的?[\u4e00-\u9fff]{0,16}?(?:情况|进展|总结|报告|数据))")
# Expressions that look like time commitments but are not; order within matters
# (a minimum period is taken before a period length can claim its number).
_NOT_DEADLINES = ((_ISSUE_ENACT, "effective_date"), (_MINIMUM, "minimum_period"),
                  (_PERIOD_LENGTH, "period_length"), (_REPORTED_PERIOD, "reference_date"))


def _scan_not_deadlines(sc: _Scan) -> None:
    for pattern, reason in _NOT_DEADLINES:
        for m in pattern.finditer(sc.compact):
            if sc.free(m.start(), m.end()):
                sc.skip(m.start(), m.end(), reason, sc.issued_on if pattern is _ISSUE_ENACT else None)


# An open-ended commitment: a whole clause in prose (（省能源局负责，持续推进）,
# 完成时限：长期坚持), or a table's time cell (长期 only there).
_ONGOING = re.compile(r"持续推进|长期坚持|常态化推进|长期实施|长期执行|长期")
# …的政策作为制度性安排长期实施。: a policy kept without end closes its clause.
_ONGOING_POLICY = ("长期实施", "长期执行")
_CLAUSE_EDGE = "：:，,；;（）()〔〕【】。\n\t"


def _scan_ongoing(sc: _Scan) -> None:
    for m in _ONGOING.finditer(sc.compact):
        role = sc.cell(m.start())
        if role == "note" and sc.free(m.start(), m.end()):
            sc.skip(m.start(), m.end(), "status")  # a 备注 saying 持续推进 reports progress
            continue
        before = sc.compact[m.start() - 1] if m.start() else "，"
        after = sc.compact[m.end()] if m.end() < len(sc.compact) else "。"
        bounded = before in _CLAUSE_EDGE and after in _CLAUSE_EDGE
        closes = m.group() in _ONGOING_POLICY and after in _CLAUSE_EDGE
        # 长期 alone is an adverb (长期以来) unless a time slot holds it: a cell, or 完成时限：长期.
        slot = role in _TIME_ROLES or (bounded and sc.after_time_slot(m.start()))
        if (slot or closes or (bounded and m.group() != "长期")) and sc.free(m.start(), m.end()):
            sc.hit(m.start(), m.end(), "ongoing")


def _start_of_sentence(sc: _Scan, pos: int) -> datetime.date | None:
    """The day a 有效期 counts from: the last 自<day>起 / 自印发之日起 earlier in the sentence."""
    sentence = sc.compact[sc.compact.rfind("。", 0, pos) + 1:pos]
    starts = list(_START_PHRASE.finditer(sentence))
    if not starts:
        return None
    what = starts[-1].group("what")
    return sc.issued_on if _ISSUE_ANCHOR.fullmatch(what) else _printed_day(what, sc.issued_on)


def _scan_validity_spans(sc: _Scan) -> None:
    for m in _VALIDITY_SPAN.finditer(sc.compact):
        if not sc.free(m.start(), m.end()):
            continue
        if m.group("verb") in ("放宽至", "放宽到", "延长至", "延长到", "调整为"):
            # 临时入境停留有效期放宽至2年: a permitted period changed, not a validity running out.
            sc.skip(m.start(), m.end(), "period_length")
            continue
        span = _duration(m.group("num"), m.group("unit"))
        start = _start_of_sentence(sc, m.start())
        last = _add(start, span) if start is not None else None
        due_on = _in_range(last - datetime.timedelta(days=1)) if last is not None else None
        sc.hit(m.start(), m.end(), "valid_until", due_on, "day", span.iso)


def _compress_anchor(anchor: str) -> str:
    """Long noun phrases keep the verb and the head noun: 收到…提交的…申请 -> 收到申请."""
    if len(anchor) > 12 and "的" in anchor and not anchor.endswith("的"):
        return anchor[:2] + anchor.rsplit("的", 1)[1]
    return anchor


def _anchor_of(sc: _Scan, pos: int) -> tuple[int, str | None, datetime.date | None]:
    """What a limit starting at ``pos`` counts from: (span start, anchor, day counted from).

    The span takes in the anchor only when it runs straight into the limit
    (自受理之日起5个工作日内); after a comma or a verb (审查后，1个工作日内) the
    expression is the limit alone.
    """
    window_start = max(0, pos - 100, sc.claimed_end_before(pos))
    found = _ANCHOR.search(sc.compact[window_start:pos])
    if found is None:
        state = _STATE_ANCHOR.search(sc.compact[window_start:pos])
        return pos, (_compress_anchor(state.group("anchor")) if state else None), None
    if sc.compact[window_start + found.end("anchor"):pos] != "起":  # 出险后48小时内: the limit alone
        pos_only = pos
    else:
        pos_only = None
    lead = window_start + found.start("lead") if found.group("lead") else None
    a_start, a_end = window_start + found.start("anchor"), window_start + found.end("anchor")
    phrase = sc.compact[a_start:a_end]
    day = _printed_day(phrase, sc.issued_on)
    if day is not None:
        return (a_start if lead is None else lead) if pos_only is None else pos_only, phrase, day
    inner = list(_ATOM.finditer(phrase))
    if inner:  # a date inside the phrase is left to the date scan; the anchor is what follows it
        a_start += inner[-1].end() + len(_DATE_TAIL.match(phrase, inner[-1].end()).group(0))
        lead = None
    if a_end - a_start < 2:  # 然后/随后/此后 are adverbs, not anchors
        return pos, None, None
    anchor = _compress_anchor(sc.compact[a_start:a_end])
    base = sc.issued_on if _ISSUE_ANCHOR.fullmatch(anchor) else None
    return (a_start if lead is None else lead) if pos_only is None else pos_only, anchor, base


# Around N年内, a period that decides who is eligible, not a limit: 离校2年内未就业, 近2年内.
_ELIGIBILITY_BEFORE = re.compile(r"(?:离校|毕业|退役|退休|注册|成立|设立|近|最近|过去)$")
_ELIGIBILITY_AFTER = re.compile(r"(?:未|的|新|首次|累计|内未)")


# 在审查会前提交, 应在裁定有效期届满前…, 开展标准实施前均需…: a limit set by an
# event rather than a date or a duration; the event is the anchor.
_NOT_AFTER_BEFORE = r"(?![一二两三四五六七八九十几\d期列沿移端置瞻景])(?!提下|提是|提条件)"  # 在…前提下 is a premise
_EVENT_BEFORE = re.compile(
    # 可在土地供应前…: a permission, not a limit; 提前 and 目前 are adverbs.
    rf"(?<=[在于])(?<!可在)(?<!可于)(?P<anchor>[^\d，,。；;：:！？!?（）()“”《》年月日\n\t]{{2,16}}?)(?<![提目当此之])(?:之)?前"
    rf"{_NOT_AFTER_BEFORE}"
    rf"|(?:^|(?<=[，,。；;：:\n]))(?P<anchor2>[^\d，,。；;：:！？!?（）()“”《》年月日\n\t]{{2,16}}?)(?:之)?前"
    r"(?=(?:均|都)?(?:应当|应|须|需|要|必须))"
)


def _scan_event_limits(sc: _Scan) -> None:
    for m in _EVENT_BEFORE.finditer(sc.compact):
        name = "anchor" if m.group("anchor") else "anchor2"
        if sc.free(m.start(name), m.end()):
            sc.hit(m.start(name), m.end(), "time_limit", anchor=_compress_anchor(m.group(name)))


def _scan_month_spans(sc: _Scan) -> None:
    for m in _MONTH_SPAN.finditer(sc.compact):
        year, first, last = int(m.group("year")), int(m.group("first")), int(m.group("last"))
        if not sc.free(m.start(), m.end()) or not 1 <= first < last <= 12:
            continue
        if sc.cell(m.start()) not in _TIME_ROLES and not sc.after_time_slot(m.start()):
            sc.skip(m.start(), m.end(), "date_range")  # the months something ran or runs, no commitment
        elif FIRST_YEAR <= year <= LAST_YEAR:
            end = datetime.date(year, last, calendar.monthrange(year, last)[1])
            sc.hit(m.start(), m.end(), "target", end, "month", f"P{last - first + 1}M")


def _scan_span_targets(sc: _Scan) -> None:
    for m in _SPAN_TARGET.finditer(sc.compact):
        if sc.free(m.start(), m.end()):
            sc.hit(m.start(), m.end(), "target", duration=_duration(m.group("num"), m.group("unit")).iso)


def _scan_limits(sc: _Scan) -> None:
    for m in _LIMIT.finditer(sc.compact):
        # In a time cell (承诺时限, 完成时限) a bare duration is the limit: 5个工作日; so it is
        # before the verb of getting done (1个工作日办结), unless a slogan quotes it (“一日办结”).
        quoted = sc.compact.rfind("“", 0, m.start()) > sc.compact.rfind("”", 0, m.start())
        bare_ok = sc.cell(m.start()) in _TIME_ROLES or (sc.compact.startswith(_DONE_IN, m.end()) and not quoted)
        if not (m.group("qual") or m.group("within") or bare_ok) or not sc.free(m.start(), m.end()):
            continue
        if m.group("within") and (_ELIGIBILITY_BEFORE.search(sc.compact, 0, m.start("num"))
                                  or _ELIGIBILITY_AFTER.match(sc.compact, m.end())):
            sc.skip(m.start("num"), m.end(), "eligibility_period")
            continue
        span = _duration(m.group("num"), m.group("unit"))
        start, anchor, base = _anchor_of(sc, m.start())
        if start == m.start():
            start = m.start("num")  # 压减至10个工作日: the limit is 10个工作日
        due_on = _add(base, span) if base is not None else None
        sc.hit(start, m.end(), "time_limit", due_on, "day", span.iso, anchor)


def _closes_note(compact: str, start: int, end: int) -> bool:
    """A date standing as a clause of its own at the end of a note or sentence, like a time column
    (（区营商办负责；2023年11月）, …公开比选，2023年12月（长期坚持）。)."""
    return compact[start - 1:start] in ("；", ";", "，", ",") and compact[end:end + 1] in ("）", ")", "〕", "】", "（", "。")


def _classify(prefix: str, suffix: re.Match[str] | None, after: str) -> str:
    """The kind of a date list from the words around it: a KINDS entry, "as_of", or a skip reason."""
    name = suffix.lastgroup if suffix else None
    if name == "since":
        return "historical_reference"
    if name == "start":
        return "effective_date" if _ENACT.match(after) else "start_date"
    validity = _VALIDITY_WORD.search(prefix) is not None
    if _AS_OF_LEAD.search(prefix):
        return "valid_until" if validity else "as_of"
    if name == "expiry" or (validity and _TO_END.search(prefix)):
        return "valid_until"
    if name == "due" or _DUE_LEAD.search(prefix):
        return "due_by"
    if _TARGET_LEAD.search(prefix) or name == "verb":
        return "target"
    return "no_context"


def _clause_prefix(sc: _Scan, pos: int) -> str:
    window = sc.compact[max(0, pos - 12, sc.claimed_end_before(pos)):pos]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end():] if breaks else window


_Item = tuple[re.Match[str], int | None, int, int]  # atom, year carried into it, span start, span end


# A work phase and its time in brackets: 实地督查阶段（2023年10月）, 集中攻坚阶段（7月—9月）.
_PHASE = re.compile(r"阶段[（(]$")


def _names_a_phase(compact: str, start: int) -> bool:
    """Whether the date at ``start`` is the time of a work phase named right before it."""
    return _PHASE.search(compact, max(0, start - 3), start) is not None


def _emit_dates(sc: _Scan, items: list[_Item], label: str) -> None:
    """One hit or skip per list item; ``label`` comes from _classify."""
    for atom, carried, start, end in items:
        resolved = _atom_date(atom, _atom_year(atom, sc.issued_on, carried))
        if resolved is None:
            sc.skip(start, end, "invalid_date")
            continue
        due_on, precision = resolved
        kind = label
        if label == "as_of":  # 截至 a past date states a fact; a future one is a target
            past = due_on is not None and sc.issued_on is not None and due_on < sc.issued_on
            kind = "as_of_date" if past else "target"
        elif label == "no_context":
            # In a time column (or after 完成时限：) a bare date is when the row is to be
            # done (2023年12月); in prose, a date that a verb follows is a plan
            # (2023年第三季度推出…). A bare year stays a reference.
            if _is_bare_year(atom):
                # 对2023年营业收入超过…的企业 names who qualifies, not a goal.
                goal = _QUANTITY_GOAL.match(sc.compact, end) and not sc.compact.endswith("对", 0, start)
                kind = "target" if goal else "year_reference"
            elif sc.cell(start) == "due" or sc.after_time_slot(start) or _names_a_phase(sc.compact, start) \
                    or _closes_note(sc.compact, start, end) \
                    or (_group(atom, "day", "day2") is None and _PLAN_VERB.match(sc.compact, end)):
                kind = "target"
            else:
                kind = "reference_date"
        if kind in SKIP_REASONS:
            sc.skip(start, end, kind, due_on if kind == "effective_date" and precision == "day" else None)
        elif due_on is not None and _in_range(due_on) is None:
            sc.skip(start, end, "out_of_range")
        else:
            sc.hit(start, end, kind, due_on, precision)


class _NextMatch:
    """``pattern.search(text, pos)`` for a ``pos`` that only grows, without searching the same text twice.

    The leftmost match at or after an earlier position is still the leftmost
    at or after a later one, as long as it does not start before it; a search
    from every date to the end of the text would make dense documents quadratic.
    """

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern, self._text = pattern, text
        self._match: re.Match[str] | None = None
        self._done = False

    def search(self, pos: int) -> re.Match[str] | None:
        if not self._done and (self._match is None or self._match.start() < pos):
            self._match = self._pattern.search(self._text, pos)
            self._done = self._match is None
        return self._match


def _scan_dates(sc: _Scan) -> None:
    ranges, atoms = _NextMatch(_YEAR_RANGE, sc.compact), _NextMatch(_ATOM, sc.compact)
    pos = 0
    while True:
        found = [m for m in (ranges.search(pos), atoms.search(pos)) if m]
        if not found:
            return
        first = min(found, key=lambda m: (m.start(), -m.end()))
        if sc.free(first.start(), first.end()):
            pos = _scan_date_list(sc, first)
        else:
            pos = first.start() + 1


def _read_list(sc: _Scan, first: re.Match[str]) -> tuple[list[re.Match[str]], bool]:
    """Atoms joined by 、/和/及…, or a pair joined by 至/—; returns (atoms, is_range)."""
    atoms = [first]
    if first.re is _YEAR_RANGE:
        return atoms, True
    while True:
        end = atoms[-1].end()
        sep = _LIST_SEP.match(sc.compact, end) or _RANGE_SEP.match(sc.compact, end)
        nxt = _ATOM.match(sc.compact, sep.end()) if sep else None
        if nxt is None or not sc.free(end, nxt.end()):
            return atoms, False
        if sep.re is _RANGE_SEP:
            return (atoms + [nxt], True) if len(atoms) == 1 else (atoms, False)
        atoms.append(nxt)


def _carried_date(sc: _Scan, atoms: list[re.Match[str]]) -> re.Match[str] | None:
    """For 2024年和2025年要在当年3月31日前: the 当年 date the listed years apply to."""
    if not all(_is_bare_year(a) and a.group("year").isdigit() for a in atoms):
        return None
    gap = _CARRY.match(sc.compact, atoms[-1].end())
    carry = _ATOM.match(sc.compact, gap.end()) if gap else None
    if carry is None or carry.group("year") != "当" or _is_bare_year(carry):
        return None
    return carry if sc.free(atoms[-1].end(), carry.end()) else None


def _scan_date_list(sc: _Scan, first: re.Match[str]) -> int:
    """Read, classify and record the dates starting at ``first``; return where to go on."""
    atoms, is_range = _read_list(sc, first)
    carry = None if is_range else _carried_date(sc, atoms)
    tail = carry.end() if carry else atoms[-1].end()
    suffix = _SUFFIX.match(sc.compact, tail)
    # A verb after a target (2023年第三季度完成) says what, not when: it stays out of the expression.
    stop = suffix.end() if suffix and suffix.lastgroup != "verb" else tail
    prefix = _clause_prefix(sc, first.start())
    label = _classify(prefix, suffix, sc.compact[stop:stop + 2])
    if label == "due_by" and _RELIEF_AFTER.match(sc.compact, stop):
        label = "valid_until"
    lead = _AS_OF_LEAD.search(prefix) or _TARGET_LEAD.search(prefix)
    start = first.start() - (len(lead.group(0)) if lead and label in ("target", "valid_until", "as_of") else 0)
    if label == "valid_until" and re.search(r"有效期(?:至|到)$", prefix):
        start = first.start() - 4  # 有效期至2025年12月31日
    if label == "effective_date":
        # 自2023年7月1日起施行: the clause whole, 自 and the verb included.
        start -= prefix.endswith(("自", "从"))
        enact = _ENACT.match(sc.compact, stop)
        stop = enact.end() if enact else stop
    if is_range:
        _emit_range(sc, atoms, start, stop, prefix)
        return stop
    if carry is not None:
        items: list[_Item] = [(carry, int(a.group("year")), a.start(), a.end()) for a in atoms]
    else:
        # Later items without a year inherit the previous one; the first, the year of the last date
        # printed before it in the sentence (2024年6月底前完成试点、12月底前全面推开: 2024).
        printed: list[int | None] = [sc.sentence_year(first.start())]
        for a in atoms:
            printed.append(int(a.group("year")) if (a.group("year") or "").isdigit() else printed[-1])
        items = [(a, y, a.start(), a.end()) for a, y in zip(atoms, printed)]
    items[0] = (items[0][0], items[0][1], start, items[0][3])
    items[-1] = (items[-1][0], items[-1][1], items[-1][2], stop)
    _emit_dates(sc, items, label)
    return stop


_GOAL_OVER = re.compile(r"累计|共计|合计|力争|争取|确保")


def _emit_range(sc: _Scan, atoms: list[re.Match[str]], start: int, stop: int, prefix: str) -> None:
    """A range is one expression: in a validity context it is valid_until its end, else skipped."""
    # 2023—2025年，…; 2023年至2025年累计盘活…: the years open the clause, a goal over them follows.
    opens_clause = prefix == "" and (sc.compact[stop:stop + 1] in ("，", ",") or _GOAL_OVER.match(sc.compact, stop))
    # …, and a time cell holding the years (2023—2025年): the row is done by their end.
    if (opens_clause or sc.cell(start) in _TIME_ROLES) and atoms[0].re is _YEAR_RANGE:
        # 2023—2025年，各地每年组织…: the years a programme runs, to its end.
        first, last = int(atoms[0].group("first")), int(atoms[0].group("last"))
        if FIRST_YEAR <= first <= last <= LAST_YEAR:
            sc.hit(start, stop, "target", datetime.date(last, 12, 31), "year", f"P{last - first + 1}Y")
            return
    if not _VALIDITY_WORD.search(prefix):
        sc.skip(start, stop, "date_range")
    elif atoms[0].re is _YEAR_RANGE:
        year = int(atoms[0].group("last"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            sc.hit(start, stop, "valid_until", datetime.date(year, 12, 31), "year")
        else:
            sc.skip(start, stop, "out_of_range")
    else:
        first_year = atoms[0].group("year") or ""
        _emit_dates(sc, [(atoms[1], int(first_year) if first_year.isdigit() else None, start, stop)],
                    "valid_until")


# Whitespace other than a paragraph break or a cell separator.
_NOISE_SPACE = re.compile(r"[^\S\n\t]+")


def compact_text(text: str) -> tuple[str, list[int]]:
    """``text`` without :data:`_NOISE_SPACE`, and the offset in ``text`` of each character kept.

    >>> compact_text("a b\\n c")
    ('ab\\nc', [0, 2, 3, 5])
    """
    return without(text, _NOISE_SPACE)


def find_deadlines(
    text: str, issued_on: datetime.date | None, cells: list[tuple[int, int, str]] | tuple = (),
) -> tuple[list[DeadlineHit], list[Skipped]]:
    """Find every time commitment in ``text``; return (hits, skipped), each sorted by offset.

    ``issued_on`` (the document's date) resolves dates printed without a year and
    limits counted from the issue; it must lie in 1990-2100. ``cells`` are the
    (start, end, role) spans of tables' time cells (role ``due`` or
    ``limit``), read in their column's sense: a bare date there is when the
    row is to be done, a bare duration its limit, 长期 open-ended; of
    remark cells (role ``note``), where 持续推进 reports progress (``status``);
    and of cells quoting a law (role ``quote``, a 设定依据 column), whose
    times are the law's (``quotation``).

    >>> hits, skipped = find_deadlines("并于2023 年5 月底前将有关工作报送", None)
    >>> hits[0].expression, hits[0].kind, hits[0].due_on, hits[0].precision
    ('2023年5月底前', 'due_by', datetime.date(2023, 5, 31), 'month')
    >>> hits, _ = find_deadlines("应在本措施印发之日起一年内完成", datetime.date(2023, 6, 1))
    >>> hits[0].kind, hits[0].duration, hits[0].anchor, hits[0].due_on
    ('time_limit', 'P1Y', '本措施印发之日', datetime.date(2024, 6, 1))
    >>> find_deadlines("原则上不少于30 日。", None)[1][0].reason
    'minimum_period'
    """
    if issued_on is not None:
        if isinstance(issued_on, datetime.datetime) or not isinstance(issued_on, datetime.date):
            raise TypeError(f"issued_on must be a datetime.date, got {issued_on!r}")
        if not FIRST_YEAR <= issued_on.year <= LAST_YEAR:
            raise ValueError(f"issued_on {issued_on} lies outside {FIRST_YEAR}-{LAST_YEAR}")
    # Spaces and line breaks inside a paragraph are gone already (repair.join_lines);
    # what is left of them is noise of the PDF, so they are dropped. Paragraph
    # breaks and table cell separators stay: no expression runs across them.
    compact, where = compact_text(text)
    compact_cells = sorted((bisect_left(where, start), bisect_left(where, end), role) for start, end, role in cells)
    sc = _Scan(issued_on, compact, where, [], [], [], compact_cells)
    # Order matters: each scan only takes text no earlier scan has accounted for.
    # 有效期为3年 must be read before 期为3年 can pass for a period length.
    for scan in (_scan_recurring, _scan_validity_spans, _scan_not_deadlines, _scan_ongoing, _scan_month_spans,
                 _scan_span_targets, _scan_limits, _scan_dates, _scan_event_limits):
        scan(sc)
    # What an amending decision quotes is the amended text's, and what a table quotes from a law
    # the law's: their times are left out.
    quoted = [(sc.where[m.start()], sc.where[m.end() - 1] + 1) for m in AMENDMENT_QUOTE.finditer(compact)]
    quoted += [(start, end) for start, end, role in cells if role == "quote"]
    hits = []
    for h in sc.hits:
        if any(a <= h.char_start < b for a, b in quoted):
            sc.skipped.append(Skipped(h.expression, "quotation", h.char_start, h.char_end, None))
        else:
            hits.append(h)
    return (sorted(hits, key=lambda h: h.char_start), sorted(sc.skipped, key=lambda s: s.char_start))
