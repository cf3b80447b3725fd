import click
import pytest
from click.testing import CliRunner

from reviewflow.cli import cli


def test_ingest_unknown_format_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some words\n")
    result = CliRunner().invoke(cli, ["ingest", str(bad), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "notes.txt" in result.output
    assert "unknown export format" in result.output


def _commands(group, prefix="reviewflow"):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


@pytest.mark.parametrize("name,command", [pytest.param(n, c, id=n) for n, c in _commands(cli)])
def test_help_explains_every_option_and_argument(name, command):
    # `reviewflow COMMAND --help` is the CLI's documentation: no bare option, no unexplained
    # argument.
    bare = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.help]
    assert not bare, f"{name}: options without help: {bare}"
    for argument in (p for p in command.params if isinstance(p, click.Argument)):
        assert argument.human_readable_name in (command.help or ""), (
            f"{name}: {argument.human_readable_name}"
        )
