import pytest
import yaml
from extraction_fixtures import frames
from openpyxl import load_workbook

from reviewflow.errors import ReviewflowError
from reviewflow.extraction import included_studies, load_spec, spec_from_config, write_extraction

CUSTOM = {
    "designs": [{"name": "Cluster RCT", "rob": "rob2"}, {"name": "Cohort", "rob": "robins_i"}],
    "fields": [
        {"name": "Setting", "values": ["Hospital", "Community"], "note": "Where"},
        {"name": "Arms", "type": "integer", "required": True, "note": "Number of arms"},
    ],
    "domains": [{"name": "Mortality", "outcomes": ["30-day"]}, {"name": "QoL"}],
}


def test_config_decides_the_fields_and_domains(tmp_path):
    spec = spec_from_config(CUSTOM)
    ledger, works = frames()
    write_extraction(included_studies(ledger, works), spec, tmp_path / "x.xlsx")
    header = [c.value for c in load_workbook(tmp_path / "x.xlsx")["Extraction"][1]]
    assert header[7:] == [
        "Design",
        "Setting",
        "Arms",
        "Mortality reported",
        "Mortality: 30-day",
        "QoL reported",
    ]
    assert spec.designs == {"Cluster RCT": "rob2", "Cohort": "robins_i"}


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"designs": [{"name": "RCT", "rob": "cochrane"}]},
            "extraction.designs[0].rob: 'cochrane' is not one of rob2, robins_i",
        ),
        (
            {"fields": [{"name": "Design", "note": ""}]},
            "extraction: column names used twice: ['Design']",
        ),
        (
            {"fields": [{"name": "n", "type": "float", "note": ""}]},
            "extraction.fields[0].type: 'float' is not one of text, integer",
        ),
        (
            {"domains": [{"title": "no name"}]},
            "extraction.domains[0].name: missing: this setting is required",
        ),
    ],
)
def test_bad_settings_are_clear_errors_naming_file_and_setting(tmp_path, change, message):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"extraction": {**CUSTOM, **change}}))
    with pytest.raises(ReviewflowError) as info:
        load_spec(path)
    assert f"{path}: {message}" in str(info.value)
