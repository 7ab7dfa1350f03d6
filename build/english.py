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
from dataclasses import dataclass
from functools import cache
from importlib import resources
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
        level_word = max((w for w in self.level_words if name.endswith(w)), key=len, default=None)
        if level_word is None:
            return None, None
        stem = name[: -len(level_word)]
        peoples: list[str] = []
        if level_word in _AUTONOMOUS:
            stem, peoples = self._peel_ethnic(stem)
            if not peoples:
                return None, None
        place = self.readings.get(stem) or romanise(stem)
        if place is None:
            return None, None
        return " ".join([place, *([_and(peoples)] if peoples else []), self.level_words[level_word]]), "pinyin"

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

    None when the text holds anything but Chinese characters.

    >>> romanise("马鞍山"), romanise("吕梁"), romanise("Anhui")
    ("Ma'anshan", 'Lüliang', None)
    """
    if not chinese or not all("\u4e00" <= ch <= "\u9fff" for ch in chinese):
        return None
    # Imported here: only the build needs the pinyin dictionary.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(chinese, style=Style.NORMAL, v_to_u=True)
    # A character pypinyin has no reading for comes back as itself.
    if not all(_SYLLABLE.fullmatch(s) for s in syllables):
        return None
    word = syllables[0] + "".join(("'" + s if s.startswith(_APOSTROPHE_BEFORE) else s) for s in syllables[1:])
    return word[:1].upper() + word[1:]


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


RegionNames = dict[tuple[str, str], tuple[str | None, str | None]]


class RegionNamesAhead:
    """:meth:`EnglishNames.region` of every given region, run in a process of its own.

    Importing pypinyin (its phrase dictionary) takes about 0.13 s, a sixth of
    the bundled source's build; started before the documents are parsed, a
    second process pays it on another core while they are. It names every
    region of the index (about 0.06 s more), as which of them the tables hold
    is known only at the end. Use it as a context manager: leaving the block
    ends the process if :meth:`result` was not called.

    The process is a fresh interpreter that imports this module only. Not a
    fork: the build may run in a process with other libraries' threads
    (DuckDB's, pyarrow's, numpy's), and a forked child of such a process can
    crash on a lock one of them held (one of the test run died of SIGSEGV).
    Nor multiprocessing's spawn, which re-runs the caller's main script: a
    script calling build() without an ``if __name__ == "__main__":`` guard
    hung that way.
    """

    def __init__(self, regions: list[tuple[str, str]]) -> None:
        import pickle
        import subprocess
        import sys
        import threading

        self._process = subprocess.Popen(
            [sys.executable, "-c", "from policydata_build.english import _serve; _serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The regions are more than a pipe holds: written from a thread, so the
        # build goes on while the child starts and reads them.
        self._writer = threading.Thread(target=self._send, args=(pickle.dumps(regions),), daemon=True)
        self._writer.start()

    def _send(self, payload: bytes) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(payload)
            stdin.close()
        except BrokenPipeError:
            return  # the child ended before reading; result() reports its exit code and stderr

    def __enter__(self) -> RegionNamesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._writer.join()
        for pipe in (self._process.stdout, self._process.stderr):
            if pipe is not None:
                pipe.close()

    def result(self) -> RegionNames:
        """(code, name) -> (English name, rule), as ``EnglishNames.load().region(code, name)`` gives them."""
        import pickle

        self._writer.join()
        assert self._process.stdout is not None and self._process.stderr is not None
        # stdout first: the child writes stderr only when it fails, and then
        # a traceback, far less than a pipe holds.
        out = self._process.stdout.read()
        err = self._process.stderr.read()
        self._process.wait()
        if self._process.returncode != 0:
            raise BuildError(f"naming regions in English failed (exit code {self._process.returncode}); nothing "
                             f"was written:\n{err.decode('utf-8', 'replace')[-4000:]}")
        names: RegionNames = pickle.loads(out)
        return names


def _serve() -> None:
    """The naming process: regions pickled on stdin, their English names pickled on stdout."""
    import pickle
    import signal
    import sys

    # The build ends this process itself when it stops: an interrupt must not
    # print a second traceback from here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    regions = pickle.load(sys.stdin.buffer)
    names = EnglishNames.load()
    sys.stdout.buffer.write(pickle.dumps({(code, name): names.region(code, name) for code, name in regions}))
    sys.stdout.buffer.flush()


def add_english(rows: dict[str, list[dict[str, Any]]], region_names: RegionNames) -> dict[str, dict[str, int]]:
    """Fill the English columns of regions, agencies and documents in place.

    ``region_names`` holds the English name of every region in ``rows``
    (from :class:`RegionNamesAhead`). Returns, per table, how many rows got a
    name by each rule and how many got none (``null``), for ``quality.json``.
    """
    names = EnglishNames.load()
    counts: dict[str, Counter[str]] = {"regions": Counter(), "agencies": Counter(), "documents": Counter()}
    for region in rows["regions"]:
        region["name_en"], region["name_en_source"] = region_names[(region["region_code"], region["name"])]
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
