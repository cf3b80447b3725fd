from reviewflow.cli import cli

cli()
