"""`reviewflow init DIR FILE...`: a new review's directory from its exports, on small files."""

from __future__ import annotations

import os

import pytest
import yaml
from click.testing import CliRunner
from fixtures import REPO

from reviewflow.cli import cli
from reviewflow.config import validate
from reviewflow.dedup.overrides import COLUMNS as OVERRIDE_COLUMNS
from reviewflow.extraction.spec import spec_from_config
from reviewflow.screening.decisions import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS

MEDLINE = (
    "PMID- 11111111\nTI  - Soil carbon under grazing.\nAU  - "
    "Smith J\nDP  - 2020 Jan\nSO  - Soil Biol 2020;1:1-2.\n"
    "\nPMID- 22222222\nTI  - Pollinators in hedgerows.\nAU  - "
    "Jones K\nDP  - 2021\nSO  - Ecol Lett 2021;2:3-4.\n"
)
WOS = (
    "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU "
    "Smith, J\nTI Soil carbon under grazing\nPY 2020\n"
    "UT WOS:000000000000001\nER\n\nEF\n"
)
SCOPUS = (
    '"Authors","Title","Year","DOI","EID"\n"Smith J.","Soil '
    'carbon under grazing","2020","","2-s2.0-1"\n'
)
NAMELESS_RIS = "TY  - JOUR\nTI  - Birds on farmland\nPY  - 2019\nER  - \n"


@pytest.fixture
def exports(tmp_path, monkeypatch):
    """Three databases' exports in a downloads folder; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    files = {"pubmed.nbib": MEDLINE, "savedrecs.txt": WOS, "scopus.csv": SCOPUS}
    for name, text in files.items():
        (downloads / name).write_text(text, encoding="utf-8")
    return [downloads / name for name in files]


def init(*args):
    return CliRunner().invoke(cli, ["init", *map(str, args)])


def config_of(review):
    return yaml.safe_load((review / "config/config.yaml").read_text(encoding="utf-8"))


def test_config_names_each_export_under_the_database_its_content_says(exports, tmp_path):
    result = init(tmp_path / "eco", *exports)
    assert result.exit_code == 0, result.output
    searches = config_of(tmp_path / "eco")["rounds"][0]["searches"]
    assert [(s["database"], s["exports"]) for s in searches] == [
        ("MEDLINE", ["raw_exports/pubmed.nbib"]),
        ("Web of Science", ["raw_exports/savedrecs.txt"]),
        ("Scopus", ["raw_exports/scopus.csv"]),
    ]


def test_exports_are_copied_into_the_review_unchanged(exports, tmp_path):
    assert init(tmp_path / "eco", *exports).exit_code == 0
    for source in exports:
        assert (tmp_path / "eco/raw_exports" / source.name).read_bytes() == source.read_bytes()


def test_config_is_valid_and_sets_no_rule_and_no_example(exports, tmp_path):
    assert init(tmp_path / "eco", *exports).exit_code == 0
    config = config_of(tmp_path / "eco")
    validate(config, "config.yaml")  # the workflow's schema: raises on any error
    assert config["eligibility"] == {"automation": {}, "full_text": []}
    assert "example" not in config["extraction"]
    spec = spec_from_config(config["extraction"])
    assert spec.example is None and spec.designs and spec.domains


def test_the_one_full_text_example_rule_is_commented_out_and_valid(exports, tmp_path):
    assert init(tmp_path / "eco", *exports).exit_code == 0
    text = (tmp_path / "eco/config/config.yaml").read_text(encoding="utf-8")
    examples = [
        line.strip().removeprefix("#").strip()
        for line in text.splitlines()
        if line.strip().startswith("#  - {fact:")
    ]
    assert len(examples) == 1
    config = config_of(tmp_path / "eco")
    config["eligibility"]["full_text"] = yaml.safe_load(examples[0])
    validate(config, "config.yaml")


def test_decision_and_override_files_hold_only_their_header(exports, tmp_path):
    assert init(tmp_path / "eco", *exports).exit_code == 0
    review = tmp_path / "eco"
    config = config_of(review)
    expected = {
        config["screening"]["title_abstract"]: TITLE_ABSTRACT_COLUMNS,
        config["screening"]["full_text"]: FULL_TEXT_COLUMNS,
        config["dedup"]["overrides"]: OVERRIDE_COLUMNS,
    }
    for path, columns in expected.items():
        assert (review / path).read_text(encoding="utf-8") == ",".join(columns) + "\n", path


def test_refuses_to_overwrite_a_review(exports, tmp_path):
    assert init(tmp_path / "eco", *exports).exit_code == 0
    config = tmp_path / "eco/config/config.yaml"
    before = config.read_bytes()
    result = init(tmp_path / "eco", exports[0], "--title", "Another")
    assert result.exit_code == 2
    assert "config/config.yaml exists" in result.output and "never overwrites" in result.output
    assert config.read_bytes() == before


def test_refuses_a_directory_holding_any_file_it_would_write(exports, tmp_path):
    (tmp_path / "eco").mkdir()
    (tmp_path / "eco/README.md").write_text("my notes\n")
    result = init(tmp_path / "eco", *exports)
    assert result.exit_code == 2
    assert "README.md" in result.output
    assert (tmp_path / "eco/README.md").read_text() == "my notes\n"
    assert not (tmp_path / "eco/config").exists()


def test_an_export_whose_content_names_no_database_needs_database(exports, tmp_path):
    nameless = tmp_path / "downloads/other.ris"
    nameless.write_text(NAMELESS_RIS, encoding="utf-8")
    result = init(tmp_path / "eco", nameless)
    assert result.exit_code == 2
    assert str(nameless) in result.output and "--database" in result.output
    assert not (tmp_path / "eco").exists()
    result = init(tmp_path / "eco", nameless, "--database", f"{nameless}=CAB Abstracts")
    assert result.exit_code == 0, result.output
    assert config_of(tmp_path / "eco")["rounds"][0]["searches"][0]["database"] == "CAB Abstracts"


def test_database_given_overrides_the_content(exports, tmp_path):
    result = init(tmp_path / "eco", *exports, "--database", f"{exports[0]}=PubMed")
    assert result.exit_code == 0, result.output
    assert [s["database"] for s in config_of(tmp_path / "eco")["rounds"][0]["searches"]] == [
        "PubMed",
        "Web of Science",
        "Scopus",
    ]


def test_database_for_a_file_not_given_is_an_error(exports, tmp_path):
    result = init(tmp_path / "eco", *exports, "--database", "elsewhere.ris=Embase")
    assert result.exit_code == 2
    assert "elsewhere.ris" in result.output


def test_dates_given_for_all_searches_and_for_one(exports, tmp_path):
    result = init(tmp_path / "eco", *exports, "--date", "2025-03-01", "--date", "Scopus=2025-03-04")
    assert result.exit_code == 0, result.output
    searches = config_of(tmp_path / "eco")["rounds"][0]["searches"]
    assert [s["date"] for s in searches] == ["2025-03-01", "2025-03-01", "2025-03-04"]
    assert "the day the search was run?" not in (tmp_path / "eco/config/config.yaml").read_text()


def test_without_dates_each_search_has_its_file_date_marked_to_check(exports, tmp_path):
    stamp = 1735732800  # 2025-01-01 12:00 UTC
    os.utime(exports[1], (stamp, stamp))
    result = init(tmp_path / "eco", *exports)
    assert result.exit_code == 0, result.output
    wos = config_of(tmp_path / "eco")["rounds"][0]["searches"][1]
    assert wos["date"] in ("2025-01-01", "2025-01-02", "2024-12-31")  # local time zone
    assert "the export file's date" in result.output
    text = (tmp_path / "eco/config/config.yaml").read_text(encoding="utf-8")
    assert f'date: "{wos["date"]}"  # the export file\'s date' in text


@pytest.mark.parametrize("value", ["2025-13-01", "1/3/2025", "Scopus=", "Embase=2025-03-01"])
def test_a_bad_date_option_is_an_error(exports, tmp_path, value):
    result = init(tmp_path / "eco", *exports, "--date", value)
    assert result.exit_code == 2
    assert "--date" in result.output
    assert not (tmp_path / "eco").exists()


def test_exports_of_one_database_are_one_search_and_names_never_clash(exports, tmp_path):
    batch = tmp_path / "batch2" / "scopus.csv"  # a Scopus result too large for one download
    batch.parent.mkdir()
    batch.write_text(SCOPUS.replace("2-s2.0-1", "2-s2.0-2"), encoding="utf-8")
    result = init(tmp_path / "eco", exports[2], batch)
    assert result.exit_code == 0, result.output
    searches = config_of(tmp_path / "eco")["rounds"][0]["searches"]
    assert [(s["database"], s["exports"]) for s in searches] == [
        ("Scopus", ["raw_exports/scopus.csv", "raw_exports/scopus-2.csv"])
    ]
    assert (tmp_path / "eco/raw_exports/scopus-2.csv").read_bytes() == batch.read_bytes()


def test_a_file_named_twice_is_an_error(exports, tmp_path):
    result = init(tmp_path / "eco", exports[0], exports[0])
    assert result.exit_code == 2
    assert "more than once" in result.output


def test_copies_get_names_safe_in_a_shell_command(exports, tmp_path):
    odd = tmp_path / "downloads" / "PubMed search (1) 'final'.nbib"
    odd.write_text(MEDLINE, encoding="utf-8")
    assert init(tmp_path / "eco", odd).exit_code == 0
    path = config_of(tmp_path / "eco")["rounds"][0]["searches"][0]["exports"][0]
    assert path == "raw_exports/PubMed_search_1_final_.nbib"
    assert (tmp_path / "eco" / path).read_bytes() == odd.read_bytes()


def test_an_export_already_in_the_directory_is_named_where_it_is(exports, tmp_path):
    mine = tmp_path / "eco/searches/pubmed.nbib"
    mine.parent.mkdir(parents=True)
    mine.write_text(MEDLINE, encoding="utf-8")
    assert init(tmp_path / "eco", mine).exit_code == 0
    assert config_of(tmp_path / "eco")["rounds"][0]["searches"][0]["exports"] == [
        "searches/pubmed.nbib"
    ]
    assert not (tmp_path / "eco/raw_exports").exists()


def test_a_bad_export_stops_init_with_its_name_and_line_and_writes_nothing(exports, tmp_path):
    broken = tmp_path / "downloads/broken.nbib"
    broken.write_text(
        MEDLINE.replace("PMID- ", "PMID- x", 1), encoding="utf-8"
    )  # a PMID that is no number
    result = init(tmp_path / "eco", exports[0], broken)
    assert result.exit_code == 2
    assert f"{broken}:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "eco").exists()


def test_from_the_repository_it_prints_the_snakemake_command(exports, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    review = tmp_path / "eco"
    result = init(review, *exports, "--title", "Grazing and soil carbon")
    assert result.exit_code == 0, result.output
    command = f"snakemake --cores 2 --directory {review}"
    assert command in result.output
    readme = (review / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Grazing and soil carbon\n") and command in readme
    assert config_of(review)["review"]["title"] == "Grazing and soil carbon"


def test_elsewhere_it_prints_the_command_with_the_repositorys_snakefile(exports, tmp_path):
    result = init("eco", *exports)
    assert result.exit_code == 0, result.output
    assert (
        f"snakemake --cores 2 --snakefile {REPO / 'Snakefile'} --directory {tmp_path / 'eco'}"
        in result.output
    )
    assert config_of(tmp_path / "eco")["review"]["title"] == "eco"


def test_a_title_yaml_would_misread_is_kept_as_written(exports, tmp_path):
    title = 'Grazing: "soil" carbon # a meta-analysis'
    assert init(tmp_path / "eco", exports[0], "--title", title).exit_code == 0
    assert config_of(tmp_path / "eco")["review"]["title"] == title


@pytest.mark.parametrize(
    "eligibility", [{"automation": None, "full_text": None}, {"automation": {}}, None]
)
def test_a_reviewer_who_empties_or_drops_the_rules_has_a_valid_config(
    exports, tmp_path, eligibility
):
    """`automation:` and `full_text:` with every example line commented out read as null."""
    assert init(tmp_path / "eco", *exports).exit_code == 0
    config = config_of(tmp_path / "eco")
    if eligibility is None:
        del config["eligibility"]
    else:
        config["eligibility"] = eligibility
    validate(config, "config.yaml")


def test_database_names_a_file_however_its_path_is_written(exports, tmp_path):
    result = init(
        tmp_path / "eco",
        "downloads/pubmed.nbib",
        "--database",
        "./downloads/../downloads/pubmed.nbib=PubMed",
    )
    assert result.exit_code == 0, result.output
    assert config_of(tmp_path / "eco")["rounds"][0]["searches"][0]["database"] == "PubMed"


EMBASE_COM_RIS = (
    "TY  - JOUR\nDB  - Embase\nDB  - Medline\nU2  - "
    "L2029880245\nTI  - Grazing and soil carbon\nPY  - 2024\n"
    "ER  - \n\nTY  - JOUR\nDB  - Medline\nU2  - L644585435\nTI  - "
    "Hedgerow pollinators\nPY  - 2024\nER  - \n"
)


def test_an_embase_com_export_with_records_it_holds_from_medline_is_embase(exports, tmp_path):
    embase = tmp_path / "downloads/records.ris"
    embase.write_text(EMBASE_COM_RIS, encoding="utf-8")
    result = init(tmp_path / "eco", embase)
    assert result.exit_code == 0, result.output
    assert config_of(tmp_path / "eco")["rounds"][0]["searches"][0]["database"] == "Embase"


def test_an_export_mixing_databases_needs_database(exports, tmp_path):
    import pandas as pd

    from reviewflow.errors import ReviewflowError
    from reviewflow.init import file_database

    mixed = pd.DataFrame(
        {"source_db": ["Embase", "MEDLINE", "MEDLINE"], "source_id": ["L1", "12345678", "L2"]}
    )
    with pytest.raises(
        ReviewflowError, match=r"several databases \(Embase 2, MEDLINE 1\).*--database"
    ):
        file_database(mixed, "ovid.ris")
