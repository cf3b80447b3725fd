"""Every candidate pair kept apart names the veto that did it."""

from dedup_helpers import frame

from reviewflow.dedup import compared_pairs
from reviewflow.dedup.compare import VETOES

BASE = dict(
    title="Intravenous immunoglobulin for diffuse cutaneous systemic sclerosis",
    author="Poelman, C; Hummers, L",
    year="2015",
    journal="Arthritis Rheumatol",
    volume="67",
    pages="101-110",
)


def verdict(*records):
    pairs = compared_pairs(frame(*records))
    assert len(pairs) == 1
    return pairs.iloc[0]


def test_a_pair_kept_apart_by_two_dois_names_the_doi_veto():
    pair = verdict(BASE | dict(doi="10.1000/a"), BASE | dict(doi="10.1000/b"))
    assert pair["rule"] == "" and pair["veto"] == "doi"


def test_a_pair_kept_apart_by_several_fields_names_each_in_veto_order():
    pair = verdict(BASE, BASE | dict(volume="70", pages="300-310", year="2019"))
    assert pair["veto"].startswith("volume+pages+year_gap")
    assert all(name in VETOES for name in pair["veto"].split("+"))


def test_a_merged_pair_has_no_veto():
    pair = verdict(BASE, BASE | dict(journal="Arthritis & Rheumatology"))
    assert pair["rule"] != "" and pair["veto"] == ""
