"""The dataset's tables: one fixed list of tables and columns.

This module is the single contract between the build (which writes the
Parquet files) and the library (which reads them). Table and column names
used in SQL come only from here. It imports nothing heavy, so importing
``policydata`` stays cheap; :func:`arrow_schema` imports pyarrow lazily.

Column types are a small vocabulary: ``string``, ``int32``, ``bool``,
``date``, ``list<string>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # (columns, referenced table, referenced columns)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    # Sort order of the rows on disk and of query results.
    order_by: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, nullable: bool, description: str) -> Column:
    return Column(name, type_, nullable, description)


DOCUMENTS = Table(
    "documents",
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
        _c("level", "string", False, "national, provincial, prefectural or county."),
        _c("doc_type", "string", True, "Kind of instrument from the title: 通知, 意见, 方案, 条例, 办法 …; null if none is recognised."),
        _c("is_draft", "bool", False, "True for 征求意见稿, 草案, 送审稿."),
        _c("toc_page", "int32", False, "Page of the compilation where the table-of-contents entry starts."),
        _c("listed_page", "int32", False, "Page number printed in the table of contents for the document's body."),
        _c("page_start", "int32", True, "First page of the body in the source; null when the body is not in the source."),
        _c("page_end", "int32", True, "Last page of the body in the source."),
        _c("has_text", "bool", False, "True when the body is in the source and linked."),
        _c("text", "string", True, "Repaired full text of the body (heading excluded); measure offsets index into it."),
    ),
    ("doc_id",),
    ((("region_code",), "regions", ("region_code",)),),
    ("doc_id",),
)

REGIONS = Table(
    "regions",
    "Every jurisdiction the data refers to, with its ancestors. Codes are GB/T 2260 (from cpca's adcodes table).",
    (
        _c("region_code", "string", False, "GB/T 2260 six-digit code; 100000 is the national level."),
        _c("name", "string", False, "Official name, e.g. 安徽省, 淮南市."),
        _c("level", "string", False, "national, provincial, prefectural or county."),
        _c("parent_code", "string", True, "Code of the enclosing region; null for 100000."),
    ),
    ("region_code",),
    ((("parent_code",), "regions", ("region_code",)),),
    ("region_code",),
)

AGENCIES = Table(
    "agencies",
    "Issuing and responsible bodies, under one canonical name.",
    (
        _c("agency_id", "string", False, "Stable id derived from the region code and canonical name."),
        _c("name", "string", False, "Canonical full name, e.g. 国家发展和改革委员会."),
        _c("aliases", "list<string>", False, "Other names seen or known, e.g. 国家发展改革委."),
        _c("level", "string", False, "national, provincial, prefectural or county."),
        _c("region_code", "string", False, "Jurisdiction of the body."),
    ),
    ("agency_id",),
    ((("region_code",), "regions", ("region_code",)),),
    ("agency_id",),
)

DOCUMENT_AGENCIES = Table(
    "document_agencies",
    "Who issued each document; a joint document has several rows.",
    (
        _c("doc_id", "string", False, "Document."),
        _c("agency_id", "string", False, "Agency."),
        _c("role", "string", False, "issuer."),
        _c("source", "string", False, "Where the issuer was read: title or signature."),
        _c("name_raw", "string", False, "The name as printed."),
        _c("page", "int32", False, "Page where it was printed."),
    ),
    ("doc_id", "agency_id", "role", "source"),
    (
        (("doc_id",), "documents", ("doc_id",)),
        (("agency_id",), "agencies", ("agency_id",)),
    ),
    ("doc_id", "role", "source", "agency_id"),
)

MEASURES = Table(
    "measures",
    "Provisions of each document with text, as a tree.",
    (
        _c("measure_id", "string", False, "Stable id: doc_id + '/' + path, e.g. 2023-01-00-018/3.8."),
        _c("doc_id", "string", False, "Document."),
        _c("parent_id", "string", True, "Enclosing provision; null at the top level."),
        _c("depth", "int32", False, "1 for top-level provisions."),
        _c("label", "string", True, "Number as printed, e.g. （八）; null for unnumbered paragraphs."),
        _c("path", "string", False, "Position in the tree, e.g. 3.8; unnumbered paragraphs are p1, p2 …"),
        _c(
            "kind",
            "string",
            False,
            "numbered (has a label), heading (numbered, only names what its sub-provisions say), "
            "paragraph (unnumbered prose), or the document's apparatus: "
            "document_number, addressee, signature, note, title.",
        ),
        _c("heading", "string", True, "Short lead phrase before the first 。 when the provision opens with one."),
        _c("text", "string", False, "Text of the provision, including its label."),
        _c("page_start", "int32", False, "Page where it starts."),
        _c("page_end", "int32", False, "Page where it ends."),
        _c("char_start", "int32", False, "Offset into documents.text (text == documents.text[char_start:char_end])."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("measure_id",),
    (
        (("doc_id",), "documents", ("doc_id",)),
        (("parent_id",), "measures", ("measure_id",)),
    ),
    ("doc_id", "char_start", "depth"),
)

MEASURE_AGENCIES = Table(
    "measure_agencies",
    "Agencies named as responsible for a provision.",
    (
        _c("measure_id", "string", False, "Provision."),
        _c("agency_id", "string", False, "Agency."),
        _c("role", "string", False, "lead, responsible, cooperating or reporting_to."),
        _c("evidence", "string", False, "The words that name the agency and its role."),
    ),
    ("measure_id", "agency_id", "role"),
    (
        (("measure_id",), "measures", ("measure_id",)),
        (("agency_id",), "agencies", ("agency_id",)),
    ),
    ("measure_id", "role", "agency_id"),
)

DEADLINES = Table(
    "deadlines",
    "Time commitments inside provisions, normalised.",
    (
        _c("deadline_id", "string", False, "Stable id: measure_id + '@' + offset of the expression in the document text."),
        _c("doc_id", "string", False, "Document."),
        _c("measure_id", "string", False, "Provision containing the expression."),
        _c("expression", "string", False, "The expression as printed, whitespace removed."),
        _c("kind", "string", False, "due_by, target, valid_until, time_limit or recurring (see README)."),
        _c("due_on", "date", True, "Resolved date, when it can be determined."),
        _c("precision", "string", True, "day, month, quarter, half or year: how exact due_on is (2023年3月底 is month)."),
        _c("duration", "string", True, "ISO 8601 duration of a relative limit or the period of a recurring duty, e.g. P6M, PT48H; working days as P15WD (non-standard)."),
        _c("anchor", "string", True, "What a relative limit counts from, e.g. 印发之日, 收到申请."),
        _c("page", "int32", False, "Page where the expression starts."),
        _c("char_start", "int32", False, "Offset into documents.text."),
        _c("char_end", "int32", False, "End offset into documents.text."),
    ),
    ("deadline_id",),
    (
        (("doc_id",), "documents", ("doc_id",)),
        (("measure_id",), "measures", ("measure_id",)),
    ),
    ("doc_id", "char_start", "deadline_id"),
)

TAGS = Table(
    "tags",
    "The codebook: tag schemes and their labels (rules in build/data/tag_rules.json).",
    (
        _c("tag_id", "string", False, "Stable id, e.g. bei:start_business, bready:business_entry, tool:funding."),
        _c(
            "scheme",
            "string",
            False,
            "bei (China's 18 business-environment indicators), bready (World Bank B-READY topics) "
            "or tool (policy instruments: supply, environment, demand).",
        ),
        _c("label_zh", "string", False, "Chinese label."),
        _c("label_en", "string", False, "English label."),
        _c("description", "string", False, "What the tag covers."),
    ),
    ("tag_id",),
    (),
    ("tag_id",),
)

MEASURE_TAGS = Table(
    "measure_tags",
    "Tags on provisions, with the text that matched the rule.",
    (
        _c("measure_id", "string", False, "Provision."),
        _c("tag_id", "string", False, "Tag."),
        _c("evidence", "string", False, "The phrase in the provision that matched."),
    ),
    ("measure_id", "tag_id"),
    (
        (("measure_id",), "measures", ("measure_id",)),
        (("tag_id",), "tags", ("tag_id",)),
    ),
    ("measure_id", "tag_id"),
)

DOCUMENT_TAGS = Table(
    "document_tags",
    "Document-level tags derived from the measures.",
    (
        _c("doc_id", "string", False, "Document."),
        _c("tag_id", "string", False, "Tag."),
        _c("measure_count", "int32", False, "Number of the document's provisions carrying the tag."),
    ),
    ("doc_id", "tag_id"),
    (
        (("doc_id",), "documents", ("doc_id",)),
        (("tag_id",), "tags", ("tag_id",)),
    ),
    ("doc_id", "tag_id"),
)

FLAGS = Table(
    "flags",
    "Quality flags: every place where the source disagrees with itself or could not be resolved.",
    (
        _c("flag_id", "string", False, "Stable id: doc_id:code:first 8 hex digits of sha1(detail)."),
        _c("doc_id", "string", True, "Document concerned, if any."),
        _c("code", "string", False, "Kind of problem, e.g. heading_region_mismatch, doc_number_garbled."),
        _c("detail", "string", False, "What was found."),
        _c("page", "int32", True, "Page concerned."),
    ),
    ("flag_id",),
    ((("doc_id",), "documents", ("doc_id",)),),
    ("flag_id",),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        DOCUMENTS,
        REGIONS,
        AGENCIES,
        DOCUMENT_AGENCIES,
        MEASURES,
        MEASURE_AGENCIES,
        DEADLINES,
        TAGS,
        MEASURE_TAGS,
        DOCUMENT_TAGS,
        FLAGS,
    )
}


def arrow_schema(table: Table) -> "pa.Schema":
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int32": pa.int32(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(c.name, types[c.type], nullable=c.nullable) for c in table.columns])
