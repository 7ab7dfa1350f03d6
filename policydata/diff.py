"""What changed between two dataset versions, row by row, per table.

Rows are matched on the table's primary key from :mod:`policydata.schema`
(the stable ids), so a row is *added*, *removed*, *changed* (same key,
some other column differs; the differing columns are named) or unchanged.
A table only one version has counts all its rows as added or removed. Each
version is read by its own schema: a column only one version has is listed
in ``columns_added`` or ``columns_removed``, and rows are compared on the
columns both have.

>>> import policydata
>>> report = diff(policydata.open("2.1.0"), policydata.open("2.2.0"))
>>> docs = report.table("documents")
>>> docs.columns_added[:2], docs.added, docs.removed, docs.changed
(('section_en', 'doc_type_en'), (), (), ())
>>> report.table("references").status, len(report.table("references").added)
('added', 139)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from . import schema

if TYPE_CHECKING:  # pragma: no cover
    from .dataset import Dataset

Key = tuple[str, ...]
Status = Literal["both", "added", "removed"]


@dataclass(frozen=True)
class RowChange:
    """A row present in both versions whose non-key ``columns`` differ."""

    key: Key
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableDiff:
    """Row changes in one table. ``status`` says which versions have the table."""

    table: str
    primary_key: tuple[str, ...]
    status: Status
    columns_added: tuple[str, ...]
    columns_removed: tuple[str, ...]
    added: tuple[Key, ...]
    removed: tuple[Key, ...]
    changed: tuple[RowChange, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed)


@dataclass(frozen=True)
class DiffReport:
    """Per-table differences from ``old_version`` to ``new_version``."""

    old_version: str
    new_version: str
    tables: tuple[TableDiff, ...]

    def table(self, name: str) -> TableDiff:
        """The diff of one table; KeyError if neither version has it."""
        for item in self.tables:
            if item.table == name:
                return item
        raise KeyError(f"neither {self.old_version} nor {self.new_version} has a {name} table")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (keys as lists).

        >>> import policydata
        >>> ds = policydata.open("2.2.0")
        >>> diff(ds, ds).to_dict()["tables"]["tags"]
        {'status': 'both', 'primary_key': ['tag_id'], 'columns_added': [], 'columns_removed': [], 'added': [], 'removed': [], 'changed': [], 'unchanged': 44}
        """
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "tables": {
                t.table: {
                    "status": t.status,
                    "primary_key": list(t.primary_key),
                    "columns_added": list(t.columns_added),
                    "columns_removed": list(t.columns_removed),
                    "added": [list(k) for k in t.added],
                    "removed": [list(k) for k in t.removed],
                    "changed": [{"key": list(c.key), "columns": list(c.columns)} for c in t.changed],
                    "unchanged": t.unchanged,
                }
                for t in self.tables
            },
        }


def diff(old: Dataset, new: Dataset) -> DiffReport:
    """Compare two opened versions table by table (schema order).

    >>> import policydata
    >>> [(t.table, len(t.added)) for t in diff(policydata.open("2.1.0"), policydata.open("2.2.0")).tables][-4:]
    [('references', 139), ('cited_works', 38), ('measure_links', 42), ('flags', 0)]
    """
    import duckdb

    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    # Only in-memory Arrow tables are registered; nothing else is reachable.
    con.execute("SET enable_external_access = false")
    try:
        names = schema.CURRENT.table_names
        tables = tuple(_table_diff(con, name, old, new) for name in names if _in_either(name, old, new))
    finally:
        con.close()
    return DiffReport(old.version, new.version, tables)


def _in_either(name: str, old: Dataset, new: Dataset) -> bool:
    return name in old.tables or name in new.tables


def _keys(con: Any, query: str) -> tuple[Key, ...]:
    return tuple(tuple(row) for row in con.execute(query).fetchall())


def _table_diff(con: Any, name: str, old: Dataset, new: Dataset) -> TableDiff:
    present = new if name in new.tables else old
    pk = present.declaration.table(name).primary_key
    order = ", ".join(f'"{c}"' for c in pk)
    keys = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in pk)
    if name not in old.tables or name not in new.tables:
        con.register("present", present.table(name))
        rows = _keys(con, f"SELECT {keys} FROM present ORDER BY {order}")
        con.unregister("present")
        if present is new:
            return TableDiff(name, pk, "added", (), (), rows, (), (), 0)
        return TableDiff(name, pk, "removed", (), (), (), rows, (), 0)

    con.register("o", old.table(name))
    con.register("n", new.table(name))
    added = _keys(con, f"SELECT {keys} FROM n ANTI JOIN o USING ({order}) ORDER BY {order}")
    removed = _keys(con, f"SELECT {keys} FROM o ANTI JOIN n USING ({order}) ORDER BY {order}")
    old_columns = old.declaration.table(name).column_names
    new_columns = new.declaration.table(name).column_names
    others = [c for c in new_columns if c in old_columns and c not in pk]
    select = [f'CAST(n."{c}" AS VARCHAR)' for c in pk] + [f'o."{c}" IS DISTINCT FROM n."{c}"' for c in others]
    join = " AND ".join(f'o."{c}" = n."{c}"' for c in pk)
    n_order = ", ".join(f'n."{c}"' for c in pk)
    in_both = con.execute(f"SELECT {', '.join(select)} FROM o JOIN n ON {join} ORDER BY {n_order}").fetchall()
    con.unregister("o")
    con.unregister("n")
    changed = []
    for row in in_both:
        differing = tuple(c for c, differs in zip(others, row[len(pk) :]) if differs)
        if differing:
            changed.append(RowChange(tuple(row[: len(pk)]), differing))
    return TableDiff(
        name, pk, "both",
        tuple(c for c in new_columns if c not in old_columns), tuple(c for c in old_columns if c not in new_columns),
        added, removed, tuple(changed), len(in_both) - len(changed),
    )
