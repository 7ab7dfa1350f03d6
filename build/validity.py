"""Normalise: how long a document says it is in force.

Only a sentence about the document itself counts: it names the document as
本通知, 本办法, 本措施 … and states 有效期 or 试行. The end date is read as printed
(有效期至2025年12月31日) or counted from the effective date (有效期3年); when the
effective date is unknown the clause is kept and the date left null, never
guessed.

>>> import datetime as dt
>>> v = validity("……\\n六、本措施自2023年6月1日起施行，有效期至2025年12月31日。", "若干措施", dt.date(2023, 6, 1))
>>> v.expires_on, v.raw, v.is_trial
(datetime.date(2025, 12, 31), '六、本措施自2023年6月1日起施行，有效期至2025年12月31日', False)
>>> validity("本办法自印发之日起试行，有效期两年。", "管理办法", dt.date(2023, 3, 1)).expires_on
datetime.date(2025, 2, 28)
>>> validity("本办法有效期两年。", "管理办法", None).expires_on is None
True
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .numerals import CN_NUMERAL, cn_int

_SENTENCE = re.compile(r"[^。\n]+")
# The document naming itself: 本通知, 本实施意见, 本若干措施 …
_ITSELF = re.compile(r"本[\u4e00-\u9fff]{0,8}?(?:通知|办法|措施|方案|意见|规定|细则|条例|政策|决定|规则|清单|指引|要点|计划"
                     r"|标准|制度|机制|举措)")
_NUMBER = rf"(?:\d+|{CN_NUMERAL})"
_UNTIL = re.compile(r"有效期(?:至|到|截至)(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<end>底))?|(?P<yend>底))")
_SPAN = re.compile(rf"有效期(?:为|是)?(?P<n>{_NUMBER})(?P<unit>年|个月)")


@dataclass(frozen=True)
class Validity:
    expires_on: dt.date | None
    raw: str | None
    is_trial: bool


def validity(text: str, title: str, effective_on: dt.date | None) -> Validity:
    """The first sentence in which the document states its own validity, and what it says."""
    for m in _SENTENCE.finditer(text):
        sentence = re.sub(r"\s", "", m.group())
        if not _ITSELF.search(sentence) or not ("有效期" in sentence or "试行" in sentence):
            continue
        return Validity(_expires(sentence, effective_on), sentence, "试行" in sentence or "试行" in title)
    return Validity(None, None, "试行" in title)


def _expires(sentence: str, effective_on: dt.date | None) -> dt.date | None:
    if m := _UNTIL.search(sentence):
        year = int(m["y"])
        if m["yend"]:
            return dt.date(year, 12, 31)
        if m["m"] is None:
            return None  # 有效期至2025年 alone: no day to count to
        month = int(m["m"])
        day = int(m["d"]) if m["d"] else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    if (m := _SPAN.search(sentence)) and effective_on is not None:
        n = int(m["n"]) if m["n"].isdigit() else cn_int(m["n"])
        months = n * 12 if m["unit"] == "年" else n
        return _add_months(effective_on, months) - dt.timedelta(days=1)
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
