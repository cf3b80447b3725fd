"""`reviewflow verify` passes on an intact run and names each kind of tampering."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from review_fixture import make_pipeline_review

from reviewflow.audit.manifest import build_manifest, write_manifest
from reviewflow.audit.verify import check_arithmetic
from reviewflow.cli import cli

PER_DB = {"MEDLINE": 8, "Embase": 10, "Web of Science": 5}
PLAN = [
    ("excluded_screening", 5, "Off topic", None),
    ("not_retrieved", 1, None, None),
    ("excluded_full_text", 2, "Not in English", None),
    ("included", 2, None, "Alpha 2020"),
]


def outputs(root) -> list[str]:
    """Every file the run wrote, as the workflow's manifest rule lists them."""
    return sorted(
        str(p.relative_to(root))
        for p in (root / "results").rglob("*")
        if p.is_file() and p.name not in ("manifest.json", "verify.txt")
    )


@pytest.fixture
def run(tmp_path, monkeypatch):
    review = make_pipeline_review(tmp_path, PER_DB, PLAN)
    (tmp_path / "results/extraction").mkdir()
    (tmp_path / "results/extraction/extraction.xlsx").write_bytes(b"a workbook the run wrote")
    monkeypatch.chdir(tmp_path)
    write_manifest("config/config.yaml", "results/audit/manifest.json", outputs=outputs(tmp_path))
    return review


def verify():
    result = CliRunner().invoke(cli, ["verify", "results"])
    return result.exit_code, result.output


@pytest.mark.slow
def test_intact_run_passes(run):
    code, output = verify()
    assert code == 0, output
    assert "OK" in output


@pytest.mark.slow
def test_deleted_ledger_row_is_named(run, tmp_path):
    path = tmp_path / "results/audit/ledger.csv"
    lines = path.read_text().splitlines(keepends=True)
    removed = lines.pop(3)  # line 4 of the file: the third record
    path.write_text("".join(lines))
    code, output = verify()
    assert code == 1
    record_id = removed.split(",")[0]
    assert (
        f"record {record_id.rsplit(':', 1)[1]} of {record_id.rsplit(':', 1)[0]} ({record_id}"
        in output
    )
    assert "is missing" in output
    assert "database_results is 23, the ledger gives 22" in output


@pytest.mark.slow
def test_changed_decision_file_is_named(run, tmp_path):
    path = tmp_path / "config/screening/title_abstract.csv"
    path.write_text(path.read_text().replace("exclude", "include", 1))
    code, output = verify()
    assert code == 1
    assert "config/screening/title_abstract.csv: SHA-256" in output
    assert "decisions file changed since the run" in output


@pytest.mark.slow
def test_edited_export_byte_is_named(run, tmp_path):
    path = tmp_path / "raw_exports/embase.ris"
    data = bytearray(path.read_bytes())
    at = data.index(b"report") + 1
    data[at] = ord("X")  # "report" -> "rXport" in the first Embase title
    path.write_bytes(bytes(data))
    code, output = verify()
    assert code == 1
    assert "raw_exports/embase.ris: SHA-256" in output and "exports file changed" in output
    assert "(raw_exports/embase.ris:1): title" in output and "rXport" in output


@pytest.mark.slow
def test_counts_json_disagreeing_with_the_ledger_is_named(run, tmp_path):
    path = tmp_path / "results/prisma/counts.json"
    counts = json.loads(path.read_text())
    counts["records_excluded"] += 1
    counts["dbr_excluded"]["Not in English"] = 3
    path.write_text(json.dumps(counts))
    code, output = verify()
    assert code == 1
    assert "records_excluded is 6, the ledger gives 5" in output
    assert "dbr_excluded['Not in English'] is 3, the ledger gives 2" in output
    assert "records screened − records excluded = 10 − 6 = 4, but dbr_sought_reports is 5" in output


@pytest.mark.slow
def test_duplicated_ledger_row_is_named(run, tmp_path):
    path = tmp_path / "results/audit/ledger.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]))
    code, output = verify()
    assert code == 1
    assert f"record {lines[1].split(',')[0]} appears 2 times (lines 2, {len(lines) + 1})" in output


def _edit_ledger(tmp_path, edit):
    from reviewflow.screening.ledger import read_ledger, write_ledger

    path = tmp_path / "results/audit/ledger.csv"
    ledger = read_ledger(path)
    edit(ledger)
    write_ledger(ledger, path)


@pytest.mark.slow
def test_two_records_swapping_statuses_is_named(run, tmp_path):
    # The counts stay the same, so only re-deriving the ledger from the decisions sees it.
    def swap(ledger):
        i = ledger.index[ledger["status"] == "included"][0]
        j = ledger.index[ledger["status"] == "excluded_screening"][0]
        ledger.loc[[i, j], "status"] = ledger.loc[[j, i], "status"].to_numpy()

    _edit_ledger(tmp_path, swap)
    code, output = verify()
    assert code == 1
    assert (
        "status is 'included', re-deriving from the exports and "
        "decisions gives 'excluded_screening'" in output
    )
    assert (
        "status is 'excluded_screening', re-deriving from the exports "
        "and decisions gives 'included'" in output
    )


@pytest.mark.slow
def test_two_records_swapping_clusters_is_named(run, tmp_path):
    def swap(ledger):
        i, j = ledger.index[~ledger["is_primary"]][:2]
        columns = ["cluster_id", "work_key", "duplicate_of"]
        ledger.loc[[i, j], columns] = ledger.loc[[j, i], columns].to_numpy()

    _edit_ledger(tmp_path, swap)
    code, output = verify()
    assert code == 1
    assert "cluster_id is" in output and "duplicate_of is" in output


@pytest.mark.slow
def test_deleted_or_edited_dedup_table_is_named(run, tmp_path):
    records = tmp_path / "results/records/raw_exports/medline.ris.csv"
    records.write_text(records.read_text().replace("report", "rXport", 1))
    (tmp_path / "results/dedup/works.csv").unlink()
    clusters = tmp_path / "results/dedup/clusters.csv"
    clusters.write_text(clusters.read_text().replace(",True,", ",False,", 1))
    code, output = verify()
    assert code == 1
    assert "results/dedup/works.csv: missing" in output
    assert "results/records/raw_exports/medline.ris.csv line 2: differs from re-running" in output
    assert "results/dedup/clusters.csv line 2: differs from re-running the workflow" in output


@pytest.mark.slow
def test_deleted_or_edited_prisma_output_is_named(run, tmp_path):
    (tmp_path / "results/prisma/flow_diagram.png").unlink()
    table = tmp_path / "results/prisma/PRISMA.csv"
    table.write_text(
        table.read_text().replace("records_screened,node9,", "records_screened,node90,")
    )
    code, output = verify()
    assert code == 1
    assert "results/prisma/flow_diagram.png: missing" in output
    assert (
        "results/prisma/PRISMA.csv line " in output
        and "differs from re-running the workflow" in output
    )


@pytest.mark.slow
def test_deleted_or_changed_output_is_named(run, tmp_path):
    # Outputs nothing re-derives (a workbook, the PNG) are checked against the manifest's hashes.
    (tmp_path / "results/extraction/extraction.xlsx").unlink()
    png = tmp_path / "results/prisma/flow_diagram.png"
    png.write_bytes(png.read_bytes() + b"\0")
    code, output = verify()
    assert code == 1
    assert (
        "results/extraction/extraction.xlsx: output file named in the manifest is missing" in output
    )
    assert (
        "results/prisma/flow_diagram.png: SHA-256" in output
        and "(the outputs file changed since the run)" in output
    )


@pytest.mark.slow
def test_changed_number_in_the_svg_is_named(run, tmp_path):
    svg = tmp_path / "results/prisma/flow_diagram.svg"
    svg.write_text(svg.read_text().replace("Records screened (n = 10)", "Records screened (n = 9)"))
    code, output = verify()
    assert code == 1
    assert (
        "flow_diagram.svg: draws 'Records screened (n = 9)', which counts.json does not give"
        in output
    )
    assert (
        "flow_diagram.svg: does not draw 'Records screened (n = 10)', which counts.json gives"
        in output
    )


@pytest.mark.slow
def test_changed_label_in_the_svg_is_named_even_with_a_rewritten_manifest(run, tmp_path):
    svg = tmp_path / "results/prisma/flow_diagram.svg"
    svg.write_text(svg.read_text().replace("Not in English (n = 2)", "Not in French (n = 2)"))
    write_manifest("config/config.yaml", "results/audit/manifest.json", outputs=outputs(tmp_path))
    code, output = verify()
    assert code == 1
    assert (
        "flow_diagram.svg: draws 'Not in French (n = 2)', which counts.json does not give" in output
    )


@pytest.mark.slow
def test_changed_number_in_the_html_is_named(run, tmp_path):
    page = tmp_path / "results/prisma/flow_diagram.html"
    text = page.read_text()
    drawn = text.index("Reports sought for retrieval (n = 5)")
    assert drawn < text.index(
        "</svg>"
    )  # the first is the inline SVG's (the records list's title follows)
    page.write_text(
        text.replace(
            "Reports sought for retrieval (n = 5)", "Reports sought for retrieval (n = 4)", 1
        )
    )
    code, output = verify()
    assert code == 1
    assert (
        "flow_diagram.html (inline SVG): draws 'Reports sought for retrieval (n = 4)', "
        "which counts.json does not give"
    ) in output


@pytest.mark.slow
def test_changed_box_list_in_the_html_is_named(run, tmp_path):
    # The records behind a box, listed when it is clicked, are re-derived from the ledger.
    page = tmp_path / "results/prisma/flow_diagram.html"
    page.write_text(page.read_text().replace("Excluded at title/abstract", "Included", 1))
    code, output = verify()
    assert code == 1
    assert (
        "results/prisma/flow_diagram.html line " in output
        and "differs from re-running the workflow" in output
    )


@pytest.mark.slow
def test_changed_number_in_the_pdf_is_named(run, tmp_path):
    from reviewflow.prisma import draw
    from reviewflow.prisma.layout import flow_layout

    counts = json.loads((tmp_path / "results/prisma/counts.json").read_text())
    draw.save(
        flow_layout(dict(counts, records_screened=9), list(PER_DB)),
        [tmp_path / "results/prisma/flow_diagram.pdf"],
    )
    code, output = verify()
    assert code == 1
    assert (
        "flow_diagram.pdf: does not show 'Records screened (n = 10)', which counts.json gives"
        in output
    )
    assert "flow_diagram.pdf: shows text counts.json does not give (numbers 9)" in output


@pytest.mark.slow
def test_changed_text_in_the_overlap_figure_is_named(run, tmp_path):
    svg = tmp_path / "results/prisma/database_overlap.svg"
    svg.write_text(svg.read_text().replace("Web of Science", "Scopus"))
    code, output = verify()
    assert code == 1
    assert (
        "database_overlap.svg: draws 'Scopus', which re-drawing it from the exports does not give"
        in output
    )


@pytest.mark.slow
def test_manifest_cannot_hash_itself_or_verifys_report(run):
    from reviewflow.errors import ReviewflowError

    for own in ("results/audit/manifest.json", "results/audit/verify.txt"):
        with pytest.raises(ReviewflowError, match="cannot hash itself or verify's report"):
            build_manifest("config/config.yaml", outputs=[own])


@pytest.mark.slow
def test_changed_source_config_and_extraction_example_are_named(run, tmp_path):
    (tmp_path / "config/extra.yaml").write_text("review: {title: Extra}\n")
    (tmp_path / "example.csv").write_text("Study\nAlpha 2020\n")
    config = tmp_path / "config/config.yaml"
    config.write_text(
        config.read_text()
        + "extraction: {example: example.csv, designs: [{name: RCT, rob: rob2}], "
        "domains: [{name: skin}]}\n"
    )
    write_manifest(
        "config/config.yaml", "results/audit/manifest.json", sources=["config/extra.yaml"]
    )
    manifest = json.loads((tmp_path / "results/audit/manifest.json").read_text())
    assert [e["path"] for e in manifest["inputs"]] == ["config/extra.yaml", "example.csv"]
    assert verify()[0] == 0
    (tmp_path / "config/extra.yaml").write_text("review: {title: Edited}\n")
    (tmp_path / "example.csv").write_text("Study\nBeta 2021\n")
    code, output = verify()
    assert code == 1
    assert "config/extra.yaml: SHA-256" in output and "example.csv: SHA-256" in output


def test_manifest_hashes_every_rounds_decisions_and_tool_imports(tmp_path):
    files = [
        "ta.csv",
        "ft.csv",
        "update_ta.csv",
        "update_ft.csv",
        "rayyan.ris",
        "overrides.csv",
        "export.ris",
        "export2.ris",
    ]
    for name in files:
        (tmp_path / name).write_text(name + "\n")
    config = {
        "review": {"title": "Manifest test"},
        "rounds": [
            {
                "name": "original",
                "searches": [
                    {"database": "MEDLINE", "date": "2024-04-15", "exports": ["export.ris"]}
                ],
            },
            {
                "name": "update",
                "searches": [
                    {"database": "MEDLINE", "date": "2025-06-30", "exports": ["export2.ris"]}
                ],
                "screening": {"title_abstract": "update_ta.csv", "full_text": "update_ft.csv"},
            },
        ],
        "screening": {"title_abstract": "ta.csv", "full_text": "ft.csv"},
        "screening_tools": {
            "imports": [{"file": "rayyan.ris", "tool": "rayyan", "stage": "title_abstract"}]
        },
        "dedup": {"overrides": "overrides.csv"},
    }
    (tmp_path / "config.yaml").write_text(json.dumps(config))
    manifest = build_manifest("config.yaml", tmp_path, sources=["config.yaml"])
    assert sorted(e["path"] for e in manifest["decisions"]) == sorted(
        set(files) - {"export.ris", "export2.ris"}
    )
    assert [e["path"] for e in manifest["exports"]] == ["export.ris", "export2.ris"]
    assert [e["path"] for e in manifest["inputs"]] == ["config.yaml"]


def test_arithmetic_checks_each_step():
    counts = {
        "database_results": 100,
        "database_specific_results": {"A": 60, "B": 39},
        "duplicates": 30,
        "excluded_automatic": 5,
        "excluded_other": 5,
        "records_screened": 60,
        "records_excluded": 40,
        "dbr_sought_reports": 20,
        "dbr_notretrieved_reports": 2,
        "dbr_assessed": 17,
        "dbr_excluded": {"x": 10},
        "new_reports": 7,
        "complete": True,
    }
    problems = check_arithmetic(counts, "counts.json")
    assert problems == [
        "counts.json: PRISMA arithmetic: reports sought − reports not retrieved = 20 − 2 = 18, "
        "but dbr_assessed is 17",
        "counts.json: the databases' records add up to 99, but database_results is 100",
    ]


@pytest.mark.slow
def test_manifest_is_deterministic_and_complete(run, tmp_path):
    first = (tmp_path / "results/audit/manifest.json").read_bytes()
    write_manifest("config/config.yaml", tmp_path / "again.json", outputs=outputs(tmp_path))
    assert (tmp_path / "again.json").read_bytes() == first
    manifest = json.loads(first)
    assert {
        "results/audit/ledger.csv",
        "results/prisma/flow_diagram.svg",
        "results/prisma/flow_diagram.pdf",
        "results/extraction/extraction.xlsx",
    } <= {e["path"] for e in manifest["outputs"]}
    assert [e["path"] for e in manifest["exports"]] == [run["exports"][db] for db in PER_DB]
    assert [e["path"] for e in manifest["decisions"]] == [
        "config/screening/full_text.csv",
        "config/screening/title_abstract.csv",
    ]
    assert {"reviewflow", "python", "pandas", "matplotlib"} <= set(manifest["versions"])


@pytest.mark.slow
def test_pending_work_fails_and_says_screening_is_not_complete(tmp_path, monkeypatch):
    make_pipeline_review(tmp_path, PER_DB, PLAN + [("pending_full_text", 1, None, None)])
    monkeypatch.chdir(tmp_path)
    write_manifest("config/config.yaml", "results/audit/manifest.json")
    code, output = verify()
    assert code == 1
    assert "screening is not complete" in output
    assert "reports sought − reports not retrieved = 6 − 1 = 5, but dbr_assessed is 4" in output


@pytest.mark.slow
def test_review_in_progress_verifies_with_allow_incomplete(tmp_path, monkeypatch):
    # What the workflow's verify rule runs: pending works are not a discrepancy, and the
    # arithmetic counts them in the boxes they have reached (1 awaits screening, 1 facts).
    make_pipeline_review(
        tmp_path,
        PER_DB,
        PLAN + [("pending_screening", 1, None, None), ("pending_full_text", 1, None, None)],
    )
    monkeypatch.chdir(tmp_path)
    write_manifest("config/config.yaml", "results/audit/manifest.json")
    result = CliRunner().invoke(cli, ["verify", "results", "--allow-incomplete"])
    assert result.exit_code == 0, result.output
    assert "INCOMPLETE" in result.output
    # A real discrepancy still fails.
    counts = json.loads((tmp_path / "results/prisma/counts.json").read_text())
    counts["records_screened"] += 1
    (tmp_path / "results/prisma/counts.json").write_text(json.dumps(counts))
    result = CliRunner().invoke(cli, ["verify", "results", "--allow-incomplete"])
    assert result.exit_code == 1 and "records_screened" in result.output
