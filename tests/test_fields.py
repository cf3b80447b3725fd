"""The shared field normalisers."""

import pytest

from reviewflow.ingest import fields


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("10.1016/J.SCITOTENV.2017.04.075", "10.1016/j.scitotenv.2017.04.075"),
        ("http://dx.doi.org/10.4236/ojf.2020.101008", "10.4236/ojf.2020.101008"),
        ("https://doi.org/10.1186%2F1745-6215-12-39", "10.1186/1745-6215-12-39"),
        ("doi: 10.1002/cpp.2398.", "10.1002/cpp.2398"),
        ("10.7717/peerj.5082 [doi]", "10.7717/peerj.5082"),
        ("10.0000/.", ""),
        ("S0048-9697(17)30912-9", ""),
        ("", ""),
    ],
)
def test_doi(raw, expected):
    assert fields.doi(raw) == expected
    assert fields.doi(fields.doi(raw)) == fields.doi(raw)


@pytest.mark.parametrize(
    "start, end, article, expected",
    [
        ("1005-7", None, None, ("1005-1007", "1005", "1007")),
        ("1005", "7", None, ("1005-1007", "1005", "1007")),
        ("1279\u20101297", None, None, ("1279-1297", "1279", "1297")),
        ("e5082", None, None, ("e5082", "e5082", "")),
        ("No", "Specified", None, ("", "", "")),
        (None, None, "UNSP 1722034", ("1722034", "1722034", "")),
        ("24", "26", "999", ("24-26", "24", "26")),
    ],
)
def test_page_fields(start, end, article, expected):
    assert tuple(fields.page_fields(start, end, article).values()) == expected


def test_standard_numbers():
    assert fields.issn("20964129 (ISSN)") == "2096-4129"
    assert fields.issn(["1879-1026 (Electronic)"]) == "1879-1026"
    assert fields.issn("0364-152x") == "0364-152X"
    assert fields.issn("978-0-12-345678-6") == ""
    assert fields.isbn("978-0-12-345678-6") == "9780123456786"
    assert fields.isbn("2096-4129") == ""


def test_issn_keeps_print_and_electronic_once_each_in_the_order_given():
    # One Embase CSV cell, or the RIS's two SN lines, or WoS SN + EI: the same two numbers.
    assert fields.issn("1932-8494 (electronic),1932-8486") == "1932-8494; 1932-8486"
    assert fields.issn(["1932-8494", "1932-8486"]) == "1932-8494; 1932-8486"
    assert (
        fields.issn(["0022-3514 (Print)", "1939-1315 (Electronic)", "0022-3514 (Linking)"])
        == "0022-3514; 1939-1315"
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Levy, Yair", "Levy, Yair"),
        ("Levy Y", "Levy, Y"),
        ("Adler D.G.", "Adler, D.G."),
        ("Y. S. Levy", "Levy, Y. S."),
        ("Li, W.", "Li, W."),
        ("  Toloza O Costa,  Maria  ", "Toloza O Costa, Maria"),
    ],
)
def test_author(raw, expected):
    assert fields.author(raw) == expected


def test_publication_type_picks_the_most_specific():
    assert fields.publication_type(["Journal Article", "Review"]) == "review"
    assert fields.publication_type(["Article", "Proceedings Paper"]) == "conference paper"
    assert fields.publication_type("Conference Abstract") == "conference abstract"
    assert fields.publication_type(["Published Erratum"]) == "erratum"
    assert fields.publication_type(["Comparative Study"]) == "other"
    assert fields.publication_type("GEN") == ""
    assert fields.publication_type([]) == ""


def test_language_and_year():
    assert [fields.language(v) for v in ("eng", "EN", "English", "Klingon")] == ["English"] * 3 + [
        "Klingon"
    ]
    assert (
        fields.year("2017 Nov 15") == 2017
        and fields.year("2020//") == 2020
        and fields.year("SEP 22") is None
    )


def test_every_mapped_publication_type_is_in_the_vocabulary():
    from reviewflow.records import PUBLICATION_TYPES

    # "" is "the source does not say" (RIS GEN), not a type.
    assert set(fields.PUBLICATION_TYPE_MAP.values()) <= set(PUBLICATION_TYPES) | {""}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("21314913", "21314913"),
        (" 0021314913 ", "21314913"),  # a tool's zero padding
        ("PMID: 21314913", "21314913"),
        ("PUBMED 21314913,EMBASE 643589775", "21314913"),  # CENTRAL lists its sources
        ("EMBASE 643589775", ""),
        ("PMC3046128", ""),  # a PubMed Central ID is another number
        ("L373791783", ""),  # Embase accession
        ("1234567890", ""),  # ten digits: no PMID
        ("0", ""),
        (None, ""),
    ],
)
def test_pmid(raw, expected):
    assert fields.pmid(raw) == expected
    assert fields.pmid(fields.pmid(raw)) == fields.pmid(raw)
