"""The main job on the embedded review reproduces Koczanowski et al. 2024, Fig. 1."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from fixtures import REPO

from reviewflow.cli import cli

# Fig. 1 of the reference review, in the PRISMA2020 package's field names.
REFERENCE = {
    "database_results": 1482,
    "duplicates": 1064,
    "excluded_automatic": 0,
    "excluded_other": 0,
    "records_screened": 418,
    "records_excluded": 392,
    "dbr_sought_reports": 26,
    "dbr_notretrieved_reports": 0,
    "dbr_assessed": 26,
    "new_studies": 12,
    "new_reports": 12,
}
# Each test reads one run of the whole workflow under Snakemake (and one test a second run).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """A copy of the repository's workflow, config and exports, run with `snakemake --cores 2`."""
    root = tmp_path_factory.mktemp("review")
    shutil.copy(REPO / "Snakefile", root)
    for folder in ("workflow", "config", "raw_exports"):
        shutil.copytree(REPO / folder, root / folder)
    run = subprocess.run(
        ["snakemake", "--cores", "2"], cwd=root, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return root


def test_counts_are_the_reference_reviews(review):
    counts = json.loads((review / "results/prisma/counts.json").read_text())
    assert {key: counts[key] for key in REFERENCE} == REFERENCE
    assert counts["complete"] is True
    assert sum(counts["database_specific_results"].values()) == 1482
    assert set(counts["database_specific_results"]) == {
        "MEDLINE",
        "Embase",
        "Cochrane CENTRAL",
        "Web of Science",
        "Scopus",
    }
    assert sum(counts["dbr_excluded"].values()) == 14


def test_verify_passes_and_catches_an_edited_export(review):
    assert CliRunner().invoke(cli, ["verify", str(review / "results")]).exit_code == 0
    export = review / "raw_exports/wos.txt"
    original = export.read_bytes()
    try:
        export.write_bytes(original.replace(b"TI ", b"TI X", 1))
        result = CliRunner().invoke(cli, ["verify", str(review / "results")])
        assert result.exit_code == 1
        assert "raw_exports/wos.txt" in result.output
    finally:
        export.write_bytes(original)


def test_verify_catches_a_changed_diagram_number_and_a_deleted_workbook(review):
    """What verify once let pass: 1064 drawn as 1063, extraction.xlsx gone."""
    results = review / "results"
    edited = [results / "prisma/flow_diagram.svg", results / "prisma/flow_diagram.html"]
    workbook = results / "extraction/extraction.xlsx"
    originals = {path: path.read_bytes() for path in edited + [workbook]}
    try:
        for path in edited:
            path.write_bytes(path.read_bytes().replace(b"(n = 1064)", b"(n = 1063)"))
        workbook.unlink()
        result = CliRunner().invoke(cli, ["verify", str(results)])
        assert result.exit_code == 1
        for name in ("flow_diagram.svg", "flow_diagram.html (inline SVG)"):
            assert (
                f"{name}: draws 'Duplicate records removed (n = 1063)', which "
                "counts.json does not give" in result.output
            )
        assert (
            "results/extraction/extraction.xlsx: output file named in the manifest is missing"
            in result.output
        )
    finally:
        for path, data in originals.items():
            path.write_bytes(data)


def test_rerun_writes_the_same_bytes(review, tmp_path):
    before = {
        p: p.read_bytes()
        for p in (review / "results").rglob("*")
        if p.is_file() and "logs" not in p.parts
    }
    shutil.rmtree(review / "results")
    run = subprocess.run(
        ["snakemake", "--cores", "2"], cwd=review, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr[-4000:]
    after = {
        p: p.read_bytes()
        for p in (review / "results").rglob("*")
        if p.is_file() and "logs" not in p.parts
    }
    assert sorted(after) == sorted(before)
    changed = [str(p.relative_to(review)) for p in before if before[p] != after[p]]
    assert changed == []


def test_no_output_cell_can_become_a_formula(review):
    """Every CSV and XLSX cell the run writes: text starting = + - @ (or tab / CR) carries
    reviewflow.safe's quote (CSV) or Excel's quote prefix (XLSX); no formula cells."""
    import csv

    import openpyxl

    from reviewflow.safe import FORMULA_START

    outputs = sorted((review / "results").rglob("*.csv")) + sorted(
        (review / "results").rglob("*.xlsx")
    )
    assert len(outputs) >= 15
    unsafe = []
    for path in outputs:
        if path.suffix == ".csv":
            with open(path, newline="", encoding="utf-8") as handle:
                unsafe += [
                    (path.name, cell)
                    for row in csv.reader(handle)
                    for cell in row
                    if cell.startswith(FORMULA_START)
                ]
            continue
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                unsafe += [
                    (path.name, cell.coordinate)
                    for cell in row
                    if cell.data_type == "f"
                    or (
                        isinstance(cell.value, str)
                        and cell.value.startswith(FORMULA_START)
                        and not cell.quotePrefix
                    )
                ]
    assert unsafe == []


def test_extraction_step_prints_no_note_about_the_shipped_example(review):
    """The completed example's reported flags agree with its outcome cells, so reading it
    back (rule extraction_example) says only what it wrote."""
    log = (review / "results/logs/extraction/example.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 1 and "12 studies ->" in log[0], log
