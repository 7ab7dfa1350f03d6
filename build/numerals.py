"""Chinese numerals in labels (一、 （十九） 第六十条), via cn2an.

>>> [cn_int(s) for s in ("一", "十九", "六十", "一百二十")]
[1, 19, 60, 120]
"""

from __future__ import annotations

import re

_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百千]+$")


def cn_int(s: str) -> int:
    """Value of a Chinese numeral; ValueError for anything else."""
    import cn2an  # ~0.1 s to import; only the build needs it

    if not _NUMERAL.match(s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    value = cn2an.cn2an(s.replace("〇", "零"), "strict")
    if value != int(value):
        raise ValueError(f"not a whole number: {s!r}")
    return int(value)
