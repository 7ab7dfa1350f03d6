"""Open a pinned dataset version and query it as typed rows or with DuckDB SQL.

A version is a folder ``<root>/X.Y.Z/`` holding ``manifest.json`` and one
``<table>.parquet`` per table. The root is the ``root`` argument, else the
``POLICYDATA_ROOT`` environment variable, else the versions bundled with the
installed package (``policydata_dataset``).

Versions are read-only: ``open()`` reads each Parquet file once (the bytes it
verified against the manifest) and DuckDB loads exactly those bytes into
private in-memory databases, so no SQL can touch the files and any number of
processes can open the same version at once. duckdb and pyarrow are imported
only inside functions, so ``import policydata`` stays cheap; opening and
typed queries need no pyarrow at all (only tables and ``sql()`` results do).

>>> import policydata
>>> policydata.versions()[:3]                 # the published versions bundled with the package
['1.0.0', '1.1.0', '1.2.0']
>>> ds = policydata.open("2.2.0")
>>> [d.doc_id for d in ds.documents(region="340000")][:3]
['2023-03-02-003', '2023-03-04-001', '2023-03-04-002']

A build of one's own is opened from its folder with ``root=`` (or
``POLICYDATA_ROOT``): ``policydata.open("2.2.0+mine", root="dataset")``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from . import schema
from .errors import (
    DatasetRootError,
    ManifestError,
    NotFoundError,
    TableNotAvailableError,
    VersionNotFoundError,
)
from .integrity import load_tables, private_database, read_manifest, read_version

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pyarrow as pa

    from .frames import Rows
    from .models import Agency, Deadline, Document, Flag, Manifest, Measure, MeasureLink, Reference, Region, Tag

ROOT_ENV = "POLICYDATA_ROOT"

PathLike = Union[str, "os.PathLike[str]"]
DateLike = Union[date, str]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The level word a region's name ends with, dropped when a name is given without it (安徽省 → 安徽).
_LEVEL_WORD = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|盟|省|市|县|区|旗)$")
# English level words name_en ends with (build/data/names_en.json), so 'Huainan' finds Huainan City.
_EN_LEVEL_WORD = re.compile(r"\s+(?:(?:Autonomous|New|Forestry|Special)\s+)?"
                            r"(?:City|District|County|Prefecture|League|Banner|Area)$")
# Longest list of valid choices an error message spells out in full.
_MAX_CHOICES = 20


def default_root() -> Path:
    """The folder versions are looked up in when no ``root`` is given.

    >>> default_root().is_dir()
    True
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env)
    return bundled_root()


def bundled_root() -> Path:
    """The versions shipped with the installed package (``policydata_dataset``)."""
    from importlib.resources import files

    bundled = files("policydata_dataset")
    if not isinstance(bundled, Path):
        # Versions are read by path, so a zipped install cannot be opened.
        raise DatasetRootError(f"the bundled dataset is not a folder on disk ({bundled!r}); set {ROOT_ENV}")
    return bundled


def resolve_root(root: PathLike | None) -> Path:
    base = default_root() if root is None else Path(root)
    if not base.is_dir():
        raise DatasetRootError(f"dataset root {base} does not exist or is not a folder")
    # Absolute, so the dataset keeps working if the caller changes directory;
    # symbolic links are not resolved: a version folder that is one is refused.
    return Path(os.path.abspath(base))


def versions(root: PathLike | None = None) -> list[str]:
    """Dataset versions under ``root``, oldest first (semantic-version order).

    A version is an entry named ``X.Y.Z`` (or ``X.Y.Z+label``, a build of
    one's own). Anything else in the root (``__init__.py``, a build's
    ``.tmp-*`` folder) is not a version. An entry named like a version is
    listed even when it is broken (no manifest, a link), so that opening or
    verifying it says what is wrong instead of the version silently vanishing.

    >>> versions()[:2]
    ['1.0.0', '1.1.0']
    >>> versions(root=default_root()) == versions()
    True
    """
    base = resolve_root(root)
    found = [entry for entry in os.listdir(base) if schema.VERSION_PATTERN.fullmatch(entry)]
    return sorted(found, key=schema.version_key)


def open(version: str | None = None, *, root: PathLike | None = None, verify: bool = True) -> Dataset:
    """Open one dataset version; ``None`` means the latest.

    With ``verify=True`` (the default) every file's sha256 is checked against
    ``manifest.json``, and a published version's manifest against the sha256
    that policydata's registry pins; every problem found is named in the
    error raised (:class:`~policydata.errors.VerificationError` or a subclass).
    An unknown version raises :class:`~policydata.errors.VersionNotFoundError`,
    which lists the available ones.

    >>> import policydata
    >>> policydata.open("2.2.0").manifest.schema_version
    '2.2'
    >>> policydata.open("9.9.9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policydata.errors.VersionNotFoundError: unknown dataset version '9.9.9' under ...; available versions: 1.0.0, 1.1.0, 1.2.0, 2.0.0, ...
    """
    base = resolve_root(root)
    available = versions(base)
    if version is None:
        if not available:
            raise VersionNotFoundError(None, available, str(base))
        version = available[-1]
    elif version not in available:
        raise VersionNotFoundError(version, available, str(base))
    checked = read_version(base / version, verify=verify)
    if checked.problems:
        checked.close()
        checked.raise_problems()
    assert checked.manifest is not None and checked.manifest_sha256 is not None and checked.declaration is not None
    assert checked.database is not None
    return Dataset(base / version, checked.manifest, checked.manifest_sha256, checked.tables,
                   declaration=checked.declaration, published=checked.published, database=checked.database)


def connect_tables(tables: Mapping[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    """A sealed in-memory DuckDB database holding a copy of each table.

    Extensions are never installed or loaded automatically (so nothing is
    fetched from the network), external access is off and the configuration
    locked: SQL run on the connection can read and write no file at all.

    >>> import policydata
    >>> con = connect_tables({"regions": policydata.open("2.2.0").table("regions")})
    >>> con.execute("SELECT count(*) FROM regions WHERE level = ?", ["provincial"]).fetchone()
    (29,)
    """
    con = private_database()
    for name, table in tables.items():
        # A relation needs no data pasted into SQL text.
        con.from_arrow(table).create(name)
    return _seal(con, set(tables))


def _seal(con: duckdb.DuckDBPyConnection, tables: set[str]) -> duckdb.DuckDBPyConnection:
    """Add the views the tables allow, then lock the database away from every file."""
    if {"documents", "regions"} <= tables:
        con.execute(_DOCUMENT_PLACES)
    if {"documents", "references", "cited_works"} <= tables:
        con.execute(_CITATION_GRAPH)
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


# The citation graph in the shape networkx and igraph load directly: one edge
# per citing document and cited document or work (self references and a
# document's own attachments are not citations), and one node per document
# and cited work.
_CITATION_GRAPH = """
CREATE VIEW citation_edges AS
SELECT r.doc_id AS source,
       coalesce(r.cited_doc_id, r.work_id) AS target,
       CASE WHEN r.cited_doc_id IS NULL THEN 'work' ELSE 'document' END AS target_type,
       min(r.kind) AS kind,
       count(*) AS citations
FROM "references" AS r
WHERE r.kind NOT IN ('self', 'own_attachment')
GROUP BY r.doc_id, coalesce(r.cited_doc_id, r.work_id), r.cited_doc_id IS NULL
ORDER BY source, target;
CREATE VIEW citation_nodes AS
SELECT doc_id AS id, 'document' AS type, title AS label, level, region_code, issued_on
FROM documents
UNION ALL
SELECT work_id, 'work', coalesce(title, doc_number), NULL, NULL, NULL
FROM cited_works
ORDER BY id;
"""

# Where and when each document was issued, for grouping without CASE
# expressions: the region's name, its province (the national level is its
# own "province", 100000) and the year of issue.
_DOCUMENT_PLACES = """
CREATE VIEW document_places AS
SELECT d.doc_id,
       year(d.issued_on) AS year,
       d.region_code,
       r.name AS region,
       p.region_code AS province_code,
       p.name AS province
FROM documents AS d
LEFT JOIN regions AS r ON r.region_code = d.region_code
LEFT JOIN regions AS p ON p.region_code =
    CASE WHEN d.region_code = '100000' THEN '100000' ELSE substr(d.region_code, 1, 2) || '0000' END
"""


@dataclass(frozen=True)
class InForce:
    """The answer of :meth:`Dataset.in_force`: documents in force on ``on``, and those whose dates are unknown."""

    on: date
    in_force: Rows[Document]
    unknown: Rows[Document]


@dataclass
class _Where:
    """WHERE clauses over table alias ``t``, with their bound values."""

    clauses: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def add_in(self, template: str, column: str, values: Sequence[str], *more: object) -> None:
        """Add ``template`` with its ``{}`` replaced by ``column`` ∈ ``values``;
        ``more`` binds the template's own ``?`` after it.

        One value is compared with ``=``, which DuckDB plans faster than a
        list; the values are always bound, never pasted.
        """
        if len(values) == 1:
            self.add(template.format(f"{column} = ?"), values[0], *more)
        else:
            self.add(template.format(f"{column} IN (SELECT unnest(?::VARCHAR[]))"), list(values), *more)


def _choices(values: Iterable[str]) -> str:
    listed = sorted(set(values))
    if len(listed) <= _MAX_CHOICES:
        return ", ".join(listed)
    return ", ".join(listed[:_MAX_CHOICES]) + f", … ({len(listed)} in all)"


def _need_str(name: str, value: object, example: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string such as {example!r}, got {type(value).__name__} {value!r}")
    return value


def _as_date(name: str, value: object) -> date:
    # datetime is a subclass of date; a time of day would be silently dropped.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{name}={value!r} is not a valid date: {exc}") from exc
    raise ValueError(f"{name} must be a datetime.date or a 'YYYY-MM-DD' string, got {value!r}")


def _date_range(names: tuple[str, str], low: object, high: object) -> tuple[date | None, date | None]:
    start = None if low is None else _as_date(names[0], low)
    end = None if high is None else _as_date(names[1], high)
    if start is not None and end is not None and start > end:
        raise ValueError(f"{names[0]}={start} is after {names[1]}={end}")
    return start, end


def _as_text(value: object) -> str:
    text = _need_str("text", value, "招标投标")
    if not text:
        raise ValueError("text must not be empty")
    return text


def _as_limit(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"limit must be a non-negative integer, got {value!r}")
    return value





class Dataset:
    """One opened dataset version. Create it with :func:`policydata.open`.

    Query methods return lists of typed rows from :mod:`policydata.models`.
    Rows come in the order given by the table's ``order_by`` in
    :mod:`policydata.schema` (documents by ``doc_id``; measures by
    ``doc_id, char_start, depth``; deadlines by ``doc_id, char_start,
    deadline_id``; agencies, regions and tags by their id), ties broken by
    the primary key, so the same version always gives the same list.

    All filters are keyword-only and ANDed together. A filter value that
    names nothing in this version (an unknown region, tag, agency, kind or
    doc_id, a malformed date) raises :class:`ValueError` rather than
    returning an empty list that would look like a real answer.

    ``connection`` is a raw DuckDB connection to your own in-memory copy of
    the tables, sealed (see :func:`connect_tables`): join your own data by
    registering it, e.g. ``ds.connection.register("mine", arrow_table)``.
    What you change there changes only your SQL: typed queries run on a
    private copy nobody else can reach, behind a lock, so one Dataset can be
    shared by several threads.

    >>> import policydata
    >>> ds = policydata.open("2.2.0")
    >>> ds.version
    '2.2.0'
    >>> ds.tables[:3]
    ['documents', 'regions', 'agencies']
    """

    def __init__(self, path: Path, manifest: Manifest, manifest_sha256: str, tables: Mapping[str, bytes], *,
                 declaration: schema.Declaration, published: bool, database: duckdb.DuckDBPyConnection) -> None:
        """``tables``: each table's verified Parquet bytes; ``database``: a private database
        they are loaded in (:func:`~policydata.integrity.read_version` makes both), which the
        Dataset seals and owns."""
        self.path = path
        self.manifest = manifest
        self.manifest_sha256 = manifest_sha256
        #: The schema this version was built with; rows are read by it.
        self.declaration = declaration
        #: True when this is a published version whose manifest matches policydata's registry.
        self.published = published
        self._closed = False
        self._tables = dict(tables)
        self._db = _seal(database, set(tables))
        # Typed queries and your SQL run on separate connections under
        # separate locks, so a long ds.sql(...) never blocks a typed query.
        self._lock = threading.Lock()
        self._sql_lock = threading.Lock()

    @cached_property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """Your own sealed DuckDB connection over a copy of the tables (made on first use)."""
        con = private_database()
        load_tables(con, self._tables)
        return _seal(con, set(self._tables))

    @property
    def version(self) -> str:
        """The dataset version, e.g. ``'1.1.0'``."""
        return self.manifest.version

    @property
    def tables(self) -> list[str]:
        """Tables this version has, in manifest order."""
        return list(self.manifest.tables)

    def __repr__(self) -> str:
        return f"<policydata.Dataset {self.version} at {self.path}>"

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the DuckDB connections."""
        if "connection" in self.__dict__:
            self.connection.close()
        with self._lock:
            self._db.close()
            self._closed = True

    def _rows(self, query: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a typed-query statement on the private database, one thread at a time."""
        with self._lock:
            return self._db.execute(query, list(params)).fetchall()

    # -- raw access ---------------------------------------------------------

    def sql(self, query: str, params: Sequence[object] | Mapping[str, object] | None = None) -> pa.Table:
        """Run SQL on the version's views and return a ``pyarrow.Table``.

        Bind values with ``?`` (a sequence) or ``$name`` (a mapping).

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> ds.sql("SELECT count(*) AS n FROM documents WHERE level = ?", ["national"]).to_pylist()
        [{'n': 19}]
        """
        with self._sql_lock:
            if not isinstance(query, str) or len(self.connection.extract_statements(query)) != 1:
                raise ValueError(f"sql() runs exactly one SQL statement, got {query!r}")
            return self.connection.sql(query, params=params).to_arrow_table()

    def table(self, name: str) -> pa.Table:
        """A whole table as a ``pyarrow.Table``, in its documented order.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> ds.table("tags").num_rows
        44
        """
        self._require(name)
        spec = self.declaration.table(name)
        order = ", ".join(f'"{c}"' for c in spec.sort_columns)
        with self._lock:
            return self._db.sql(f'SELECT * FROM "{name}" ORDER BY {order}').to_arrow_table()

    # -- typed queries ------------------------------------------------------

    def documents(
        self,
        *,
        region: str | None = None,
        section: str | None = None,
        issued_from: DateLike | None = None,
        issued_to: DateLike | None = None,
        agency: str | None = None,
        tag: str | None = None,
        text: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> Rows[Document]:
        """Documents matching every filter given, ordered by ``doc_id``.

        - ``region``: a region code or Chinese name (``'340000'``, ``'安徽省'``,
          ``'安徽'``); matches it and every region under it.
        - ``section``: a section heading such as ``'国家'`` or ``'华东'``.
        - ``issued_from`` / ``issued_to``: inclusive bounds on ``issued_on``
          (``date`` or ``'YYYY-MM-DD'``); documents without a date are left out.
        - ``agency``: an agency id, name or alias; matches documents it issued.
        - ``tag``: a tag id, Chinese or English label.
        - ``text``: substring of the title or the full text.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [d.doc_id for d in ds.documents(tag="招标投标")]
        ['2023-01-00-003', '2023-01-00-013', '2023-01-00-017', '2023-01-00-019']
        >>> [d.title for d in ds.documents(region="Huainan")]
        ['淮南市人民政府办公室关于印发创优营商环境对标提升举措（2023版）的通知']
        >>> len(ds.documents(region="安徽")), len(ds.documents(region="Anhui", issued_from="2023-03-01"))
        (15, 12)
        >>> ds.documents(region="Huainan Prefecture")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: unknown region 'Huainan Prefecture' (a code, a Chinese or an English name); codes in this version: ...
        """
        self._require("documents")
        where = _Where()
        if region is not None:
            where.add_in("{}", "t.region_code", self._region_codes(region))
        if section is not None:
            where.add("t.section = ?", self._section(section))
        start, end = _date_range(("issued_from", "issued_to"), issued_from, issued_to)
        if start is not None:
            where.add("t.issued_on >= ?", start)
        if end is not None:
            where.add("t.issued_on <= ?", end)
        if agency is not None:
            self._require("document_agencies")
            where.add_in(
                "t.doc_id IN (SELECT doc_id FROM document_agencies WHERE {})",
                "agency_id",
                self._agency_ids(agency),
            )
        if tag is not None:
            self._require("document_tags")
            where.add_in(
                "t.doc_id IN (SELECT doc_id FROM document_tags WHERE {})",
                "tag_id",
                self._tag_ids(tag),
            )
        if text is not None:
            needle = _as_text(text)
            where.add("contains(t.title, ?) OR contains(t.text, ?)", needle, needle)
        if doc_id is not None:
            where.add("t.doc_id = ?", self._doc_id(doc_id))
        return self._select("documents", where, _as_limit(limit))  # type: ignore[return-value]

    def document(self, doc_id: str) -> Document:
        """One document by id; raises :class:`~policydata.errors.NotFoundError` (a KeyError) if absent.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> ds.document("2023-01-00-001").issued_on
        datetime.date(2023, 6, 1)
        >>> ds.document("2023-99-99-999")
        Traceback (most recent call last):
        ...
        policydata.errors.NotFoundError: no document with id '2023-99-99-999'
        """
        self._require("documents")
        where = _Where()
        where.add("t.doc_id = ?", _need_str("doc_id", doc_id, "2023-01-00-003"))
        found = self._select("documents", where, None)
        if not found:
            raise NotFoundError("document", doc_id)
        return found[0]  # type: ignore[return-value]

    def measures(
        self,
        *,
        doc_id: str | None = None,
        region: str | None = None,
        agency: str | None = None,
        role: str | None = None,
        tag: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> Rows[Measure]:
        """Provisions matching every filter, ordered by ``doc_id, char_start, depth``.

        ``region`` filters on the issuing document's region (and regions under
        it; a code or a Chinese name such as ``'安徽'``); ``agency`` on the
        agencies named responsible for the provision (table
        ``measure_agencies``), and ``role`` on the part they play (lead,
        responsible, cooperating, reporting_to), with ``agency`` or alone;
        ``tag`` on the provision's tags;
        ``kind`` is numbered, heading, paragraph or a part of the document's apparatus
        (document_number, addressee, signature, note, title);
        ``text`` is a substring of the provision's text.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [m.measure_id for m in ds.measures(tag="bei:bidding", text="保证金")][:4]
        ['2023-01-00-003/4.11', '2023-01-00-019/1', '2023-01-00-019/2', '2023-01-00-019/3']
        >>> [m.heading for m in ds.measures(agency="税务总局")]
        ['强化政策落实和支持力度']
        """
        self._require("measures")
        where = _Where()
        if doc_id is not None:
            where.add("t.doc_id = ?", self._doc_id(doc_id))
        if region is not None:
            self._add_document_region(where, region)
        if role is not None:
            self._require("measure_agencies")
            role = _one_of("agency role", role, self._vocabulary("measure_agencies", "role"))
        if agency is not None:
            self._require("measure_agencies")
            if role is None:
                where.add_in("t.measure_id IN (SELECT measure_id FROM measure_agencies WHERE {})",
                             "agency_id", self._agency_ids(agency))
            else:
                where.add_in("t.measure_id IN (SELECT measure_id FROM measure_agencies WHERE {} AND role = ?)",
                             "agency_id", self._agency_ids(agency), role)
        elif role is not None:
            where.add("t.measure_id IN (SELECT measure_id FROM measure_agencies WHERE role = ?)", role)
        if tag is not None:
            self._require("measure_tags")
            where.add_in(
                "t.measure_id IN (SELECT measure_id FROM measure_tags WHERE {})",
                "tag_id",
                self._tag_ids(tag),
            )
        if kind is not None:
            where.add("t.kind = ?", _one_of("measure kind", kind, self._vocabulary("measures", "kind")))
        if text is not None:
            where.add("contains(t.text, ?)", _as_text(text))
        return self._select("measures", where, _as_limit(limit))  # type: ignore[return-value]

    def deadlines(
        self,
        *,
        doc_id: str | None = None,
        region: str | None = None,
        kind: str | None = None,
        due_from: DateLike | None = None,
        due_to: DateLike | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> Rows[Deadline]:
        """Time commitments, ordered by ``doc_id, char_start, deadline_id``.

        ``kind`` is one of the version's deadline kinds (due_by, target,
        valid_until, time_limit, recurring; ongoing from schema 2.0);
        ``due_from`` / ``due_to`` bound ``due_on`` inclusively (deadlines
        without a resolved date are left out); ``text`` is a substring of the
        expression as printed.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [(d.expression, d.due_on.isoformat()) for d in ds.deadlines(kind="due_by", due_to="2023-03-31")][:3]
        [('2023年3月15日', '2023-03-15'), ('2023年2月22日前', '2023-02-22'), ('2月15日', '2023-02-15')]
        >>> ds.deadlines(kind="soon")
        Traceback (most recent call last):
        ...
        ValueError: unknown deadline kind 'soon'; kinds: due_by, ongoing, recurring, target, time_limit, valid_until
        """
        self._require("deadlines")
        where = _Where()
        if doc_id is not None:
            where.add("t.doc_id = ?", self._doc_id(doc_id))
        if region is not None:
            self._add_document_region(where, region)
        if kind is not None:
            where.add("t.kind = ?", _one_of("deadline kind", kind, self._vocabulary("deadlines", "kind")))
        start, end = _date_range(("due_from", "due_to"), due_from, due_to)
        if start is not None:
            where.add("t.due_on >= ?", start)
        if end is not None:
            where.add("t.due_on <= ?", end)
        if text is not None:
            where.add("contains(t.expression, ?)", _as_text(text))
        return self._select("deadlines", where, _as_limit(limit))  # type: ignore[return-value]

    def agencies(
        self, *, region: str | None = None, text: str | None = None, limit: int | None = None
    ) -> Rows[Agency]:
        """Agencies, ordered by ``agency_id``; ``text`` searches the name and aliases.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [a.name for a in ds.agencies(region="340000")][:3]
        ['国家税务总局安徽省税务局', '安徽省人民政府', '安徽省人民政府办公厅']
        >>> [(a.name, a.name_en) for a in ds.agencies(text="发展改革委")][1:3]
        [('国家发展和改革委员会', 'National Development and Reform Commission'), ('国家发展和改革委员会法规司', None)]
        """
        self._require("agencies")
        where = _Where()
        if region is not None:
            where.add_in("{}", "t.region_code", self._region_codes(region))
        if text is not None:
            needle = _as_text(text)
            where.add(
                "contains(t.name, ?) OR EXISTS (SELECT 1 FROM unnest(t.aliases) AS u(alias) WHERE contains(u.alias, ?))",
                needle,
                needle,
            )
        return self._select("agencies", where, _as_limit(limit))  # type: ignore[return-value]

    def regions(self, *, region: str | None = None) -> Rows[Region]:
        """Regions ordered by code; ``region`` keeps that region and those under it.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [r.name_en for r in ds.regions(region="Shaanxi")]
        ['Shaanxi', "Xi'an City", 'Tongchuan City', 'Xianyang City', "Yan'an City"]
        """
        self._require("regions")
        where = _Where()
        if region is not None:
            where.add_in("{}", "t.region_code", self._region_codes(region))
        return self._select("regions", where, None)  # type: ignore[return-value]

    def tags(self, *, scheme: str | None = None) -> Rows[Tag]:
        """The codebook ordered by ``tag_id``; ``scheme`` is ``'bei'``, ``'bready'`` or ``'tool'``.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [t.label_en for t in ds.tags(scheme="bready")][:3]
        ['Business Entry', 'Business Insolvency', 'Business Location']
        """
        self._require("tags")
        where = _Where()
        if scheme is not None:
            where.add("t.scheme = ?", _one_of("tag scheme", scheme, self._vocabulary("tags", "scheme")))
        return self._select("tags", where, None)  # type: ignore[return-value]

    def references(self, *, doc_id: str | None = None, cited: str | None = None, kind: str | None = None,
                   limit: int | None = None) -> Rows[Reference]:
        """Citations in the texts, ordered by ``doc_id, char_start``.

        ``doc_id`` keeps one citing document; ``cited`` keeps the citations of
        one cited document (a doc_id) or work (a work_id); ``kind`` is a
        reference kind (self, own_attachment, law, policy_document …).

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [(r.cited_raw, r.kind, r.cited_doc_id) for r in ds.references(doc_id="2023-01-00-009", kind="policy_document")]
        [('《助力中小微企业稳增长调结构强能力若干措施》（工信部企业函〔2023〕4号）', 'policy_document', '2023-01-00-016'), \
('《关于知识产权助力专精特新中小企业创新发展的若干措施》（国知发运字〔2022〕38号）', 'policy_document', None)]
        >>> [r.doc_id for r in ds.references(cited="work-e279f9df9d")]  # 《保障中小企业款项支付条例》
        ['2023-01-00-003', '2023-01-00-016']
        """
        self._require("references")
        where = _Where()
        if doc_id is not None:
            where.add("t.doc_id = ?", self._doc_id(doc_id))
        if cited is not None:
            value = _need_str("cited", cited, "2023-01-00-016")
            if value.startswith("work-"):
                if not self._rows("SELECT 1 FROM cited_works WHERE work_id = ?", [value]):
                    raise ValueError(f"unknown work_id {value!r} in dataset version {self.version}")
                where.add("t.work_id = ?", value)
            else:
                where.add("t.cited_doc_id = ?", self._doc_id(value))
        if kind is not None:
            where.add("t.kind = ?", _one_of("reference kind", kind, self._vocabulary("references", "kind")))
        return self._select("references", where, _as_limit(limit))  # type: ignore[return-value]

    def cited_by(self, doc_id: str) -> Rows[Reference]:
        """Citations of a document by other documents (its references to itself left out).

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [(r.doc_id, r.resolved_by) for r in ds.cited_by("2023-01-00-016")]
        [('2023-01-00-009', 'number')]
        """
        self._require("references")
        where = _Where()
        where.add("t.cited_doc_id = ?", self._doc_id(doc_id))
        where.add("t.kind <> 'self'")
        return self._select("references", where, None)  # type: ignore[return-value]

    def similar(self, measure_id: str, k: int = 5) -> Rows[MeasureLink]:
        """The national provisions of other documents a provision most resembles, best first.

        Only links at or above the published threshold are stored (see
        ``quality.json`` → ``links``), so fewer than ``k`` rows, or none, is
        an answer, not an error.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> ds.similar("2023-01-00-019/4").to_arrow().num_rows <= 5
        True
        """
        self._require("measure_links")
        value = _need_str("measure_id", measure_id, "2023-01-00-019/4")
        if not self._rows("SELECT 1 FROM measures WHERE measure_id = ?", [value]):
            raise ValueError(f"unknown measure_id {value!r} in dataset version {self.version}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        where = _Where()
        where.add("t.measure_id = ?", value)
        return self._select("measure_links", where, k)  # type: ignore[return-value]

    def in_force(self, on: DateLike, *, region: str | None = None) -> InForce:
        """Documents in force on a date, and those whose dates the texts do not state.

        In force: the text states when it takes effect (``effective_on``) and
        it is on or before ``on``, and ``on`` is not after ``expires_on``. A
        document without a stated effective date, or whose stated validity
        could not be dated, is listed under ``unknown``: it is never guessed
        from the issue date.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> result = ds.in_force("2023-09-01")
        >>> [d.doc_id for d in result.in_force][:3], len(result.unknown) > 0
        (['2023-01-00-004', '2023-01-00-013'], True)
        """
        day = _as_date("on", on)
        self._require("documents")
        if "expires_on" not in self.declaration.table("documents").column_names:
            raise ValueError(f"in_force needs documents.expires_on (schema 2.2 and later); version {self.version} "
                             f"has schema {self.declaration.schema_version}")
        known = "t.effective_on IS NOT NULL AND (t.validity_raw IS NULL OR t.expires_on IS NOT NULL)"
        where = _Where()
        where.add(f"{known} AND t.effective_on <= ? AND (t.expires_on IS NULL OR t.expires_on >= ?)", day, day)
        unknown = _Where()
        unknown.add(f"NOT ({known})")
        for w in (where, unknown):
            if region is not None:
                w.add_in("{}", "t.region_code", self._region_codes(region))
        return InForce(day, self._select("documents", where, None), self._select("documents", unknown, None))

    def flags(self, *, doc_id: str | None = None, limit: int | None = None) -> Rows[Flag]:
        """Quality flags ordered by ``flag_id``; ``doc_id`` keeps one document's flags.

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> [f.code for f in ds.flags(doc_id="2023-04-01-008")]
        ['branch_of_national_body', 'zone_not_coded']
        """
        self._require("flags")
        where = _Where()
        if doc_id is not None:
            where.add("t.doc_id = ?", self._doc_id(doc_id))
        return self._select("flags", where, _as_limit(limit))  # type: ignore[return-value]

    # -- helpers ------------------------------------------------------------

    def _select(self, table: str, where: _Where, limit: int | None) -> list[Any]:
        from .frames import Rows, as_declared
        from .models import build_rows, row_model

        spec = self.declaration.table(table)
        columns = ", ".join(f't."{c}"' for c in spec.column_names)
        order = ", ".join(f't."{c}"' for c in spec.sort_columns)
        query = f'SELECT {columns} FROM "{table}" AS t'
        params = list(where.params)
        if where.clauses:
            query += " WHERE " + " AND ".join(f"({c})" for c in where.clauses)
        query += f" ORDER BY {order}"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        rows = self._rows(query, params)
        names = spec.column_names
        # Columns this version was built without read back as None.
        absent = tuple(c for c in schema.CURRENT.table(table).column_names if c not in names)

        def to_table() -> pa.Table:
            with self._lock:
                if self._closed:
                    raise ValueError(f"dataset {self.version} is closed; open it again to read these rows as a table")
                found = self._db.sql(query, params=params).to_arrow_table()
            return as_declared(found, schema.arrow_schema(schema.CURRENT.table(table)))

        return Rows(build_rows(row_model(schema.CURRENT, table), names, rows, absent), to_table)

    def _vocabulary(self, table: str, column: str) -> tuple[str, ...]:
        """The values this version's schema allows in ``table.column``."""
        return self.declaration.vocabulary_of(table, column)

    def _require(self, table: str) -> None:
        if not schema.CURRENT.has_table(table):
            raise ValueError(f"unknown table {table!r}; tables: {', '.join(schema.CURRENT.table_names)}")
        if table not in self.manifest.tables:
            raise TableNotAvailableError(table, self.version, self._versions_with(table))

    def _versions_with(self, table: str) -> list[str]:
        root = self.path.parent
        found = []
        for v in versions(root):
            try:
                if table in read_manifest(root / v)[0].tables:
                    found.append(v)
            except ManifestError:
                found.append(f"({v}: manifest unreadable)")
        return found

    def _add_document_region(self, where: _Where, region: str) -> None:
        self._require("documents")
        where.add_in(
            "t.doc_id IN (SELECT doc_id FROM documents WHERE {})",
            "region_code",
            self._region_codes(region),
        )

    @cached_property
    def _region_children(self) -> dict[str | None, list[str]]:
        self._require("regions")
        children: dict[str | None, list[str]] = {}
        for code, parent in self._rows("SELECT region_code, parent_code FROM regions"):
            children.setdefault(parent, []).append(code)
        return children

    @cached_property
    def _region_names(self) -> dict[str, str]:
        return dict(self._rows("SELECT region_code, name FROM regions"))

    @cached_property
    def _region_english(self) -> dict[str, str]:
        """English names by code; empty for a version built before schema 2.2 added them."""
        if "name_en" not in self.declaration.table("regions").column_names:
            return {}
        return dict(self._rows("SELECT region_code, name_en FROM regions WHERE name_en IS NOT NULL"))

    def _region_code(self, region: str) -> str:
        """A region code from a code, a Chinese name with or without its level word, or an English name.

        '340000', '安徽省', '安徽' and 'Anhui' all give 340000; English names
        match without regard to case and with or without the level word
        ('Huainan City', 'huainan'). A name several regions share (两个
        朝阳区) raises and lists them.
        """
        value = _need_str("region", region, "340000")
        if not value.strip():
            raise ValueError("region must be a non-empty code or name, e.g. '340000', '安徽省' or 'Anhui'")
        self._require("regions")
        names = self._region_names
        if value in names:
            return value
        english = self._region_english
        folded = " ".join(value.split()).casefold()
        for candidates in (
            [c for c, n in names.items() if n == value],
            [c for c, n in names.items() if _LEVEL_WORD.sub("", n) == value],
            [c for c, n in english.items() if n.casefold() == folded],
            [c for c, n in english.items() if _EN_LEVEL_WORD.sub("", n).casefold() == folded],
        ):
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                listed = ", ".join(f"{c} {names[c]}" for c in sorted(candidates))
                raise ValueError(f"region {value!r} names several regions: {listed}; give a code")
        close = [f"{c} {names[c]}" for c in sorted(names)
                 if value in names[c] or folded in english.get(c, "").casefold()][:_MAX_CHOICES]
        hint = f"; regions whose name holds it: {', '.join(close)}" if close else ""
        kinds = "a code, a Chinese or an English name" if english else "a code or a Chinese name"
        raise ValueError(f"unknown region {value!r} ({kinds}){hint}; codes in this version: {_choices(names)}")

    def _region_codes(self, region: str) -> list[str]:
        """The region and every region under it, following parent_code links."""
        code = self._region_code(region)
        children = self._region_children
        found, todo = {code}, [code]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return sorted(found)

    @cached_property
    def _agency_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for agency_id, name, aliases in self._rows("SELECT agency_id, name, aliases FROM agencies"):
            for key in (agency_id, name, *aliases):
                index.setdefault(key, set()).add(agency_id)
        return index

    def _agency_ids(self, agency: str) -> list[str]:
        """Ids of every agency whose id, name or alias equals ``agency``."""
        value = _need_str("agency", agency, "国家发展改革委")
        self._require("agencies")
        ids = self._agency_index.get(value)
        if ids is not None and len(ids) > 1:
            raise ValueError(f"agency {value!r} names several agencies: {', '.join(sorted(ids))}; give one agency id")
        if ids is None:
            import difflib

            names = sorted({row[0] for row in self._rows("SELECT name FROM agencies")})
            close = difflib.get_close_matches(value, [k for k in self._agency_index if not k[:1].isdigit()],
                                              n=5, cutoff=0.5)
            hint = f"closest names: {', '.join(close)}" if close else f"names: {_choices(names)}"
            raise ValueError(
                f"unknown agency {value!r}; give an agency id, name or alias "
                f"(search with Dataset.agencies(text=...)); {hint}"
            )
        return sorted(ids)

    @cached_property
    def _tag_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for row in self._rows("SELECT tag_id, label_zh, label_en FROM tags"):
            for key in row:
                index.setdefault(key, set()).add(row[0])
        return index

    def _tag_ids(self, tag: str) -> list[str]:
        value = _need_str("tag", tag, "招标投标")
        self._require("tags")
        ids = self._tag_index.get(value)
        if ids is None:
            raise ValueError(f"unknown tag {value!r}; tag ids: {_choices(self._tag_ids_all())}")
        if len(ids) > 1:
            raise ValueError(f"tag {value!r} is the label of several tags: {', '.join(sorted(ids))}; give one tag id")
        return sorted(ids)

    def _tag_ids_all(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT tag_id FROM tags")]

    @cached_property
    def _sections(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT DISTINCT section FROM documents")]

    def _section(self, section: str) -> str:
        return _one_of("section", _need_str("section", section, "华东"), self._sections)

    def _doc_id(self, doc_id: str) -> str:
        value = _need_str("doc_id", doc_id, "2023-01-00-003")
        self._require("documents")
        if not self._rows("SELECT 1 FROM documents WHERE doc_id = ?", [value]):
            raise ValueError(f"unknown doc_id {value!r} in dataset version {self.version}")
        return value


def _one_of(what: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; {what.split()[-1]}s: {_choices(allowed)}")
    return value
