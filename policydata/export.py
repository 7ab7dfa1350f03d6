"""Export a version's tables for the tools researchers use: CSV, Excel, Stata and Parquet.

``policydata export`` (see ``policydata export --help``) is a thin layer over
:func:`export`. Every export writes, next to the data, ``EXPORT.json``: the
dataset version, its manifest sha256, the tables and the format, so an
exported file can be traced back to the version it came from.

The formats are written by well-kept libraries: pyarrow (CSV, Parquet),
pandas with openpyxl (Excel) and pandas (Stata 118). In CSV, Excel and Stata
a list (``agencies.aliases``) is one cell, its items joined by ``；``; dates
are ISO dates in CSV and dates in Excel and Stata. Excel cells hold at most
32,767 characters: a longer text (a document's full text) is cut there and
the cut is listed in ``EXPORT.json``, never hidden.

>>> import tempfile, pathlib, json, policydata
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> written = export(policydata.open("2.2.0"), ["regions"], "csv", out)
>>> [p.name for p in written]
['regions.csv', 'EXPORT.json']
>>> json.loads((out / "EXPORT.json").read_text(encoding="utf-8"))["version"]
'2.2.0'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

    from .dataset import Dataset

FORMATS = ("csv", "excel", "stata", "parquet")
LIST_SEPARATOR = "；"
EXCEL_CELL_LIMIT = 32767
# Stata variable labels hold at most 80 characters.
_STATA_LABEL = 80


def export(ds: Dataset, tables: list[str], fmt: str, out: Path, *, bom: bool = False) -> list[Path]:
    """Write ``tables`` of ``ds`` as ``fmt`` into the folder ``out``; return the files written.

    Raises ValueError for an unknown format or table, a BOM asked for outside
    CSV, or an ``out`` that is a file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    if bom and fmt != "csv":
        raise ValueError("--bom applies to CSV only (it tells Excel the file is UTF-8)")
    tables = list(dict.fromkeys(tables))  # a table named twice is written once
    unknown = [t for t in tables if t not in ds.tables]
    if unknown or not tables:
        raise ValueError(f"unknown table(s) {unknown or tables}; tables of {ds.version}: {', '.join(ds.tables)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file; give a folder to export into")
    out.mkdir(parents=True, exist_ok=True)
    cut: list[str] = []
    written: list[Path] = []
    if fmt == "excel":
        written.append(_excel(ds, tables, out / "policydata.xlsx", cut))
    else:
        for name in tables:
            table = ds.table(name)
            if fmt == "parquet":
                import pyarrow.parquet as pq

                path = out / f"{name}.parquet"
                pq.write_table(table, path)
            elif fmt == "csv":
                path = _csv(table, out / f"{name}.csv", bom)
            else:
                path = _stata(ds, name, table, out / f"{name}.dta")
            written.append(path)
    meta = {
        "dataset": "policydata",
        "version": ds.version,
        "manifest_sha256": ds.manifest_sha256,
        "published": ds.published,
        "format": fmt,
        "tables": tables,
        "files": [p.name for p in written],
        "lists_joined_by": LIST_SEPARATOR if fmt in ("csv", "excel", "stata") else None,
        "cells_cut_at_excel_limit": cut,
        "notes": _NOTES[fmt],
    }
    info = out / "EXPORT.json"
    info.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, info]


# What a format cannot keep, said in EXPORT.json next to the data.
_NOTES = {
    "csv": "Missing values are empty fields; dates are ISO YYYY-MM-DD.",
    "excel": "Missing values are empty cells; a cell holds at most 32,767 characters (cuts are listed above).",
    "stata": "Stata has no missing string: a missing text is an empty string. An integer column with missing "
             "values is stored as a double (missing is '.').",
    "parquet": "The tables as published, with their types.",
}


def _flat(table: pa.Table) -> pa.Table:
    """Lists joined into one string per cell (formats with flat cells)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for field in table.schema:
        column = table.column(field.name)
        if pa.types.is_list(field.type):
            column = pc.binary_join(column, LIST_SEPARATOR)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _csv(table: pa.Table, path: Path, bom: bool) -> Path:
    import pyarrow.csv as pcsv

    with open(path, "wb") as f:
        if bom:
            f.write("\ufeff".encode("utf-8"))
        pcsv.write_csv(_flat(table), f)
    return path


def _frame(table: pa.Table) -> pd.DataFrame:
    try:
        import pandas  # noqa: F401
    except ImportError as exc:
        raise ImportError('Excel and Stata exports need pandas: pip install "policydata[export]"') from exc
    return _flat(table).to_pandas(date_as_object=False)


def _descriptions(ds: Dataset, name: str) -> dict[str, str]:
    return {c.name: c.description for c in ds.declaration.table(name).columns}


def _excel(ds: Dataset, tables: list[str], path: Path, cut: list[str]) -> Path:
    import pandas as pd

    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise ImportError('Excel export needs openpyxl: pip install "policydata[export]"') from exc
    codebook: list[dict[str, Any]] = []
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
        for name in tables:
            table = ds.table(name)
            frame = _frame(table)
            # Python dates, which openpyxl writes as dates without a time of day.
            for c in ds.declaration.table(name).columns:
                if c.type == "date":
                    frame[c.name] = pd.Series(table.column(c.name).to_pylist(), index=frame.index, dtype=object)
            for column in frame.columns:
                if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                    long = frame[column].map(lambda v: isinstance(v, str) and len(v) > EXCEL_CELL_LIMIT)
                    for row in frame.index[long]:
                        cut.append(f"{name}.{column} row {row + 2}")
                        frame.at[row, column] = frame.at[row, column][:EXCEL_CELL_LIMIT - 1] + "…"
            frame.to_excel(writer, sheet_name=name, index=False)
            for c in ds.declaration.table(name).columns:
                codebook.append({"table": name, "column": c.name, "type": c.type,
                                 "nullable": c.nullable, "meaning": c.description})
        pd.DataFrame(codebook).to_excel(writer, sheet_name="codebook", index=False)
    return path


def _stata(ds: Dataset, name: str, table: pa.Table, path: Path) -> Path:
    frame = _frame(table)
    dates = {c.name: "td" for c in ds.declaration.table(name).columns if c.type == "date"}
    labels = {k: v[:_STATA_LABEL] for k, v in _descriptions(ds, name).items()}
    # Stata has no booleans: a bool column with nulls becomes 1/0/missing.
    for c in ds.declaration.table(name).columns:
        if c.type == "bool" and frame[c.name].isna().any():
            frame[c.name] = frame[c.name].map({True: 1, False: 0}).astype("Int8")
    # Stata needs plain object strings; long ones are stored as strL.
    for column in frame.columns:
        if column not in dates and not str(frame[column].dtype).startswith(("int", "Int", "bool", "boolean", "float")):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
            if frame[column].isna().all():
                # Stata's missing string is "", and pandas refuses a column of nulls only.
                frame[column] = ""
    strl = [c for c in frame.columns if c not in dates and frame[c].map(lambda v: isinstance(v, str) and len(v) > 2045).any()]
    frame.to_stata(path, write_index=False, version=118, convert_dates=dates, variable_labels=labels,
                   convert_strl=strl, data_label=f"policydata {ds.version} {name}"[:80])
    return path

