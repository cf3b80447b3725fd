"""reviewflow's screening files against the real ASReview LAB (the `asreview` test extra:
``pip install -e ".[test,asreview]"``). Skipped, with the reason, where it is not installed.

Both directions: ASReview's own readers load the to_screen exports (every record, title,
abstract and DOI intact), and reviewflow reads the export ASReview LAB itself writes (its
web API's export_dataset, driven through Flask's test client) back into votes."""

from __future__ import annotations

import pytest
from fixtures import DATA

from reviewflow.exchange import asreview as ours
from reviewflow.exchange import export
from reviewflow.exchange.importer import Source, import_decisions
from reviewflow.safe import safe_text

asreview = pytest.importorskip(
    "asreview",
    reason="ASReview LAB is not installed: pip install -e '.[test,asreview]' runs these tests",
)

WORKS = DATA / "exchange" / "works.csv"
FORMATS = ("ris", "csv", "xlsx")


@pytest.fixture
def works():
    works = export.load_works(WORKS)
    works["abstract"] = [
        f"Background: the abstract of {key}; with a comma, and = sign." for key in works["key"]
    ]
    return works


@pytest.mark.parametrize("fmt", FORMATS)
def test_asreview_reads_every_to_screen_record_intact(works, tmp_path, fmt):
    path = tmp_path / f"to_screen.{fmt}"
    export.write(works, fmt, path)
    records = asreview.data.loader.load_records(path)
    assert len(records) == len(works)
    # A CSV cell that starts like a formula keeps reviewflow.safe's visible quote; RIS and
    # XLSX (the cell's quote prefix) carry the text unchanged.
    guard = safe_text if fmt == "csv" else str
    expected = {(guard(w.title), w.abstract, w.doi or None) for w in works.itertuples()}
    assert any(w.title.startswith("=") for w in works.itertuples())
    assert {(r.title, r.abstract, r.doi) for r in records} == expected


@pytest.fixture
def lab_project(works, tmp_path, monkeypatch):
    """An ASReview LAB project screening reviewflow's to_screen.ris: the first work relevant,
    the second irrelevant with a note, the rest not seen."""
    monkeypatch.setenv("ASREVIEW_PATH", str(tmp_path / "asreview"))
    from asreview.webapp.app import create_app
    from asreview.webapp.utils import asreview_path

    export.write(works, "ris", tmp_path / "to_screen.ris")
    project = asreview.Project.create(asreview_path() / "screening", project_id="screening")
    project.add_dataset(tmp_path / "to_screen.ris")
    keys = sorted(works["key"])  # to_screen is in key order, ASReview numbers records from 0
    with project.db as db:
        db.label_record(0, 1)
        db.label_record(1, 0)
        db.update_note(1, "Wrong population; children only")
    return create_app(authentication=False).test_client(), keys


@pytest.mark.parametrize("fmt", FORMATS)
def test_reviewflow_reads_asreview_labs_own_export(lab_project, works, tmp_path, fmt):
    client, keys = lab_project
    response = client.get(
        f"/api/projects/screening/export_dataset?format={fmt}"
        "&collections=relevant&collections=irrelevant&collections=not_seen"
    )
    assert response.status_code == 200
    path = tmp_path / f"asreview_export.{fmt}"
    path.write_bytes(response.data)
    votes = ours.read(path, "AB").votes
    assert sorted(votes["vote"]) == ["exclude", "include"]
    result = import_decisions([Source(str(path), "asreview", "AB")], "title_abstract", works)
    decided = result.decisions.set_index("id")
    assert decided.loc[keys[0], "decision"] == "include"
    assert decided.loc[keys[1], "decision"] == "exclude"
    assert decided.loc[keys[1], "reason"] == "Wrong population; children only"
    assert len(decided) == 2
