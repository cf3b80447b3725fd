import json

from click.testing import CliRunner
from screening_fixtures import ft_row, write_review

from reviewflow.cli import cli


def invoke(paths):
    return CliRunner().invoke(
        cli,
        [
            "screen",
            *paths["records"],
            "--clusters",
            paths["clusters"],
            "--works",
            paths["works"],
            "--config",
            paths["config"],
            "--out",
            paths["out"],
        ],
    )


def test_screen_writes_ledger_and_pending_and_counts_counts_them(tmp_path):
    paths = write_review(
        tmp_path, [["111", "include", "", "SK"], ["rf-b", "exclude", "", "SK"]], [ft_row("111")]
    )
    result = invoke(paths)
    assert result.exit_code == 0, result.output
    assert "2 works pending (2 at title_abstract)" in result.output
    assert not (tmp_path / "results/prisma/counts.json").exists()  # the prisma stage's file
    ledger = tmp_path / "results/audit/ledger.csv"
    result = CliRunner().invoke(
        cli,
        [
            "counts",
            "--ledger",
            str(ledger),
            "--config",
            paths["config"],
            "--out",
            str(tmp_path / "results/prisma/counts.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "2 screened, 1 assessed, 1 included" in result.output and "complete: false" in result.output
    )
    counts = json.loads((tmp_path / "results/prisma/counts.json").read_text())
    assert counts["complete"] is False and counts["new_reports"] == 1
    for name in ("audit/ledger.csv", "screening/pending.csv", "screening/pending.ris"):
        assert (tmp_path / "results" / name).is_file()


def test_screen_bad_decision_is_exit_2_naming_the_file(tmp_path):
    paths = write_review(
        tmp_path, [["111", "include", "", ""], ["no-such-id", "include", "", ""]], []
    )
    result = invoke(paths)
    assert result.exit_code == 2
    assert (
        "title_abstract.csv" in result.output
        and "line 3: id 'no-such-id' names no known record" in result.output
    )


def test_a_decision_file_with_a_cell_over_128_kb_is_read(tmp_path):
    # The csv module refuses fields over 128 KB by default; reviewflow raises the limit for every
    # reader.
    reason = "Wrong population: " + "children only; " * 20_000
    paths = write_review(tmp_path, [["111", "exclude", reason, "SK"]], [])
    result = invoke(paths)
    assert result.exit_code == 0, result.output
    assert "1 excluded_screening" in result.output
