"""Write every PRISMA output from the ledger, counts.json and the config."""

from __future__ import annotations

import json
from pathlib import Path

from reviewflow.config import databases, load, methods, round_names, with_defaults
from reviewflow.errors import ReviewflowError
from reviewflow.paths import PRISMA
from reviewflow.prisma import draw, html, overlap
from reviewflow.prisma.layout import flow_layout
from reviewflow.prisma.template import write_prisma_csv
from reviewflow.screening.ledger import read_ledger


def read_counts(path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReviewflowError(f"cannot read counts: {exc}", str(path)) from exc


def thousands_separator(config: dict) -> str:
    """The diagram's digit-group separator (`prisma: thousands_separator`, the schema's default
    when unset) of a checked config."""
    return with_defaults(config)["prisma"]["thousands_separator"]


def write_prisma(ledger_path, counts_path, config_path, out_dir, only=None) -> list[Path]:
    """Every PRISMA output in ``out_dir``, named by reviewflow.paths.PRISMA, or those of its
    keys in ``only`` (verify draws only what it compares); returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = load(config_path)
    rounds, dbs = round_names(config["rounds"]), databases(config)
    counts = read_counts(counts_path)
    ledger = read_ledger(ledger_path)
    written = {key: path for key, path in PRISMA.under(out).items() if only is None or key in only}

    layout = flow_layout(counts, dbs, thousands_separator(config))
    diagram = [written[key] for key in ("svg", "png", "pdf") if key in written]
    if diagram:
        draw.save(layout, diagram)
    if "html" in written:
        title = config.get("review", {}).get("title", "")
        page = html.page(
            layout, draw.svg_element(layout), ledger, rounds, title, methods(config["rounds"])
        )
        written["html"].write_text(page, encoding="utf-8")
    if "csv" in written:
        write_prisma_csv(counts, dbs, written["csv"])

    if "overlap" in written:
        overlap.write_table(overlap.overlap_table(ledger, rounds, dbs), written["overlap"])
    figures = [written[key] for key in ("overlap_svg", "overlap_png") if key in written]
    if figures:
        overlap.save_figure(
            overlap.work_sets(ledger, rounds), overlap.database_order(ledger, dbs), figures
        )
    return list(written.values())
