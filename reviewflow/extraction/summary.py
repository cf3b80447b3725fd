"""What a read-back extraction produces: the Table 1 summary and the robvis-ready tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewflow.paths import TABLE1
from reviewflow.safe import safe_frame

from .spec import DESIGN, STUDY, WEIGHT, RobTool, Spec


def table1(extraction: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Study, Design and an X per outcome domain reported, in the sheet's row order."""
    out = extraction[[STUDY, DESIGN]].copy()
    for domain in spec.domains:
        out[domain.name] = extraction[domain.reported].map({"Yes": "X", "No": ""})
    return out.reset_index(drop=True)


def markdown(frame: pd.DataFrame) -> str:
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(frame).to_csv(path, index=False, lineterminator="\n")


def write_table1(extraction: pd.DataFrame, spec: Spec, out: Path) -> list[Path]:
    table = table1(extraction, spec)
    written = TABLE1.under(out)
    write_csv(table, written["csv"])
    written["md"].write_text(markdown(safe_frame(table)), encoding="utf-8")
    return list(written.values())


def weights(rob: pd.DataFrame, extraction: pd.DataFrame, spec: Spec) -> list[int]:
    """Each study's robvis Weight: its sample size (the ``sample_size`` field) where the
    extraction sheet gives one, else 1."""
    sizes = dict(zip(extraction[STUDY], extraction[spec.sample_size])) if spec.sample_size else {}
    return [int(sizes[s]) if sizes.get(s, "").isdigit() else 1 for s in rob[STUDY]]


def write_robvis(
    tool: RobTool, rob: pd.DataFrame, extraction: pd.DataFrame, spec: Spec, out: Path
) -> Path:
    """Exactly robvis' input columns (Study, D1..Dn, Overall, Weight): rob_summary() with its
    default weighted = TRUE needs the Weight column, rob_traffic_light() ignores it."""
    path = out / f"{tool.key}_robvis.csv"
    write_csv(rob[tool.columns].assign(**{WEIGHT: weights(rob, extraction, spec)}), path)
    return path


def flag_mismatches(extraction: pd.DataFrame, spec: Spec) -> list[str]:
    """Studies whose "<domain> reported" flag disagrees with the domain's outcome cells.
    Table 1 follows the flag; these are worth a look, not an error (the reference review
    itself has two)."""
    notes = []
    for row in extraction.to_dict("records"):
        for domain in spec.domains:
            if not domain.outcomes:
                continue
            filled = [c for c in map(domain.outcome_column, domain.outcomes) if row[c]]
            if row[domain.reported] == "Yes" and not filled:
                notes.append(
                    f"{row[STUDY]}: {domain.reported} = Yes, but no {domain.name} "
                    "outcome is filled in"
                )
            elif row[domain.reported] == "No" and filled:
                notes.append(f"{row[STUDY]}: {domain.reported} = No, but {filled} filled in")
    return notes
