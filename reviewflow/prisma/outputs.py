"""Write every PRISMA output from the ledger, counts.json and the config."""

from __future__ import annotations

import json
from pathlib import Path

from reviewflow.config import databases, load, round_names, with_defaults
from reviewflow.errors import ReviewflowError
from reviewflow.prisma import draw, html, overlap
from reviewflow.prisma.layout import flow_layout
from reviewflow.prisma.template import write_prisma_csv
from reviewflow.screening.ledger import read_ledger

DIAGRAM_FORMATS = (".svg", ".png", ".pdf")


def read_counts(path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReviewflowError(f"cannot read counts: {exc}", str(path)) from exc


def thousands_separator(config: dict) -> str:
    """The diagram's digit-group separator (`prisma: thousands_separator`, the schema's default
    when unset) of a checked config."""
    return with_defaults(config)["prisma"]["thousands_separator"]


def write_prisma(ledger_path, counts_path, config_path, out_dir) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = load(config_path)
    rounds, dbs = round_names(config["rounds"]), databases(config)
    counts = read_counts(counts_path)
    ledger = read_ledger(ledger_path)

    layout = flow_layout(counts, dbs, thousands_separator(config))
    diagram = [out / f"flow_diagram{suffix}" for suffix in DIAGRAM_FORMATS]
    draw.save(layout, diagram)
    title = config.get("review", {}).get("title", "")
    page = html.page(layout, draw.svg_element(layout), ledger, rounds, title)
    (out / "flow_diagram.html").write_text(page, encoding="utf-8")
    write_prisma_csv(counts, dbs, out / "PRISMA.csv")

    overlap.write_table(overlap.overlap_table(ledger, rounds, dbs), out / "database_overlap.csv")
    order = overlap.database_order(ledger, dbs)
    figures = [out / "database_overlap.svg", out / "database_overlap.png"]
    overlap.save_figure(overlap.work_sets(ledger, rounds), order, figures)
    return diagram + [out / "flow_diagram.html", out / "PRISMA.csv", out / "database_overlap.csv"] + figures
