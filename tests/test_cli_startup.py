"""`reviewflow dedup` starts without the modules only other commands need."""

from __future__ import annotations

import json
import subprocess
import sys

# Not yaml: the dedup settings' defaults are read from the config schema, the one place
# they are written (with libyaml, some 70 ms beside pandas' second).
HEAVY = ("matplotlib", "openpyxl", "snakemake", "jsonschema")


def test_dedup_command_imports_no_plotting_workbook_or_workflow_modules(samples, tmp_path):
    ris = samples / "scopus_ris" / "Scopus_ris_example.ris"
    code = (
        "import json, sys\n"
        "from reviewflow.cli import cli\n"
        f"cli(['dedup', {str(ris)!r}, '--out', {str(tmp_path)!r}], standalone_mode=False)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "works.csv").is_file()


def test_dedup_command_turns_the_garbage_collector_back_on_for_its_caller(shared, tmp_path):
    import gc

    from click.testing import CliRunner

    from reviewflow.cli import cli

    ris = shared / "benchmarks" / "dedup" / "special_cases" / "records.ris"
    result = CliRunner().invoke(cli, ["dedup", str(ris), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
