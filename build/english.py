"""Normalise: English names for regions, agencies, sections and document types.

Every English name comes from a rule over a curated file that names its
sources (``build/data/names_en.json``, and ``name_en`` in
``build/data/national_agencies.json``). Where no rule applies the name is
null, never guessed, and ``name_en_source`` says which rule gave the rest:

- ``official``: a curated official English name (provincial-level divisions,
  a few places whose English is not their pinyin, central bodies);
- ``pinyin``: Hanyu Pinyin of the place's own name with the English ethnic
  names and level word, e.g. 淮南市 -> Huainan City, 西安市 -> Xi'an City;
- ``derived``: a body named after its region, e.g. 淮南市人民政府办公室 ->
  Office of the People's Government of Huainan City.

>>> names = EnglishNames.load()
>>> names.region("341100", "淮南市")
('Huainan City', 'pinyin')
>>> names.region("513300", "甘孜藏族自治州")
('Ganzi Tibetan Autonomous Prefecture', 'pinyin')
>>> names.region("310105", "长宁区")  # 长 read cháng, from the reviewed readings
('Changning District', 'pinyin')
>>> names.region("610000", "陕西省")
('Shaanxi', 'official')
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import BuildError
from .regions import NATIONAL_CODE, national_agency_data

_AUTONOMOUS = ("自治州", "自治县", "自治旗")
_APOSTROPHE_BEFORE = ("a", "o", "e")
_SYLLABLE = re.compile(r"[a-zü]+")


@dataclass(frozen=True)
class EnglishNames:
    provinces: dict[str, str]
    official_places: dict[str, str]
    readings: dict[str, str]
    level_words: dict[str, str]
    ethnic: dict[str, str]  # each printed form (藏族, 维吾尔) -> English
    sections: dict[str, str]
    doc_types: dict[str, str]
    agency_patterns: dict[str, str]
    national_office_patterns: dict[str, str]
    central: dict[str, str]  # canonical central body -> official English name

    @classmethod
    @cache
    def load(cls) -> EnglishNames:
        """The curated names (read once)."""
        path = resources.files("policydata_build").joinpath("data", "names_en.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        ethnic: dict[str, str] = {}
        for name, english in data["ethnic_groups"].items():
            ethnic[name] = english
            # Names print without 族 inside longer names: 新疆维吾尔自治区.
            if name.endswith("族") and len(name) > 2:
                ethnic[name[:-1]] = english
        central = {e["canonical"]: e["name_en"] for e in national_agency_data()["agencies"] if e["name_en"] is not None}
        return cls(data["provinces"], data["official_places"], data["readings"], data["level_words"], ethnic,
                   data["sections"], data["doc_types"], data["agency_patterns"], data["national_office_patterns"],
                   central)

    def region(self, code: str, name: str) -> tuple[str | None, str | None]:
        """(English name, how it was found) for a region; (None, None) where no rule applies."""
        if code in self.provinces:
            return self.provinces[code], "official"
        if name in self.official_places:
            return self.official_places[name], "official"
        parts = self._pinyin_parts(name)
        if parts is None:
            return None, None
        stem, peoples, level_word = parts
        place = self.readings.get(stem) or romanise(stem)
        if place is None:
            return None, None
        return " ".join([place, *([_and(peoples)] if peoples else []), self.level_words[level_word]]), "pinyin"

    def _pinyin_parts(self, name: str) -> tuple[str, list[str], str] | None:
        """(stem to romanise, English ethnic names, level word) of a name the pinyin rule covers, else None."""
        level_word = max((w for w in self.level_words if name.endswith(w)), key=len, default=None)
        if level_word is None:
            return None
        stem = name[: -len(level_word)]
        peoples: list[str] = []
        if level_word in _AUTONOMOUS:
            stem, peoples = self._peel_ethnic(stem)
            if not peoples:
                return None
        return stem, peoples, level_word

    def pinyin_stems(self, regions: Iterable[tuple[str, str]]) -> list[str]:
        """The stems :meth:`region` romanises for these (code, name) pairs, without a reviewed reading."""
        stems = set()
        for code, name in regions:
            if code in self.provinces or name in self.official_places:
                continue
            parts = self._pinyin_parts(name)
            if parts is not None and parts[0] not in self.readings:
                stems.add(parts[0])
        return sorted(stems)

    def _peel_ethnic(self, stem: str) -> tuple[str, list[str]]:
        """红河哈尼族彝族 -> (红河, [Hani, Yi]); the place keeps at least two characters."""
        peoples: list[str] = []
        while True:
            found = max((f for f in self.ethnic if stem.endswith(f) and len(stem) - len(f) >= 2), key=len, default=None)
            if found is None:
                return stem, peoples[::-1]
            peoples.append(self.ethnic[found])
            stem = stem[: -len(found)]

    def agency(self, name: str, region_code: str, regions: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
        """(English name, how it was found) for an agency of the given jurisdiction."""
        if region_code == NATIONAL_CODE:
            if name in self.central:
                return self.central[name], "official"
            for suffix, template in self.national_office_patterns.items():
                body = self.central.get(name[: -len(suffix)]) if name.endswith(suffix) else None
                if body is not None:
                    return template.format(body=body), "derived"
            return None, None
        region = regions[region_code]
        if region["name_en"] is None:
            return None, None
        # A district's bodies print the city first: 上海市长宁区人民政府.
        parent = regions.get(region["parent_code"])
        prefixes = [region["name"]]
        if parent is not None and parent["region_code"] != NATIONAL_CODE:
            prefixes.append(parent["name"] + region["name"])
        for body, template in self.agency_patterns.items():
            if any(name == prefix + body for prefix in prefixes):
                return template.format(region=region["name_en"]), "derived"
        return None, None


def romanise(chinese: str) -> str | None:
    """Hanyu Pinyin as one capitalised word, with the apostrophe before a, o, e.

    None when the text holds anything but Chinese characters. The place names
    of the region index are looked up in ``build/data/pinyin.json``, which
    :func:`write_pinyin_cache` makes with pypinyin, so a build does not import
    pypinyin's dictionary (about 0.13 s); a test checks that the file still
    gives what pypinyin gives.

    >>> romanise("马鞍山"), romanise("吕梁"), romanise("Anhui")
    ("Ma'anshan", 'Lüliang', None)
    """
    if not chinese or not all("\u4e00" <= ch <= "\u9fff" for ch in chinese):
        return None
    cached = pinyin_cache()
    if chinese in cached:
        return cached[chinese]
    return romanise_with_pypinyin(chinese)


def romanise_with_pypinyin(chinese: str) -> str | None:
    """:func:`romanise` computed by pypinyin, for text made of Chinese characters only."""
    # Imported here: only names outside the region index need the pinyin dictionary.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(chinese, style=Style.NORMAL, v_to_u=True)
    # A character pypinyin has no reading for comes back as itself.
    if not all(_SYLLABLE.fullmatch(s) for s in syllables):
        return None
    word = syllables[0] + "".join(("'" + s if s.startswith(_APOSTROPHE_BEFORE) else s) for s in syllables[1:])
    return word[:1].upper() + word[1:]


_PINYIN_CACHE = ("data", "pinyin.json")


@cache
def pinyin_cache() -> dict[str, str | None]:
    """Stem -> :func:`romanise_with_pypinyin` of it, for every stem the region index needs."""
    path = resources.files("policydata_build").joinpath(*_PINYIN_CACHE)
    romanised: dict[str, str | None] = json.loads(path.read_text(encoding="utf-8"))["romanised"]
    return romanised


def write_pinyin_cache() -> Path:
    """Write ``build/data/pinyin.json`` from the region index (rerun after changing it or names_en.json)."""
    from importlib.metadata import version

    from .regions import RegionIndex

    stems = EnglishNames.load().pinyin_stems((r.code, r.name) for r in RegionIndex.load().all())
    path = Path(str(resources.files("policydata_build").joinpath(*_PINYIN_CACHE)))
    data = {"about": "Generated by `python -m policydata_build.english`: the Hanyu Pinyin that pypinyin gives "
                     "for each place-name stem of the region index; tests/test_english.py checks it is current.",
            "pypinyin": version("pypinyin"),
            "romanised": {stem: romanise_with_pypinyin(stem) for stem in stems}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pinyin_cache.cache_clear()
    return path


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def add_english(rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Fill the English columns of regions, agencies and documents in place.

    Returns, per table, how many rows got a name by each rule and how many
    got none (``null``), for ``quality.json``.
    """
    names = EnglishNames.load()
    counts: dict[str, Counter[str]] = {"regions": Counter(), "agencies": Counter(), "documents": Counter()}
    for region in rows["regions"]:
        region["name_en"], region["name_en_source"] = names.region(region["region_code"], region["name"])
        counts["regions"][region["name_en_source"] or "null"] += 1
    by_code = {r["region_code"]: r for r in rows["regions"]}
    for agency in rows["agencies"]:
        agency["name_en"], agency["name_en_source"] = names.agency(agency["name"], agency["region_code"], by_code)
        counts["agencies"][agency["name_en_source"] or "null"] += 1
    for doc in rows["documents"]:
        doc["section_en"] = names.sections.get(doc["section"])
        doc["doc_type_en"] = None if doc["doc_type"] is None else names.doc_types[doc["doc_type"]]
        counts["documents"]["section_en" if doc["section_en"] else "section_en_null"] += 1
    return {table: dict(sorted(c.items())) for table, c in counts.items()}


if __name__ == "__main__":
    print(f"wrote {write_pinyin_cache()}")
