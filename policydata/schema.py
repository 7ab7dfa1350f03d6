"""The dataset's tables and vocabularies, declared once.

This module is the single contract between the build (which writes the
Parquet files) and the library (which reads them). Everything else derives
from :data:`CURRENT`: the pydantic row models (:mod:`policydata.models`), the
Arrow schemas, ``datapackage.json``, the README's table reference and the
build's vocabularies. Table and column names used in SQL come only from here.

Every version carries its own copy of the declaration it was built with (in
``datapackage.json``, see :func:`Declaration.to_dict`), and the library reads
each version by that copy, so a column or vocabulary value added later never
breaks an older version. Columns are never removed from :data:`CURRENT`: a
column an older version lacks is declared with the schema version that
``added`` it, and reads back as ``None`` there.

It imports nothing heavy, so importing ``policydata`` stays cheap;
:func:`arrow_schema` imports pyarrow lazily.

>>> CURRENT.table("measures").column("kind").vocabulary
'measure_kind'
>>> "signature" in CURRENT.vocabulary("measure_kind").values
True
>>> VERSION_PATTERN.fullmatch("1.2.0+pdf") is not None, VERSION_PATTERN.fullmatch("1.2.0\\n") is not None
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

SCHEMA_VERSION = "2.2"

# The national level. GB/T 2260 has no code for the whole country; 100000 is
# the value Aliyun DataV's GeoAtlas uses, and it cannot clash with a real
# code (whose first two digits are 11-82).
NATIONAL_CODE = "100000"
NATIONAL_NAME = "中华人民共和国"

# A dataset version: X.Y.Z, optionally with semver build metadata naming a
# build of one's own (1.2.0+fullpdf). Published versions are plain X.Y.Z.
VERSION_PATTERN = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\+([0-9A-Za-z][0-9A-Za-z.-]{0,39}))?")

# Column types, and what they are in a Frictionless descriptor. Frictionless
# reads Parquet through pandas, which hands it a list column as a numpy array
# that its "array" type refuses: such columns are "any" there (the exact type
# is in the declaration each version carries).
TYPES = ("string", "int32", "double", "bool", "date", "list<string>")
FRICTIONLESS_TYPES = {"string": "string", "int32": "integer", "double": "number", "bool": "boolean", "date": "date",
                      "list<string>": "any"}


def version_key(version: str) -> tuple[int, int, int, int, str]:
    """Sort key of a version string: numerically; a build of one's own before the
    published version of the same number, so the latest is the published one.

    >>> sorted(["1.10.0", "1.2.0", "1.2.0+pdf"], key=version_key)
    ['1.2.0+pdf', '1.2.0', '1.10.0']
    """
    m = VERSION_PATTERN.fullmatch(version)
    if m is None:
        raise ValueError(f"not a dataset version (X.Y.Z or X.Y.Z+label): {version!r}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if m.group(4) else 1, m.group(4) or ""


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values a column may hold, each with its meaning."""

    name: str
    description: str
    meanings: tuple[tuple[str, str], ...]  # (value, meaning)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.meanings)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str
    vocabulary: str | None = None  # name of a Vocabulary the values come from
    added: str | None = None  # schema version that added the column; None for the first

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}; types: {', '.join(TYPES)}")


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    model: str  # name of the pydantic row model
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Sort order of the rows on disk and of query results.
    order_by: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def sort_columns(self) -> tuple[str, ...]:
        """``order_by`` then the rest of the primary key: a total, hence stable, order."""
        return self.order_by + tuple(c for c in self.primary_key if c not in self.order_by)


@dataclass(frozen=True)
class Declaration:
    """A schema version: its tables and vocabularies."""

    schema_version: str
    tables: tuple[Table, ...]
    vocabularies: tuple[Vocabulary, ...]
    _by_name: dict[str, Table] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.tables})
        # Every typed query looks its row model up by declaration: hashing the
        # whole nested declaration each time cost 3% of a whole-table query.
        object.__setattr__(self, "_hash", hash((self.schema_version, self.tables, self.vocabularies)))
        vocabularies = {v.name for v in self.vocabularies}
        for t in self.tables:
            for c in t.columns:
                if c.vocabulary is not None and c.vocabulary not in vocabularies:
                    raise ValueError(f"{t.name}.{c.name}: undeclared vocabulary {c.vocabulary!r}")
            for name in (*t.primary_key, *t.order_by, *(n for fk in t.foreign_keys for n in fk.columns)):
                t.column(name)

    def __hash__(self) -> int:
        return self._hash

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def has_table(self, name: str) -> bool:
        return name in self._by_name

    def table(self, name: str) -> Table:
        if name not in self._by_name:
            raise KeyError(f"unknown table {name!r}; tables: {', '.join(self._by_name)}")
        return self._by_name[name]

    def vocabulary(self, name: str) -> Vocabulary:
        for v in self.vocabularies:
            if v.name == name:
                return v
        raise KeyError(f"unknown vocabulary {name!r}")

    def vocabulary_of(self, table: str, column: str) -> tuple[str, ...]:
        """The values ``table.column`` may hold."""
        name = self.table(table).column(column).vocabulary
        if name is None:
            raise KeyError(f"{table}.{column} has no vocabulary")
        return self.vocabulary(name).values

    # -- the copy every version carries -----------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form, as stored in each version's ``datapackage.json``."""
        return {
            "schema_version": self.schema_version,
            "tables": [
                {
                    "name": t.name,
                    "model": t.model,
                    "description": t.description,
                    "columns": [
                        {"name": c.name, "type": c.type, "nullable": c.nullable, "description": c.description,
                         "vocabulary": c.vocabulary, "added": c.added}
                        for c in t.columns
                    ],
                    "primary_key": list(t.primary_key),
                    "foreign_keys": [
                        {"columns": list(fk.columns), "table": fk.table, "references": list(fk.references)}
                        for fk in t.foreign_keys
                    ],
                    "order_by": list(t.order_by),
                }
                for t in self.tables
            ],
            "vocabularies": [
                {"name": v.name, "description": v.description,
                 "values": [{"value": value, "meaning": meaning} for value, meaning in v.meanings]}
                for v in self.vocabularies
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Declaration:
        """Read :meth:`to_dict`'s form back; KeyError, TypeError or ValueError when it is not that form."""
        _check_form(data)
        tables = tuple(
            Table(
                name=t["name"],
                model=t["model"],
                description=t["description"],
                columns=tuple(
                    Column(c["name"], c["type"], c["nullable"], c["description"], c["vocabulary"], c["added"])
                    for c in t["columns"]
                ),
                primary_key=tuple(t["primary_key"]),
                foreign_keys=tuple(
                    ForeignKey(tuple(fk["columns"]), fk["table"], tuple(fk["references"])) for fk in t["foreign_keys"]
                ),
                order_by=tuple(t["order_by"]),
            )
            for t in data["tables"]
        )
        vocabularies = tuple(
            Vocabulary(v["name"], v["description"], tuple((x["value"], x["meaning"]) for x in v["values"]))
            for v in data["vocabularies"]
        )
        return cls(data["schema_version"], tables, vocabularies)


def _check_form(data: Any) -> None:
    """Every name and value of a declaration is a string (or a list of them, or null where allowed)."""
    def text(value: Any, where: str, nullable: bool = False) -> None:
        if not (isinstance(value, str) or (nullable and value is None)):
            raise TypeError(f"{where} must be a string, found {type(value).__name__}")

    text(data["schema_version"], "schema_version")
    for t in data["tables"]:
        for key in ("name", "model", "description"):
            text(t[key], f"table {key}")
        for c in t["columns"]:
            for key in ("name", "type", "description"):
                text(c[key], f"column {key}")
            for key in ("vocabulary", "added"):
                text(c[key], f"column {key}", nullable=True)
            if not isinstance(c["nullable"], bool):
                raise TypeError("column nullable must be true or false")
        for key in ("primary_key", "order_by"):
            for name in t[key]:
                text(name, key)
    for v in data["vocabularies"]:
        text(v["name"], "vocabulary name")
        text(v["description"], "vocabulary description")
        for x in v["values"]:
            text(x["value"], "vocabulary value")
            text(x["meaning"], "vocabulary meaning")


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int32": pa.int32(),
        "double": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(c.name, types[c.type], nullable=c.nullable) for c in table.columns])


# ---------------------------------------------------------------------------
# The current declaration.

def _c(name: str, type_: str, nullable: bool, description: str, vocabulary: str | None = None,
       added: str | None = None) -> Column:
    return Column(name, type_, nullable, description, vocabulary, added)


def _fk(columns: tuple[str, ...], table: str, references: tuple[str, ...]) -> ForeignKey:
    return ForeignKey(columns, table, references)


VOCABULARIES = (
    Vocabulary("level", "Administrative level of a jurisdiction or body.", (
        ("national", "The central government (region 100000)."),
        ("provincial", "A province, autonomous region or municipality directly under the central government."),
        ("prefectural", "A prefecture-level city, prefecture, autonomous prefecture or league."),
        ("county", "A county, county-level city, district or banner."),
    )),
    Vocabulary("measure_kind", "What a provision is.", (
        ("numbered", "A numbered provision (has a label)."),
        ("heading", "A numbered provision that only names what its sub-provisions say (一、总体要求)."),
        ("paragraph", "Unnumbered prose."),
        ("document_number", "The 发文字号 (document apparatus)."),
        ("addressee", "The addressees (主送机关) after the 发文字号 (document apparatus)."),
        ("signature", "A signature block: names above a date (document apparatus)."),
        ("note", "A note standing alone in brackets, e.g. （此件公开发布） (document apparatus)."),
        ("title", "A title the text quotes elsewhere in 《》 (document apparatus)."),
        ("attachment", "An attachment line or list: 附件：1.… 2.… (document apparatus)."),
        ("table_header", "The header row of a table (document apparatus); its columns are in the row's cells."),
        ("table_row", "A row of a task table, labelled with its printed number; cells in measure_cells."),
    )),
    Vocabulary("deadline_kind", "The kind of a time commitment (see the README).", (
        ("due_by", "Must be done by a date: 2023年底前."),
        ("target", "A goal to reach by a time: 到2025年."),
        ("valid_until", "Validity or expiry: 有效期至2025年12月31日."),
        ("time_limit", "A limit counted from an event (anchor): 收到申请后6个月内."),
        ("recurring", "A repeated duty: 每季度; duration holds the period."),
        ("ongoing", "An open-ended commitment with no date: 持续推进, 长期坚持, 长期."),
    )),
    Vocabulary("precision", "How exact a resolved date is.", (
        ("day", "A printed or computed day."),
        ("month", "The end of a month: 2023年3月底."),
        ("quarter", "The end of a quarter: 2023年第一季度."),
        ("half", "The end of a half-year: 2023年上半年."),
        ("year", "The end of a year: 2023年底."),
    )),
    Vocabulary("agency_role", "The part an agency plays in carrying out a provision.", (
        ("lead", "Leads: 牵头单位, A牵头, A会同B."),
        ("responsible", "Responsible: 责任单位, 由A负责, A按职责分工负责."),
        ("cooperating", "Cooperates: 配合单位, B in A会同B."),
        ("reporting_to", "Only receives a report (报送A); never responsible."),
    )),
    Vocabulary("issuer_role", "The part an agency plays for a whole document.", (
        ("issuer", "Issued the document."),
    )),
    Vocabulary("issuer_source", "Where an issuer was read.", (
        ("title", "The issuer part of the title."),
        ("signature", "The signature block."),
    )),
    Vocabulary("agency_resolution", "How an agency's jurisdiction was found.", (
        ("central", "A central body, by the national dictionary."),
        ("named_place", "A place named in the agency's name."),
        ("own_jurisdiction", "A local document's own jurisdiction, named by its level word (省发展改革委)."),
        ("collective", "Several bodies under one name (各区人民政府): the jurisdiction they lie in."),
        ("document_jurisdiction", "Nothing in the name places it: assumed to be the document's own (listed in quality.json)."),
    )),
    Vocabulary("cell_role", "What a table column holds, from its heading as printed.", (
        ("number", "The row number (序号)."),
        ("task", "The task or item (改革事项, 重点任务, 事项名称)."),
        ("action", "The measures to take (具体措施, 工作措施)."),
        ("responsible", "Responsible units (责任单位, 实施部门)."),
        ("lead", "Leading units (牵头单位)."),
        ("cooperating", "Cooperating units (配合单位)."),
        ("due", "When it must be done (完成时限, 时间节点)."),
        ("limit", "A time limit for a service (承诺时限)."),
        ("note", "Remarks (备注)."),
        ("other", "Any other column (办理层级 …)."),
    )),
    Vocabulary("name_en_source", "How an English name was found (build/data/names_en.json names the sources).", (
        ("official", "A curated official English name."),
        ("pinyin", "Hanyu Pinyin of the Chinese name (pypinyin; readings reviewed by hand for the bundled data's "
                   "regions) with English ethnic names and level word."),
        ("derived", "Built from the English name of the region or parent body and an English pattern for the body."),
    )),
    Vocabulary("reference_kind", "What a citation cites (see README, References).", (
        ("self", "The citing document itself: its own 发文字号 or title, or the instrument it issues."),
        ("own_attachment", "A form or annex the citing document carries (（见附件2）, 附件1：《…》)."),
        ("law", "A law (…法)."),
        ("administrative_regulation", "An administrative regulation (…条例, …法实施细则) of the State Council."),
        ("local_regulation", "A local regulation: a 条例 whose title starts with a place."),
        ("standard", "A standard or technical specification (…标准, …规范, ISO/GB numbers)."),
        ("plan", "A plan or outline (…规划, …纲要)."),
        ("agreement", "A treaty or agreement (…协定, …公约)."),
        ("attachment_or_form", "A form or annex of another document (…表, …书, …说明, …协议)."),
        ("policy_document", "Any other policy document (意见, 通知, 办法, 措施 …), and a bare 发文字号."),
    )),
    Vocabulary("reference_resolution", "How a citation was resolved to a document of the dataset.", (
        ("number", "Its 发文字号 is the document's."),
        ("title", "Its normalised title is the document's title, the part after the issuer's 关于, or the 《》 "
                  "title the document issues."),
        ("short_form", "A short form (（以下简称《意见》）, or the end of a title cited earlier) of a citation "
                       "resolved earlier in the same text."),
        ("self", "The citing document itself."),
    )),
    Vocabulary("tag_scheme", "Tag schemes of the codebook.", (
        ("bei", "China's 18 business-environment indicators."),
        ("bready", "World Bank B-READY topics."),
        ("tool", "Policy instruments: supply, environment, demand."),
    )),
)

DOCUMENTS = Table(
    "documents",
    "Document",
    "One row per entry of the compilation's table of contents.",
    (
        _c("doc_id", "string", False, "Stable id: edition-section-group-seq, e.g. 2023-01-00-003 (see README)."),
        _c("edition", "string", False, "Edition of the compilation, e.g. 2023."),
        _c("section_no", "int32", False, "Number of the section (一、 = 1 … 八、 = 8)."),
        _c("section", "string", False, "Section heading as printed: 国家, 华北, 华东, 华南, 华中, 东北, 西南, 西北."),
        _c("group_no", "int32", False, "Number of the province heading within its section; 0 for the national section, which has none."),
        _c("group_name", "string", True, "Province heading as printed, e.g. 北京, 辽宁省; null in the national section."),
        _c("seq", "int32", False, "Number of the document within its heading, as printed in the table of contents."),
        _c("title", "string", False, "Cleaned title: line breaks and stray spaces removed, brackets normalised, date suffix removed."),
        _c("title_raw", "string", False, "The table-of-contents entry as printed (lines joined with \\n)."),
        _c("doc_number", "string", True, "发文字号 in canonical form, e.g. 国办发〔2023〕1号; null when absent or garbled in the source."),
        _c("doc_number_raw", "string", True, "The 发文字号 line(s) as printed, when present even if garbled."),
        _c("issued_on", "date", True, "Date in the table-of-contents entry; null when none is printed or it is incomplete."),
        _c("issued_on_raw", "string", True, "The date as printed in the table of contents."),
        _c("region_code", "string", False, "GB/T 2260 six-digit code of the issuing jurisdiction; 100000 for national bodies."),
        _c("level", "string", False, "Level of the issuing jurisdiction.", "level"),
        _c("doc_type", "string", True, "Kind of instrument from the title: 通知, 意见, 方案, 条例, 办法 …; null if none is recognised."),
        _c("is_draft", "bool", False, "True for 征求意见稿, 草案, 送审稿."),
        _c("toc_page", "int32", False, "Page of the compilation where the table-of-contents entry starts."),
        _c("listed_page", "int32", False, "Page number printed in the table of contents for the document's body."),
        _c("page_start", "int32", True, "First page of the body in the source; null when the body is not in the source."),
        _c("page_end", "int32", True, "Last page of the body in the source."),
        _c("has_text", "bool", False, "True when the body is in the source and linked."),
        _c("text", "string", True, "Repaired full text of the body (heading excluded); measure offsets index into it. "
           "A table is printed as its header, then one line per row, cells separated by a tab."),
        _c("effective_on", "date", True, "Date the document takes effect, from 自…起施行 (自印发之日起 gives the issue date); "
           "null when the text names none.", added="2.0"),
        _c("effective_raw", "string", True, "The 自…起施行 clause as printed, whitespace removed.", added="2.0"),
        _c("section_en", "string", True, "The section in English: National, North China … (build/data/names_en.json); "
           "null for a heading not listed there.", added="2.2"),
        _c("doc_type_en", "string", True, "doc_type in English: Notice, Opinions, Work Plan, Procedures (办法), "
           "Measures (措施) …; null when doc_type is null.", added="2.2"),
        _c("expires_on", "date", True, "Last day the document is in force, from 有效期至… or 有效期N年 counted from "
           "effective_on; null when the text states none or it cannot be dated.", added="2.2"),
        _c("validity_raw", "string", True, "The clause stating the validity (有效期…), whitespace removed; null when "
           "there is none.", added="2.2"),
        _c("is_trial", "bool", True, "True when the document is issued for trial (试行 in its title or its "
           "validity clause).", added="2.2"),
    ),
    ("doc_id",),
    (_fk(("region_code",), "regions", ("region_code",)),),
    ("doc_id",),
)

REGIONS = Table(
    "regions",
    "Region",
    "Every jurisdiction the data refers to, with its ancestors. Codes are GB/T 2260.",
    (
        _c("region_code", "string", False, "GB/T 2260 six-digit code; 100000 is the national level."),
        _c("name", "string", False, "Official name, e.g. 安徽省, 淮南市."),
        _c("level", "string", False, "Administrative level.", "level"),
        _c("parent_code", "string", True, "Code of the enclosing region; null for 100000."),
        _c("name_en", "string", True, "English name: official for provincial-level divisions (Beijing, Shaanxi, Inner "
           "Mongolia) and a few places (Hohhot), else Hanyu Pinyin with the level word (Huainan City, Xi'an City, "
           "Ganzi Tibetan Autonomous Prefecture); null where neither rule applies.", added="2.2"),
        _c("name_en_source", "string", True, "How name_en was found; null when name_en is null.", "name_en_source",
           added="2.2"),
    ),
    ("region_code",),
    (_fk(("parent_code",), "regions", ("region_code",)),),
    ("region_code",),
)

AGENCIES = Table(
    "agencies",
    "Agency",
    "Issuing and responsible bodies, under one canonical name.",
    (
        _c("agency_id", "string", False, "Stable id derived from the region code and canonical name."),
        _c("name", "string", False, "Canonical full name, e.g. 国家发展和改革委员会."),
        _c("aliases", "list<string>", False, "Other names seen or known, e.g. 国家发展改革委."),
        _c("level", "string", False, "Level of the body's jurisdiction.", "level"),
        _c("region_code", "string", False, "Jurisdiction of the body."),
        _c("parent_id", "string", True, "The body an internal division belongs to (省应急管理厅政策法规处 → 省应急管理厅).",
           added="2.0"),
        _c("collective", "bool", False, "True for several bodies under one name: 各区人民政府, 市直各有关部门.", added="2.0"),
        _c("resolved_by", "string", False, "How the jurisdiction was found.", "agency_resolution", added="2.0"),
        _c("name_en", "string", True, "English name: a central body's official name (National Development and Reform "
           "Commission), or one derived from the region's English name for a government, its office or its "
           "development and reform commission (Office of the People's Government of Huainan City); null otherwise, "
           "never a guess.", added="2.2"),
        _c("name_en_source", "string", True, "How name_en was found; null when name_en is null.", "name_en_source",
           added="2.2"),
    ),
    ("agency_id",),
    (_fk(("region_code",), "regions", ("region_code",)), _fk(("parent_id",), "agencies", ("agency_id",))),
    ("agency_id",),
)

DOCUMENT_AGENCIES = Table(
    "document_agencies",
    "DocumentAgency",
    "Who issued each document; a joint document has several rows.",
    (
        _c("doc_id", "string", False, "Document."),
        _c("agency_id", "string", False, "Agency."),
        _c("role", "string", False, "The agency's part in the document.", "issuer_role"),
        _c("source", "string", False, "Where the issuer was read.", "issuer_source"),
        _c("name_raw", "string", False, "The name as printed."),
        _c("page", "int32", False, "Page where it was printed."),
    ),
    ("doc_id", "agency_id", "role", "source"),
    (
        _fk(("doc_id",), "documents", ("doc_id",)),
        _fk(("agency_id",), "agencies", ("agency_id",)),
    ),
    ("doc_id", "role", "source", "agency_id"),
)

MEASURES = Table(
    "measures",
    "Measure",
    "Provisions of each document with text, as a tree.",
    (
        _c("measure_id", "string", False, "Stable id: doc_id + '/' + path, e.g. 2023-01-00-018/3.8."),
        _c("doc_id", "string", False, "Document."),
        _c("parent_id", "string", True, "Enclosing provision; null at the top level."),
        _c("depth", "int32", False, "1 for top-level provisions."),
        _c("label", "string", True, "Number as printed, e.g. （八）; null for unnumbered paragraphs."),
        _c("path", "string", False, "Position in the tree, e.g. 3.8; unnumbered paragraphs are p1, p2 …"),
        _c("kind", "string", False, "What the provision is.", "measure_kind"),
        _c("heading", "string", True, "Short lead phrase before the first 。 when the provision opens with one."),
        _c("text", "string", False, "Text of the provision, including its label."),
        _c("page_start", "int32", False, "Page where it starts."),
        _c("page_end", "int32", False, "Page where it ends."),
        _c("char_start", "int32", False, "Offset into documents.text (text == documents.text[char_start:char_end])."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("measure_id",),
    (
        _fk(("doc_id",), "documents", ("doc_id",)),
        _fk(("parent_id",), "measures", ("measure_id",)),
    ),
    ("doc_id", "char_start", "depth"),
)

MEASURE_AGENCIES = Table(
    "measure_agencies",
    "MeasureAgency",
    "Agencies named as responsible for a provision.",
    (
        _c("measure_id", "string", False, "Provision."),
        _c("agency_id", "string", False, "Agency."),
        _c("role", "string", False, "The agency's part in carrying out the provision.", "agency_role"),
        _c("evidence", "string", False, "The words that name the agency and its role (for a table, the column and cell)."),
        _c("name_raw", "string", False, "The agency as printed there, whitespace removed.", added="2.0"),
    ),
    ("measure_id", "agency_id", "role"),
    (
        _fk(("measure_id",), "measures", ("measure_id",)),
        _fk(("agency_id",), "agencies", ("agency_id",)),
    ),
    ("measure_id", "role", "agency_id"),
)

DEADLINES = Table(
    "deadlines",
    "Deadline",
    "Time commitments inside provisions, normalised.",
    (
        _c("deadline_id", "string", False, "Stable id: measure_id + '@' + offset of the expression in the document text."),
        _c("doc_id", "string", False, "Document."),
        _c("measure_id", "string", False, "Provision containing the expression."),
        _c("expression", "string", False, "The expression as printed, whitespace removed."),
        _c("kind", "string", False, "Kind of commitment (see README).", "deadline_kind"),
        _c("due_on", "date", True, "Resolved date, when it can be determined."),
        _c("precision", "string", True, "How exact due_on is (2023年3月底 is month).", "precision"),
        _c("duration", "string", True, "ISO 8601 duration of a relative limit or the period of a recurring duty, e.g. P6M, PT48H; working days as P15WD (non-standard)."),
        _c("anchor", "string", True, "What a relative limit counts from, e.g. 印发之日, 收到申请."),
        _c("page", "int32", False, "Page where the expression starts."),
        _c("char_start", "int32", False, "Offset into documents.text."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("deadline_id",),
    (
        _fk(("doc_id",), "documents", ("doc_id",)),
        _fk(("measure_id",), "measures", ("measure_id",)),
    ),
    ("doc_id", "char_start", "deadline_id"),
)

MEASURE_CELLS = Table(
    "measure_cells",
    "MeasureCell",
    "The cells of table rows (measures of kind table_row), one per non-empty cell.",
    (
        _c("measure_id", "string", False, "The row."),
        _c("position", "int32", False, "Column number in the printed table, from 0."),
        _c("column_name", "string", False, "The column heading as printed, e.g. 牵头单位."),
        _c("role", "string", False, "What the column holds.", "cell_role"),
        _c("text", "string", False, "The cell's text; units stacked in one cell are joined by 、."),
        _c("char_start", "int32", False, "Offset into documents.text (text == documents.text[char_start:char_end])."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("measure_id", "position"),
    (_fk(("measure_id",), "measures", ("measure_id",)),),
    ("measure_id", "position"),
)

TAGS = Table(
    "tags",
    "Tag",
    "The codebook: tag schemes and their labels (rules in build/data/tag_rules.json).",
    (
        _c("tag_id", "string", False, "Stable id, e.g. bei:start_business, bready:business_entry, tool:funding."),
        _c("scheme", "string", False, "Tag scheme.", "tag_scheme"),
        _c("label_zh", "string", False, "Chinese label."),
        _c("label_en", "string", False, "English label."),
        _c("description", "string", False, "What the tag covers."),
        _c("experimental", "bool", False,
           "True unless at least 5 of the tag's links lie in the hand-checked gold sample and at least 80% of "
           "them are right (quality.json accuracy.tags.by_tag lists its errors); use an experimental tag with care.",
           added="2.1"),
    ),
    ("tag_id",),
    (),
    ("tag_id",),
)

MEASURE_TAGS = Table(
    "measure_tags",
    "MeasureTag",
    "Tags on provisions, with the text that matched the rule.",
    (
        _c("measure_id", "string", False, "Provision."),
        _c("tag_id", "string", False, "Tag."),
        _c("evidence", "string", False, "The phrase in the provision that matched; for a table row, "
           "'group heading <heading>: <phrase>' when only its group heading matched; for tool:planning, "
           "'target <expression>' when the provision states a target (deadlines kind target)."),
    ),
    ("measure_id", "tag_id"),
    (
        _fk(("measure_id",), "measures", ("measure_id",)),
        _fk(("tag_id",), "tags", ("tag_id",)),
    ),
    ("measure_id", "tag_id"),
)

DOCUMENT_TAGS = Table(
    "document_tags",
    "DocumentTag",
    "Document-level tags derived from the measures.",
    (
        _c("doc_id", "string", False, "Document."),
        _c("tag_id", "string", False, "Tag."),
        _c("measure_count", "int32", False, "Number of the document's provisions carrying the tag."),
    ),
    ("doc_id", "tag_id"),
    (
        _fk(("doc_id",), "documents", ("doc_id",)),
        _fk(("tag_id",), "tags", ("tag_id",)),
    ),
    ("doc_id", "tag_id"),
)

REFERENCES = Table(
    "references",
    "Reference",
    "Every citation in a text: a 《title》 (with its bracketed 发文字号) or a bare 发文字号. "
    "REFERENCES is a reserved word in SQL: quote the name, SELECT * FROM \"references\".",
    (
        _c("reference_id", "string", False, "Stable id: doc_id + '@' + offset of the citation in documents.text."),
        _c("doc_id", "string", False, "The citing document."),
        _c("measure_id", "string", True, "The innermost provision holding the citation; null outside every provision."),
        _c("cited_raw", "string", False, "The citation as printed (text == documents.text[char_start:char_end])."),
        _c("cited_title", "string", True, "The cited title normalised: no whitespace, one form of quotes, dashes and "
           "brackets; null for a bare 发文字号."),
        _c("cited_number", "string", True, "The cited 发文字号 in canonical form, e.g. 国办发〔2022〕30号."),
        _c("cue", "string", True, "The word that introduces the citation in its clause: 根据, 按照, 落实 …"),
        _c("kind", "string", False, "What is cited.", "reference_kind"),
        _c("cited_doc_id", "string", True, "The cited document when it is in the dataset (the citing one for self)."),
        _c("work_id", "string", True, "The cited work (cited_works) when it is not in the dataset."),
        _c("resolved_by", "string", True, "How cited_doc_id was found; null when it was not.", "reference_resolution"),
        _c("page", "int32", False, "Page where the citation starts."),
        _c("char_start", "int32", False, "Offset into documents.text."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("reference_id",),
    (
        _fk(("doc_id",), "documents", ("doc_id",)),
        _fk(("measure_id",), "measures", ("measure_id",)),
        _fk(("cited_doc_id",), "documents", ("doc_id",)),
        _fk(("work_id",), "cited_works", ("work_id",)),
    ),
    ("doc_id", "char_start"),
)

CITED_WORKS = Table(
    "cited_works",
    "CitedWork",
    "Works cited in the texts that are not documents of the dataset: one row per work however often it is cited.",
    (
        _c("work_id", "string", False, "Stable id: 'work-' + the first 10 hex digits of sha1 of the normalised title "
           "(of the 发文字号 when no title is printed)."),
        _c("title", "string", True, "Normalised title; null when only a 发文字号 is printed."),
        _c("doc_number", "string", True, "发文字号, when printed with any of the citations."),
        _c("kind", "string", False, "What the work is, from its title.", "reference_kind"),
    ),
    ("work_id",),
    (),
    ("work_id",),
)

MEASURE_LINKS = Table(
    "measure_links",
    "MeasureLink",
    "For each provision, the national provisions of other documents it most resembles, above a threshold chosen "
    "on a hand-labelled sample (quality.json → links; README, Links between provisions).",
    (
        _c("measure_id", "string", False, "The provision (local, or national when it restates another document)."),
        _c("national_measure_id", "string", False, "A national provision of another document, issued no later."),
        _c("score", "double", False, "Cosine similarity of the two texts' TF-IDF vectors of character 2- and "
           "3-grams, from 0 to 1."),
        _c("rank", "int32", False, "1 for the provision's most similar national provision, 2 for the next …"),
        _c("method", "string", False, "How the link was made: the name of the method (build/links.py), e.g. tfidf_char23_noformula from 2.3.0."),
        _c("shared", "list<string>", False, "The shared n-grams that weigh most in the score, heaviest first."),
    ),
    ("measure_id", "national_measure_id"),
    (
        _fk(("measure_id",), "measures", ("measure_id",)),
        _fk(("national_measure_id",), "measures", ("measure_id",)),
    ),
    ("measure_id", "rank"),
)

FLAGS = Table(
    "flags",
    "Flag",
    "Quality flags: every place where the source disagrees with itself or could not be resolved.",
    (
        _c("flag_id", "string", False, "Stable id: doc_id:code:first 8 hex digits of sha1(detail)."),
        _c("doc_id", "string", True, "Document concerned, if any."),
        _c("code", "string", False, "Kind of problem, e.g. heading_region_mismatch, doc_number_garbled."),
        _c("detail", "string", False, "What was found."),
        _c("page", "int32", True, "Page concerned."),
    ),
    ("flag_id",),
    (_fk(("doc_id",), "documents", ("doc_id",)),),
    ("flag_id",),
)

CURRENT = Declaration(
    SCHEMA_VERSION,
    (DOCUMENTS, REGIONS, AGENCIES, DOCUMENT_AGENCIES, MEASURES, MEASURE_CELLS, MEASURE_AGENCIES, DEADLINES, TAGS,
     MEASURE_TAGS, DOCUMENT_TAGS, REFERENCES, CITED_WORKS, MEASURE_LINKS, FLAGS),
    VOCABULARIES,
)

# The current tables by name, for scripts and tests (the library and the build
# look tables up in CURRENT at the time of use, so a test can swap it).
TABLES: dict[str, Table] = {t.name: t for t in CURRENT.tables}
