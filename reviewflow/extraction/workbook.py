"""Write the pre-filled extraction workbook and the two risk-of-bias workbooks."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment

from reviewflow.xlsx import save

from . import xlsx
from .spec import DESIGN, ROB_TOOLS, RobTool, Spec, rob_columns

EXTRACTION_SHEET = "Extraction"
# In each RoB workbook: the work key and DOI behind each Study ID, so that read-back finds
# the study on an extraction sheet that labels it differently.
STUDIES_SHEET = "Studies"
STUDIES_COLUMNS = ["Study", "Work key", "DOI"]
RANDOMISED = re.compile(r"\brandomi[sz]ed\b|\bRCT\b", re.IGNORECASE)


def canonical_design(text: str, spec: Spec) -> str:
    """The configured design the full-text design names (case and spacing ignored), or ""."""
    wanted = " ".join(text.split()).casefold()
    return next((name for name in spec.designs if name.casefold() == wanted), "")


def rob_tool(design: str, spec: Spec) -> RobTool:
    """RoB 2 for randomised designs, ROBINS-I otherwise. A configured design says which; a
    free-text design not (yet) in the list counts as randomised when it says so."""
    if design in spec.designs:
        return ROB_TOOLS[spec.designs[design]]
    return ROB_TOOLS["rob2" if RANDOMISED.search(design) else "robins_i"]


def prefill(studies: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """The extraction rows: identification columns from the ledger, Design where recognised."""
    rows = studies.copy()
    rows[DESIGN] = [canonical_design(d, spec) for d in rows["Design at full text"]]
    for column in spec.columns:
        if column.name not in rows.columns:
            rows[column.name] = ""
    return rows[[c.name for c in spec.columns]]


def write_extraction(studies: pd.DataFrame, spec: Spec, path: str | Path) -> None:
    rows = prefill(studies, spec)
    columns = list(spec.columns)
    wb, lists = xlsx.new_workbook()
    ws = wb.create_sheet(EXTRACTION_SHEET, 0)
    xlsx.write_header(ws, [c.name for c in columns])
    for r, record in enumerate(rows.itertuples(index=False), start=2):
        for col, (column, value) in enumerate(zip(columns, record), start=1):
            cell = ws.cell(row=r, column=col)
            xlsx.set_text(cell, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column.prefilled:
                cell.fill = xlsx.PREFILLED_FILL
    xlsx.add_validations(ws, columns, len(rows) + 1, lists)
    xlsx.fit_widths(ws, columns)
    notes = [
        (
            c.name,
            "yes" if c.required else "",
            "pre-filled from the ledger" if c.prefilled else "",
            " / ".join(c.values)
            if c.kind == "list"
            else ("whole number" if c.kind == "integer" else "text"),
            c.note,
        )
        for c in columns
    ]
    xlsx.write_notes(wb, notes, ("Column", "Required", "Source", "Allowed values", "Explanation"))
    wb.active = 0
    save(wb, path)


def write_rob(studies: pd.DataFrame, spec: Spec, tool: RobTool, path: str | Path) -> None:
    """The tool's sheet (robvis columns) with one row per study whose design calls for it."""
    rows = prefill(studies, spec)
    designs = [d or f for d, f in zip(rows[DESIGN], rows["Design at full text"])]
    chosen = [i for i, design in enumerate(designs) if rob_tool(design, spec) is tool]
    wb, lists = xlsx.new_workbook()
    ws = wb.create_sheet(tool.sheet, 0)
    xlsx.write_header(ws, tool.columns)
    for r, i in enumerate(chosen, start=2):
        xlsx.set_text(ws.cell(row=r, column=1), rows["Study"].iloc[i])
        ws.cell(row=r, column=1).fill = xlsx.PREFILLED_FILL
    columns = rob_columns(tool)
    xlsx.add_validations(ws, columns, len(chosen) + 1, lists)
    xlsx.fit_widths(ws, columns)
    notes = [(c.name, " / ".join(c.values) if c.values else "", c.note) for c in columns]
    xlsx.write_notes(wb, notes, ("Column", "Allowed values", "Explanation"))
    ids = wb.create_sheet(STUDIES_SHEET)
    xlsx.write_header(ids, STUDIES_COLUMNS)
    for r, i in enumerate(chosen, start=2):
        for c, name in enumerate(STUDIES_COLUMNS, start=1):
            xlsx.set_text(ids.cell(row=r, column=c), rows[name].iloc[i])
    wb.active = 0
    save(wb, path)
