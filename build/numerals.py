"""Chinese numerals up to 9999, as labels (一、 （十九） 第六十条) and amounts (十五个工作日) print them.

Hand-written rather than cn2an: cn2an imports ``pkg_resources`` at import
time, which current setuptools and Python 3.12+ environments no longer have,
and these numerals follow one small grammar: [D千][D百][D十|十][零][D].

>>> [cn_int(s) for s in ("一", "十九", "六十", "一百二十", "一百零五", "两千零二十三", "〇")]
[1, 19, 60, 120, 105, 2023, 0]
>>> cn_int("十十")
Traceback (most recent call last):
...
ValueError: not a Chinese numeral: '十十'
"""

from __future__ import annotations

import re

DIGITS = "一二两三四五六七八九"
_VALUE = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PARTS = re.compile(
    rf"(?:(?P<k>[{DIGITS}])千)?(?:(?<=千)零(?=[{DIGITS}]))?(?:(?P<h>[{DIGITS}])百)?(?:(?<=[百千])零(?=[{DIGITS}]))?"
    rf"(?:(?P<t>[{DIGITS}])?(?P<ten>十))?(?P<u>[{DIGITS}])?"
)
# The same grammar for use inside larger patterns: no named groups, and it
# starts with a digit or 十 (so it never matches the empty string).
CN_NUMERAL = rf"(?=[{DIGITS}十])" + re.sub(r"\(\?P<\w+>", "(?:", _PARTS.pattern)

def cn_int(s: str) -> int:
    """Value of a Chinese numeral (0-9999); ValueError for anything else."""
    if s in ("零", "〇"):
        return 0
    m = _PARTS.fullmatch(s) if s else None
    if m is None or not any(m.group(g) for g in ("k", "h", "ten", "u")):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    tens = _VALUE[m.group("t")] if m.group("t") else (1 if m.group("ten") else 0)
    return sum(
        _VALUE[m.group(g)] * scale if m.group(g) else 0 for g, scale in (("k", 1000), ("h", 100), ("u", 1))
    ) + 10 * tens
