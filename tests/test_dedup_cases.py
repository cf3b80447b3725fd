"""The hard cases users report, one small record table each."""

import pytest
from dedup_helpers import BASE, frame, works

from reviewflow.dedup import deduplicate


def test_same_record_from_two_databases_is_one_work():
    other = BASE | dict(
        title="INTRAVENOUS IMMUNOGLOBULIN FOR DIFFUSE CUTANEOUS SYSTEMIC "
        "SCLEROSIS: A RANDOMISED TRIAL.",
        author="Takehara K.Ihn H.Sato S.",
        journal="Ann Rheum Dis",
        pages="1201-7",
    )
    assert works(BASE, other) == 1


def test_conference_abstract_and_full_paper_are_distinct():
    abstract = BASE | dict(
        journal="Arthritis Rheumatol",
        volume="64",
        pages="S512",
        year="2012",
        publication_type="conference abstract",
    )
    assert works(BASE, abstract) == 2
    # Even with nothing else to tell them apart, the publication types do.
    bare = {k: v for k, v in abstract.items() if k not in ("volume", "pages", "journal")} | {
        "year": "2013"
    }
    assert works(BASE, bare) == 2


def test_erratum_comment_and_reply_are_distinct_from_the_original():
    erratum = BASE | dict(title="Erratum: " + BASE["title"], number="9", pages="1590")
    same_pages_erratum = BASE | dict(publication_type="erratum", number="9", pages="1590")
    comment = BASE | dict(title="Comment on: " + BASE["title"], author="Denton, C P", pages="e45")
    reply = BASE | dict(title=BASE["title"] + " - Authors' reply", pages="e46")
    assert works(BASE, erratum, same_pages_erratum, comment, reply) == 4


def test_note_about_an_erratum_does_not_make_the_original_an_erratum():
    noted = BASE | dict(
        title=BASE["title"] + " [Erratum appears in Ann Rheum Dis. 2013;72(9):1590]"
    )
    assert works(BASE, noted) == 1


def test_part_one_and_part_two_are_distinct():
    part1 = BASE | dict(
        title="Systemic sclerosis treatment guidelines, Part I: skin", pages="10-20"
    )
    part2 = part1 | dict(title="Systemic sclerosis treatment guidelines, Part II: skin")
    roman_vs_digit = part1 | dict(title="Systemic sclerosis treatment guidelines, part 1: skin")
    assert works(part1, part2) == 2
    assert works(part1, roman_vs_digit) == 1
    assert works(part2 | {"pages": None}, part1 | {"pages": None}) == 2


def test_recurring_same_title_items_in_different_years_are_distinct():
    intro = dict(
        title="Introduction to the minitrack on digital health",
        author="Deng, X; Taylor, J",
        journal="Proc HICSS",
    )
    assert works(intro | {"year": "2021"}, intro | {"year": "2022"}) == 2
    editorial = dict(
        title="Editorial", author="Smith, J", journal="Rheumatology", year="2020", volume="59"
    )
    assert (
        works(
            editorial | {"number": "1", "pages": "1"}, editorial | {"number": "2", "pages": "201"}
        )
        == 2
    )


def test_generic_titles_and_anonymous_authors_never_match_alone():
    a = dict(
        title="Book review",
        author="Anonymous",
        journal="European Journal of Information Systems",
        year="1995",
    )
    b = dict(
        title="Book review",
        author="Anonymous",
        journal="European Journal of Information Systems",
        year="1995",
    )
    assert works(a, b) == 2
    unknown = dict(title="UNKNOWN", author="Hall, Dianne", year="2020", journal="AMCIS")
    assert works(unknown, unknown | {"author": "Hall, Gillian"}) == 2


def test_same_doi_on_different_works_is_not_enough():
    chapter = dict(
        title="Scleroderma renal crisis",
        author="Steen, V",
        year="2017",
        doi="10.1007/978-3-319-31407-5",
    )
    other = dict(
        title="Pulmonary arterial hypertension in systemic sclerosis",
        author="Hassoun, P",
        year="2017",
        doi="10.1007/978-3-319-31407-5",
    )
    assert works(chapter, other) == 2


def test_truncated_doi_does_not_match_the_full_doi():
    full = BASE | dict(doi="10.17705/1CAIS.05003")
    landing = dict(
        title="Communications of the Association for Information Systems",
        author="UNKNOWN",
        doi="10.17705/1CAIS.",
    )
    assert works(full, landing) == 2


def test_doi_missing_on_one_side_is_the_same_work():
    assert works(BASE | dict(doi="10.1136/annrheumdis-2012-202239"), BASE) == 1


def test_translated_title_with_the_same_citation_is_the_same_work():
    english = BASE | dict(
        title="[Immunoglobulin therapy in systemic sclerosis]. [German]",
        journal="Z Rheumatol",
        volume="80",
        pages="325-332",
    )
    original = english | dict(
        title="Immunglobulintherapie bei systemischer Sklerose",
        journal="Zeitschrift fur Rheumatologie",
    )
    assert works(english, original) == 1


def test_online_first_year_and_pages_are_the_same_work():
    issue = BASE | dict(year="2014", doi="10.1136/x")
    online = {k: v for k, v in BASE.items() if k not in ("volume", "number")} | dict(
        year="2013", pages="1-7"
    )
    assert works(issue, online) == 1


@pytest.mark.parametrize("policy, expected", [("same", 1), ("distinct", 2)])
def test_cochrane_review_versions_follow_the_policy(policy, expected):
    v2 = dict(
        title="Air versus oxygen for resuscitation of infants at birth",
        author="Tan A.Schulze A.Davis P. G.",
        journal="Cochrane Database Syst Rev",
        year="2004",
        number="3",
        pages="CD002273",
        doi="10.1002/14651858.CD002273.pub2",
    )
    v3 = v2 | dict(year="2005", number="2", doi="10.1002/14651858.CD002273.pub3")
    assert works(v2, v3, cochrane_versions=policy) == expected


@pytest.mark.parametrize("policy, expected", [("same", 1), ("distinct", 2)])
def test_preprint_and_journal_version_follow_the_policy(policy, expected):
    preprint = {k: v for k, v in BASE.items() if k not in ("volume", "number", "pages")} | dict(
        journal="medRxiv", year="2012", doi="10.1101/2012.01.01.12345678"
    )
    journal = BASE | dict(doi="10.1136/annrheumdis-2012-202239")
    assert works(preprint, journal, preprint_journal=policy) == expected


def test_records_without_title_authors_or_year_are_kept_and_matched_on_what_they_have():
    empty = dict(title=None, author=None, year=None, journal="Ann Rheum Dis")
    no_title = {k: v for k, v in BASE.items() if k != "title"} | dict(
        doi="10.1136/annrheumdis-2012-202239"
    )
    result = deduplicate(frame(BASE | dict(doi=no_title["doi"]), no_title, empty, empty))
    clusters = result.clusters
    assert len(clusters) == 4
    assert (
        clusters["cluster_id"].nunique() == 3
    )  # BASE + no_title (same DOI); the two empty records stay apart


def test_a_record_without_title_is_not_merged_on_its_citation_but_listed_for_the_reviewer():
    # A notice or reply indexed under its article's citation looks like this; no
    # title-based check can tell, so the reviewer decides.
    no_title = {k: v for k, v in BASE.items() if k != "title"}
    result = deduplicate(frame(BASE, no_title))
    assert result.clusters["cluster_id"].nunique() == 2
    assert result.possible["reason"].tolist() == ["no title, citation agrees"]


def test_matches_cannot_chain_two_different_works():
    a = BASE | dict(doi="10.1/a")
    bridge = {k: v for k, v in BASE.items() if k not in ("volume", "number", "pages")}
    c = BASE | dict(doi="10.1/c", volume="73", pages="99-105")
    result = deduplicate(frame(a, bridge, c))
    cluster = result.clusters.set_index("source_index")["cluster_id"]
    assert cluster[1] != cluster[3]
    assert cluster[2] in (cluster[1], cluster[3])


def test_supplement_number_read_as_the_volume_is_no_conflict():
    abstract = BASE | dict(
        volume="16", number="SUPPL. 1", pages="", publication_type="conference abstract"
    )
    broken = abstract | dict(volume="1", number="NA", pages="i22-i23")
    assert works(abstract, broken) == 1
    # A different volume that is not the supplement number still tells them apart.
    assert works(abstract, broken | {"volume": "2"}) == 2


def test_volume_issue_and_page_read_one_field_late_is_no_conflict():
    meeting = BASE | dict(
        volume="26", number="9", pages="1746", publication_type="conference abstract"
    )
    shifted = meeting | dict(volume=None, number="26", pages="9")
    assert works(meeting, shifted) == 1
    assert works(meeting, shifted | {"pages": "10"}) == 2


def test_correction_citing_its_article_is_distinct_without_pages():
    wos = BASE | dict(title=BASE["title"] + " (vol 72, pg 1201, 2013)", pages=None, number=None)
    assert works(BASE | {"pages": None, "number": None}, wos) == 2


def test_bare_records_whose_titles_swap_a_word_are_distinct():
    trial = dict(
        title="Open label controlled trial of eculizumab in adult patients "
        "with plasma therapy-resistant aHUS",
        author="Alexion Pharmaceuticals",
        year="2011",
    )
    adolescent = trial | dict(title=trial["title"].replace("adult", "adolescent"))
    assert works(trial, adolescent) == 2
    # A spelling variant or an added word is not a swap.
    assert works(trial, trial | dict(title=trial["title"].replace("therapy", "therapies"))) == 1
    # With the citation in common, a swapped word is one work worded two ways.
    cited = dict(journal="Blood", volume="118", pages="101-110")
    assert works(trial | cited, adolescent | cited) == 1


def test_double_surnames_with_and_without_hyphen_are_one_author_list():
    """Web of Science hyphenates double surnames ("Mendoza-Vasquez, M"), the others do not;
    with no DOI to go on, the author lists must still agree."""
    base = dict(
        title="Patient-reported fatigue of high-dose intravenous "
        "immunoglobulin in Guillain-Barre syndrome",
        author="Mendoza Vásquez, Martin C; Ortega Valente, Marco; Teixeira "
        "Oliveira, Amara T; Papadakis, Markus T",
        year="2024",
        journal="Journal of Neuromuscular Immunology",
        volume="40",
        pages="1374",
        publication_type="conference abstract",
    )
    wos = base | dict(
        author="Mendoza-Vasquez, Martin C; Ortega-Valente, Marco; Teixeira-Oliveira, Amara T; "
        "Papadakis, Markus T",
        journal="JOURNAL OF NEUROMUSCULAR IMMUNOLOGY",
        pages="1374-1374",
    )
    assert works(base, wos) == 1
