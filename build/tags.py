"""Topic and policy-instrument tags for provisions: phrase rules and the matcher.

The rules live in data (``build/data/tag_rules.json``) so a researcher can
read why a provision carries a tag, disagree, and run an edited copy through
:func:`load_codebook`. A tag matches when one of its phrases occurs in the
text; whitespace inside the text is ignored (the source breaks lines in the
middle of words), and the evidence kept is the original slice of the text.

An ``exclude`` phrase vetoes a match it contains, e.g. ``市场监管总局`` keeps
the agency's name from counting as evidence of the 市场监管 topic. Two
contexts veto every tag: a match inside a title in 《》 (the title names a
document, not what the provision does), a match that a department word
follows, alone or ending a list (与市场监管、税务等部门), and one that names a
channel or an event (政务服务便民热线, 进口博览会).

Three schemes: ``bei`` and ``bready`` name the topic a provision is about;
``tool`` names the policy instrument it uses (supply, environment or demand
side, after Rothwell & Zegveld), so one provision can carry both kinds.

Example:
    >>> codebook = load_codebook()
    >>> for hit in tag_text("规范保证金收取，推广投标保证金保函。", codebook):
    ...     print(hit.tag_id, hit.evidence)
    bei:bidding 投标保证金
    bready:market_competition 投标
    tool:financial_support 保函
    tool:regulation 规范
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from policydata.schema import CURRENT

from .repair import without

DEFAULT_CODEBOOK_PATH = Path(__file__).parent / "data" / "tag_rules.json"

# Names of the 18 indicators of China's business-environment evaluation, as
# published; bei tags must use exactly these as label_zh.
BEI_INDICATORS: tuple[str, ...] = (
    "开办企业", "办理建筑许可", "获得电力", "获得用水用气", "登记财产", "纳税",
    "跨境贸易", "办理破产", "获得信贷", "执行合同", "劳动力市场监管", "政府采购",
    "招标投标", "政务服务", "知识产权创造保护和运用", "市场监管", "包容普惠创新",
    "保护中小投资者",
)
# The ten World Bank B-READY topics; bready tags must use exactly these as label_en.
BREADY_TOPICS: tuple[str, ...] = (
    "Business Entry", "Business Location", "Utility Services", "Labor",
    "Financial Services", "International Trade", "Taxation", "Dispute Resolution",
    "Market Competition", "Business Insolvency",
)
# Scheme -> (label field that must carry the official name, official names).
_OFFICIAL_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bei": ("label_zh", BEI_INDICATORS),
    "bready": ("label_en", BREADY_TOPICS),
}
# The three families of policy instruments (Rothwell & Zegveld 1985). A tool
# tag's description must open with its family, e.g. "Supply: ...", so the
# family can be read from the codebook without a separate field.
TOOL_FAMILIES: tuple[str, ...] = ("Supply", "Environment", "Demand")
_TOOL_SCHEME = "tool"

_TOP_KEYS = frozenset({"version", "schemes", "tags"})
_SCHEME_KEYS = frozenset({"label_zh", "label_en", "description"})
_TAG_REQUIRED = frozenset({"tag_id", "scheme", "label_zh", "label_en", "description", "phrases"})
_TAG_OPTIONAL = frozenset({"exclude"})
_SNAKE = re.compile(r"[a-z][a-z0-9_]*")
_MIN_PHRASE_CHARS = 2  # one character is never specific enough to defend a tag


@dataclass(frozen=True)
class TagDef:
    """One tag of the codebook with its matching rules."""

    tag_id: str
    scheme: str
    label_zh: str
    label_en: str
    description: str
    phrases: tuple[str, ...]
    exclude: tuple[str, ...]

    def __hash__(self) -> int:
        # The scanner cache hashes the whole codebook on every tag_text() call;
        # the id alone is a valid hash (equal tags have equal ids) and spares
        # hashing every phrase each time.
        return hash(self.tag_id)


@dataclass(frozen=True)
class TagHit:
    """The first match of a tag in a text; ``evidence == text[char_start:char_end]``."""

    tag_id: str
    evidence: str
    char_start: int
    char_end: int


def load_codebook(path: Path | None = None) -> list[TagDef]:
    """Read and strictly validate a codebook; the bundled one by default.

    Raises ValueError naming the tag (or scheme) and the problem for unknown
    or missing keys, duplicate tag ids or phrases, empty, one-character or
    whitespace-containing phrases, exclude phrases that can never veto,
    bei / bready labels that are not exactly the official names, and tool
    tags whose description does not open with a family in TOOL_FAMILIES,
    that share a label, or that leave a family without a tag.

    Example:
        >>> codebook = load_codebook()
        >>> len([t for t in codebook if t.scheme == "bei"])
        18
        >>> next(t for t in codebook if t.tag_id == "bei:taxes").label_zh
        '纳税'
        >>> tool = next(t for t in codebook if t.tag_id == "tool:procurement")
        >>> tool.label_zh, tool_family(tool)
        ('政府采购', 'Demand')
    """
    source = DEFAULT_CODEBOOK_PATH if path is None else path
    with open(source, encoding="utf-8") as f:
        try:
            raw = json.load(f, object_pairs_hook=_reject_duplicate_keys)
        except json.JSONDecodeError as e:
            raise ValueError(f"{source}: not valid JSON: {e}") from e
    return _parse_codebook(raw, str(source))


# What str.isspace() holds for: the regex engine and str share one definition of whitespace.
_WHITESPACE = re.compile(r"\s+")


def tag_text(text: str, codebook: list[TagDef]) -> list[TagHit]:
    """Tag a text: at most one hit per tag, its earliest match, sorted by tag_id.

    On ties at the same position the longest phrase wins. Whitespace inside
    the text is ignored, so a phrase broken across a line still matches.

    Example:
        >>> codebook = load_codebook()
        >>> hits = tag_text("提升口岸通\\n关效率", codebook)
        >>> [(h.tag_id, h.evidence, h.char_start, h.char_end) for h in hits]
        [('bei:cross_border_trade', '口岸', 2, 4), ('bready:international_trade', '口岸', 2, 4)]
    """
    flat, kept = without(text, _WHITESPACE)
    scanner = _scanner(tuple(codebook))
    phrases, excluded = scanner.occurrences(flat)
    titles = [m.span() for m in _QUOTED_TITLE.finditer(flat)]
    listed = titles + [m.span() for m in _LIST.finditer(flat)]
    hits: list[TagHit] = []
    # Only the tags with a phrase in the text; each gives at most one hit, and the hits are sorted below.
    for tag_id, found in phrases.items():
        spans = (listed if tag_id.startswith(_TOPIC_SCHEMES) else titles) + excluded.get(tag_id, [])
        for start, end in found:
            named = _AGENCY_AFTER.match(flat, end) or (tag_id not in _CHANNEL_TAGS and _NAME_AFTER.match(flat, end))
            if not named and not any(vs <= start and end <= ve for vs, ve in spans):
                a, b = kept[start], kept[end - 1] + 1
                hits.append(TagHit(tag_id, text[a:b], a, b))
                break
    hits.sort(key=lambda h: h.tag_id)
    return hits


# A provision whose heading says it only publicises (注重总结宣传, 营造良好社会氛围)
# is about publicity: the topics it publicises are not its topics, and the
# measures it reports on are not its instruments. A heading that names more
# (加强宣传培训, 加大宣传推广) keeps every tag.
_PUBLICITY_HEADING = re.compile(
    r"(?:做好|加强|注重|强化|营造|加大|深化)(?:良好)?(?:社会|总结|政策)?(?:宣传|宣贯|解读|氛围)(?:教育|解读|引导)?"
)
_PUBLICITY_KEEPS = frozenset({"tool:publicity"})


def focus_by_heading(hits: list[TagHit], heading: str | None) -> list[TagHit]:
    """The hits a provision keeps given its run-in heading.

    Example:
        >>> codebook = load_codebook()
        >>> hits = tag_text("主动做好基本养老服务政策宣传解读", codebook)
        >>> [h.tag_id for h in focus_by_heading(hits, "营造良好社会氛围")]
        ['tool:publicity']
    """
    if heading is None or not _PUBLICITY_HEADING.fullmatch(heading):
        return hits
    return [h for h in hits if h.tag_id in _PUBLICITY_KEEPS]


def tool_family(tag: TagDef) -> str:
    """The instrument family a ``tool`` tag's description opens with.

    Raises ValueError when the description names no family of TOOL_FAMILIES.

    Example:
        >>> tool_family(next(t for t in load_codebook() if t.tag_id == "tool:funding"))
        'Supply'
    """
    head, colon, _ = tag.description.partition(":")
    if not colon or head not in TOOL_FAMILIES:
        raise ValueError(
            f"tag {tag.tag_id!r}: description must open with its family, one of "
            f"{[f + ':' for f in TOOL_FAMILIES]}, found {tag.description[:30]!r}"
        )
    return head


class _Scanner:
    """Every phrase and exclude phrase of a codebook, found in one pass over a text.

    One regular expression, shaped as a trie of all the phrases, reports at
    each position the longest phrase starting there; every shorter phrase
    starting there is a prefix of it, so all of them are read off that one
    match.
    """

    def __init__(self, codebook: tuple[TagDef, ...]) -> None:
        self._phrase: dict[str, list[str]] = {}
        self._exclude: dict[str, list[str]] = {}
        for tag in codebook:
            for p in tag.phrases:
                self._phrase.setdefault(p, []).append(tag.tag_id)
            for p in tag.exclude:
                self._exclude.setdefault(p, []).append(tag.tag_id)
        words = set(self._phrase) | set(self._exclude)
        # The class of first characters lets the engine pass over most positions
        # without trying the trie's branches: half the scan's time, the same matches.
        first = re.escape("".join(sorted({w[0] for w in words})))
        self._pattern = re.compile(f"(?=[{first}])(?=({_trie_pattern(words)}))")

    def occurrences(self, flat: str) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
        """Per tag, the spans of its phrases (by start, then longest first) and of its excludes."""
        phrases: dict[str, list[tuple[int, int]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        for m in self._pattern.finditer(flat):
            start, longest = m.start(), m.group(1)
            for end in range(len(longest), 0, -1):
                piece = longest[:end]
                for tag_id in self._phrase.get(piece, ()):
                    phrases.setdefault(tag_id, []).append((start, start + end))
                for tag_id in self._exclude.get(piece, ()):
                    excluded.setdefault(tag_id, []).append((start, start + end))
        return phrases, excluded


@lru_cache(maxsize=8)
def _scanner(codebook: tuple[TagDef, ...]) -> _Scanner:
    return _Scanner(codebook)


def _trie_pattern(words: set[str]) -> str:
    """A pattern matching the longest of ``words`` at a position: 市场(?:监管(?:总局|局)?|准入)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word ends here too: the longer words are tried first (greedy), then none.
        return f"(?:{body})?" if "" in node else body

    return render(trie)


# Words that are not evidence wherever they stand. A title in 《》 names a
# document, not what this provision does (现将《…工作方案》印发给你们); a phrase
# that a list of departments follows names a department (与市场监管、税务等部门).
_QUOTED_TITLE = re.compile(r"《[^《》]*》")
# An item of the list never holds a separator, so no text can be split two ways.
_AGENCY_AFTER = re.compile(r"(?:[、和及与](?:(?![、和及与])[\u4e00-\u9fff]){1,8})*等?(?:部门|单位|机关)")
# A phrase that names a channel (政务服务便民热线, 公共服务平台) or an event
# (进口博览会, 服务贸易交易会) says where something happens, not what it is about;
# a channel is still evidence of technology and information support.
_NAME_AFTER = re.compile(r"[\u4e00-\u9fff]{0,2}?(?:平台|热线|网站|门户|小程序|系统|博览会|交易会|展览会)")
_CHANNEL_TAGS = frozenset({"tool:technology_information"})


# Three or more short items in a row (市场监管、质量监管、安全监管、金融监管等):
# a topic named as one item of a list is mentioned, not addressed.
_LIST = re.compile(r"(?:[\u4e00-\u9fff“”]{1,10}、){2,}[\u4e00-\u9fff“”]{1,10}(?=等|和|及|，|。|；)")
_TOPIC_SCHEMES = ("bei:", "bready:")


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"duplicate JSON key(s) {dupes}")
    return dict(pairs)


def _check_keys(obj: Any, required: frozenset[str], optional: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected a JSON object, found {type(obj).__name__}")
    unknown = sorted(set(obj) - required - optional)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}")
    missing = sorted(required - set(obj))
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")
    return obj


def _text_field(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key} must be a non-empty string, found {value!r}")
    return value


def _parse_codebook(raw: Any, source: str) -> list[TagDef]:
    top = _check_keys(raw, _TOP_KEYS, frozenset(), source)
    _text_field(top, "version", source)
    schemes = top["schemes"]
    if not isinstance(schemes, dict) or not schemes:
        raise ValueError(f"{source}: schemes must be a non-empty object, found {schemes!r}")
    declared = CURRENT.vocabulary("tag_scheme").values
    if sorted(schemes) != sorted(declared):
        raise ValueError(f"{source}: schemes {sorted(schemes)} differ from the tag_scheme vocabulary "
                         f"{sorted(declared)} declared in policydata/schema.py")
    for scheme_id, scheme in schemes.items():
        where = f"scheme {scheme_id!r}"
        if not _SNAKE.fullmatch(scheme_id):
            raise ValueError(f"{where}: id must be snake_case")
        _check_keys(scheme, _SCHEME_KEYS, frozenset(), where)
        for key in sorted(_SCHEME_KEYS):
            _text_field(scheme, key, where)
    if not isinstance(top["tags"], list):
        raise ValueError(f"{source}: tags must be a list, found {type(top['tags']).__name__}")
    tags: list[TagDef] = []
    seen: set[str] = set()
    for i, raw_tag in enumerate(top["tags"]):
        tag = _parse_tag(raw_tag, f"tags[{i}]", schemes)
        if tag.tag_id in seen:
            raise ValueError(f"tag {tag.tag_id!r}: duplicate tag_id")
        seen.add(tag.tag_id)
        tags.append(tag)
    for scheme_id in schemes:
        scheme_tags = [t for t in tags if t.scheme == scheme_id]
        _check_scheme_labels(scheme_id, scheme_tags)
        _check_scheme_families(scheme_id, scheme_tags)
    return tags


def _parse_tag(raw: Any, where: str, schemes: dict[str, Any]) -> TagDef:
    # Name the tag in every error once its id can be read.
    if isinstance(raw, dict) and "tag_id" in raw and isinstance(raw["tag_id"], str):
        where = f"tag {raw['tag_id']!r}"
    obj = _check_keys(raw, _TAG_REQUIRED, _TAG_OPTIONAL, where)
    tag_id = _text_field(obj, "tag_id", where)
    scheme = _text_field(obj, "scheme", where)
    if scheme not in schemes:
        raise ValueError(f"{where}: scheme {scheme!r} is not declared in schemes")
    prefix, _, name = tag_id.partition(":")
    if prefix != scheme or not _SNAKE.fullmatch(name):
        raise ValueError(f"{where}: tag_id must be '{scheme}:<snake_case_name>'")
    phrases = _phrase_list(obj["phrases"], "phrases", where)
    if not phrases:
        raise ValueError(f"{where}: phrases is empty")
    exclude = _phrase_list(obj["exclude"], "exclude", where) if "exclude" in obj else ()
    for ex in exclude:
        if ex in phrases:
            raise ValueError(f"{where}: exclude phrase {ex!r} is also a phrase")
        if not any(p in ex for p in phrases):
            raise ValueError(f"{where}: exclude phrase {ex!r} contains no phrase, so it can never veto")
    return TagDef(
        tag_id=tag_id,
        scheme=scheme,
        label_zh=_text_field(obj, "label_zh", where),
        label_en=_text_field(obj, "label_en", where),
        description=_text_field(obj, "description", where),
        phrases=phrases,
        exclude=exclude,
    )


def _phrase_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: {key} must be a list, found {type(value).__name__}")
    seen: set[str] = set()
    for p in value:
        if not isinstance(p, str) or not p:
            raise ValueError(f"{where}: empty or non-string entry {p!r} in {key}")
        if any(c.isspace() for c in p):
            raise ValueError(f"{where}: {key} entry {p!r} contains whitespace (matching ignores it)")
        if len(p) < _MIN_PHRASE_CHARS:
            raise ValueError(f"{where}: {key} entry {p!r} is shorter than {_MIN_PHRASE_CHARS} characters")
        if p in seen:
            raise ValueError(f"{where}: duplicate entry {p!r} in {key}")
        seen.add(p)
    return tuple(value)


def _check_scheme_families(scheme_id: str, tags: list[TagDef]) -> None:
    if scheme_id != _TOOL_SCHEME:
        return
    # Not official names, but two tags with one label could not be told apart.
    _check_unique(tags, "label_zh")
    _check_unique(tags, "label_en")
    used = {tool_family(tag) for tag in tags}
    missing = [f for f in TOOL_FAMILIES if f not in used]
    if missing:
        raise ValueError(f"scheme {scheme_id!r}: no tag for family(ies) {missing}")


def _check_unique(tags: list[TagDef], field: str) -> None:
    used: dict[str, str] = {}
    for tag in tags:
        label = getattr(tag, field)
        if label in used:
            raise ValueError(f"tag {tag.tag_id!r}: {field} {label!r} already used by tag {used[label]!r}")
        used[label] = tag.tag_id


def _check_scheme_labels(scheme_id: str, tags: list[TagDef]) -> None:
    if not tags:
        raise ValueError(f"scheme {scheme_id!r}: declared but has no tags")
    if scheme_id not in _OFFICIAL_LABELS:
        return
    field, official = _OFFICIAL_LABELS[scheme_id]
    for tag in tags:
        label = getattr(tag, field)
        if label not in official:
            raise ValueError(f"tag {tag.tag_id!r}: {field} {label!r} is not an official {scheme_id} name")
    _check_unique(tags, field)
    used = {getattr(tag, field) for tag in tags}
    missing = [name for name in official if name not in used]
    if missing:
        raise ValueError(f"scheme {scheme_id!r}: no tag for official name(s) {missing}")
