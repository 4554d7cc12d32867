"""What a reader made of one document, as JSON or as text for a person: the reader chosen and
why the others declined, metadata, sections, paragraphs, tables with their cells, captions."""
from __future__ import annotations

import textwrap
from dataclasses import asdict
from typing import Any

from ingest.records import ParsedDocument, Table

_WIDTH = 100


def document_report(doc: ParsedDocument) -> dict[str, Any]:
    """The whole record as JSON-ready data, in reading order."""
    return {
        "path": doc.source_path,
        "content_hash": doc.content_hash,
        "format": doc.format,
        "reader": doc.reader,
        "declined": [{"reader": name, "reason": reason} for name, reason in doc.declined],
        "pages": doc.pages,
        "warnings": list(doc.warnings),
        "metadata": {**asdict(doc.metadata), "authors": list(doc.metadata.authors)},
        "sections": list(doc.sections),
        "paragraphs": [asdict(p) for p in doc.paragraphs],
        "tables": [
            {"caption": t.caption, "header_rows": t.header_rows, "rows": [list(r) for r in t.rows]}
            for t in doc.tables
        ],
        "captions": list(doc.captions),
        "references": list(doc.references),
    }


def format_report(doc: ParsedDocument) -> str:
    """The record laid out for reading in a terminal."""
    meta = doc.metadata
    out = [
        f"file:      {doc.source_path}",
        f"reader:    {doc.reader} ({doc.format}{f', {doc.pages} pages' if doc.pages else ''})",
    ]
    out += [f"declined:  {name}: {reason}" for name, reason in doc.declined]
    out += [f"warning:   {w}" for w in doc.warnings]
    out += [
        f"title:     {meta.title or '-'}",
        f"doi:       {meta.doi or '-'}",
        f"authors:   {', '.join(meta.authors) or '-'}",
        f"journal:   {meta.journal or '-'}",
        f"year:      {meta.year or '-'}",
        "",
        "abstract:",
        _wrap(meta.abstract or "-"),
        "",
        f"sections ({len(doc.sections)}):",
    ]
    out += [f"  {s}" for s in doc.sections]
    body = [p for p in doc.paragraphs if p.kind != "abstract"]
    out += ["", f"paragraphs ({len(body)}):"]
    for n, p in enumerate(body, 1):
        out.append(f"  [{n}] {p.kind}, section: {p.section or '-'}")
        out.append(_wrap(p.text, indent="      "))
    out += ["", f"tables ({len(doc.tables)}):"]
    for n, table in enumerate(doc.tables, 1):
        out.append(f"  [{n}] {table.caption or '(no caption)'}")
        out.extend(_grid(table))
    out += ["", f"captions ({len(doc.captions)}):"]
    out += [_wrap(c, indent="  ") for c in doc.captions]
    out += ["", f"references ({len(doc.references)}, kept out of the text):"]
    out += [f"  {r if len(r) <= _WIDTH - 2 else r[:_WIDTH - 3] + '…'}" for r in doc.references]
    return "\n".join(out)


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def _grid(table: Table) -> list[str]:
    """Cells in aligned columns, a rule under the header rows; long cells are cut at 30 characters."""
    rows = [[cell if len(cell) <= 30 else cell[:29] + "…" for cell in row] for row in table.rows]
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))] if rows else []
    lines = []
    for k, row in enumerate(rows):
        lines.append("      | " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
        if k + 1 == table.header_rows:
            lines.append("      |" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines
