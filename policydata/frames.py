"""Typed query results that are also tables: pyarrow, pandas and polars.

Every typed query of :class:`~policydata.dataset.Dataset` returns
:class:`Rows`, a list of row models that can also be had as a table with the
declared column types, so a researcher can go straight to a DataFrame:

>>> import policydata
>>> rows = policydata.open("2.2.0").documents(region="340000")
>>> rows.to_arrow().schema.field("issued_on").type
DataType(date32[day])
>>> df = rows.to_pandas()
>>> str(df["issued_on"].dtype), str(df["page_start"].dtype)
('datetime64[ms]', 'Int32')
>>> df["doc_id"].tolist() == [d.doc_id for d in rows]
True

pandas and polars are optional (``pip install policydata[frames]``): each is
imported only when asked for, and its absence is an ImportError that says
what to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import polars as pl
    import pyarrow as pa

T = TypeVar("T")


class Rows(list, Generic[T]):  # type: ignore[type-arg]
    """The rows of a typed query: a list of row models, plus ``to_arrow``, ``to_pandas``, ``to_polars``.

    The table holds the same rows in the same order, with the column types
    of the version's schema (columns added after the version was built are
    nulls of their declared type).
    """

    def __init__(self, items: Iterable[T], to_table: Callable[[], pa.Table]) -> None:
        super().__init__(items)
        self._to_table = to_table

    def __reduce__(self) -> tuple[type, tuple[list[T]]]:
        # Pickled (joblib, multiprocessing) as the plain list of models it is.
        return list, (list(self),)

    def to_arrow(self) -> pa.Table:
        """The rows as a ``pyarrow.Table`` (dates are ``date32``, lists ``list<string>``)."""
        return self._to_table()

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame.

        Dates become ``datetime64[ms]`` (a missing date ``NaT``), integers the
        nullable ``Int32``, booleans the nullable ``boolean``, strings pandas'
        default string type, lists Python lists.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_pandas() needs pandas: pip install pandas") from exc
        import pyarrow as pa

        table = self.to_arrow()
        frame = table.to_pandas(
            date_as_object=False,
            types_mapper={pa.int32(): pd.Int32Dtype(), pa.bool_(): pd.BooleanDtype()}.get,
        )
        for name in table.column_names:
            if pa.types.is_list(table.schema.field(name).type):
                frame[name] = pd.Series(table.column(name).to_pylist(), index=frame.index, dtype=object)
        return frame

    def to_polars(self) -> pl.DataFrame:
        """The rows as a polars DataFrame (``Date``, ``Int32``, ``List(String)`` columns)."""
        try:
            import polars as pl
        except ImportError as exc:
            raise ImportError("to_polars() needs polars: pip install polars") from exc
        return pl.from_arrow(self.to_arrow())  # type: ignore[return-value]


def as_declared(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with the columns and types of ``schema`` (missing columns as nulls)."""
    import pyarrow as pa

    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.table(columns, schema=pa.schema([pa.field(f.name, f.type) for f in schema]))
