"""Render the README's generated sections: the table reference and the quality summary.

``python -m policydata_build.docs`` rewrites the blocks between
``<!-- tables:start -->``/``<!-- tables:end -->`` (from policydata/schema.py)
and ``<!-- quality:start -->``/``<!-- quality:end -->`` (from the declared
version's quality.json). A test checks that the README holds exactly this
text, so the documentation cannot drift from the schema or the data.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from policydata.schema import TABLES

README = Path(__file__).resolve().parents[1] / "README.md"


def tables_markdown() -> str:
    out: list[str] = []
    for t in TABLES.values():
        out.append(f"### `{t.name}`\n")
        out.append(f"{t.description} Primary key: `{', '.join(t.primary_key)}`.\n")
        out.append("| column | type | null | meaning |")
        out.append("|---|---|---|---|")
        for c in t.columns:
            meaning = c.description.replace("|", "\\|")
            out.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {meaning} |")
        out.append("")
    return "\n".join(out)


def quality_markdown(q: dict[str, Any], rows: dict[str, int]) -> str:
    cov = q["tag_coverage"]
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| documents in the table of contents | {q['documents']} |",
        f"| documents linked to their text | {q['documents_with_text']} |",
        f"| documents with text but no provisions | {len(q['documents_with_text_but_no_measures'])} |",
        f"| provisions (measures) | {q['measures']} ({', '.join(f'{k} {v}' for k, v in q['measures_by_kind'].items())}) |",
        f"| labels not taken as provisions (out of sequence) | {sum(q['labels_not_taken_as_provisions'].values())} |",
        f"| labels taken after a missing number | {sum(q['labels_after_a_missing_number'].values())} |",
        f"| deadlines | {q['deadlines']} ({', '.join(f'{k} {v}' for k, v in q['deadlines_by_kind'].items())}) |",
        f"| deadlines without a resolvable date | {q['deadlines_unresolved']} ({', '.join(f'{k} {v}' for k, v in q['deadlines_unresolved_by_kind'].items())}) |",
        f"| time expressions left out | {sum(q['time_expressions_left_out'].values())} ({', '.join(f'{k} {v}' for k, v in q['time_expressions_left_out'].items())}) |",
        f"| responsible-agency links | {q['measure_agencies']} |",
        f"| provisions with at least one tag | {cov['measures_with_any_tag']} of {q['measures']} ({cov['share_with_any_tag']:.1%}) |",
        f"| … of those with content of their own (numbered, paragraph, title) | {cov['substantive_with_any_tag']} of {cov['substantive_measures']} "
        f"({cov['substantive_with_any_tag'] / cov['substantive_measures']:.1%}) |",
        f"| tags never used | {', '.join(cov['tags_never_used']) or 'none'} |",
        f"| agencies / regions | {rows['agencies']} / {rows['regions']} |",
        f"| quality flags | {sum(q['flags_by_code'].values())} ({', '.join(f'{k} {v}' for k, v in q['flags_by_code'].items())}) |",
    ]
    return "\n".join(lines) + "\n"


def _version_dir() -> Path:
    from policydata_build import DATASET_VERSION
    from policydata_build.pipeline import default_out

    return default_out() / DATASET_VERSION


def generated_blocks() -> dict[str, str]:
    folder = _version_dir()
    quality = json.loads((folder / "quality.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rows = {f.removesuffix(".parquet"): e["rows"] for f, e in manifest["files"].items() if f.endswith(".parquet")}
    return {"tables": tables_markdown(), "quality": quality_markdown(quality, rows)}


def block(text: str, name: str) -> str:
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    if m is None:
        raise ValueError(f"README has no {name}:start/{name}:end markers")
    return m.group(1)


def rewrite(text: str, blocks: dict[str, str]) -> str:
    for name, body in blocks.items():
        block(text, name)  # the markers must exist
        text = re.sub(
            rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
            lambda m, body=body: m.group(1) + body + m.group(2),
            text,
            flags=re.S,
        )
    return text


if __name__ == "__main__":
    README.write_text(rewrite(README.read_text(encoding="utf-8"), generated_blocks()), encoding="utf-8")
    print(f"rewrote generated blocks of {README}", file=sys.stderr)
