"""The 25 labelled record pairs of ../shared/benchmarks/dedup/hard_pairs.json, one test each."""

import json

import pytest
from dedup_helpers import frame

from reviewflow.dedup import deduplicate

SHARED_CASES = "benchmarks/dedup/hard_pairs.json"


def _cases():
    from fixtures import SHARED

    path = SHARED / SHARED_CASES
    if not path.is_file():
        return []
    return json.loads(path.read_text())["cases"]


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["id"])
def test_hard_pair(case):
    keep = (
        "ID",
        "ENTRYTYPE",
        "author",
        "title",
        "year",
        "journal",
        "booktitle",
        "volume",
        "number",
        "pages",
        "doi",
        "abstract",
    )
    records = frame(
        *(
            {k: v for k, v in case[side].items() if k in keep and v}
            for side in ("record_a", "record_b")
        )
    )
    result = deduplicate(records)
    merged = result.clusters["cluster_id"].nunique() == 1
    assert merged == case["expected_duplicate"], case["note"]
