from click.testing import CliRunner

from reviewflow.cli import cli


def test_ingest_unknown_format_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some words\n")
    result = CliRunner().invoke(cli, ["ingest", str(bad), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "notes.txt" in result.output
    assert "unknown export format" in result.output
