"""Decisions from evidence that holds on any set: recurring titles, venues, identifiers,
decorations."""

from dedup_helpers import BASE, frame, works

from reviewflow.dedup import compared_pairs, deduplicate

NOTE = dict(title="Editor's Notes", author="Liu, Ling", year="2002", journal="SIGMOD Record")


def with_db(db, **values):
    return values | {"source_db": db}


def db_frame(*records):
    table = frame(*[{k: v for k, v in r.items() if k != "source_db"} for r in records])
    table["source_db"] = [r.get("source_db", "") for r in records]
    return table


def test_a_title_one_database_lists_twice_in_a_year_needs_a_locator_to_merge():
    records = db_frame(with_db("DBLP", **NOTE), with_db("DBLP", **NOTE), with_db("ACM", **NOTE))
    result = deduplicate(records)
    assert result.clusters["cluster_id"].nunique() == 3
    pairs = compared_pairs(records)
    assert (pairs["rule"] == "").all() and pairs["veto"].str.contains("recurring_title").all()


def test_one_database_searched_again_in_an_update_is_another_export_not_a_recurring_title():
    # The same paper in the original and the update round's Web of Science exports,
    # neither with a DOI: two searches, so no sign the title names two works.
    paper = with_db(
        "Web of Science",
        **{k: v for k, v in BASE.items() if k not in ("volume", "number", "pages")},
    )
    records = db_frame(paper, paper, with_db("Embase", **BASE))
    records["source_file"] = ["wos.txt", "update/wos.txt", "embase.ris"]
    records["record_id"] = records["source_file"] + ":1"
    assert deduplicate(records).clusters["cluster_id"].nunique() == 1


def test_a_recurring_title_with_a_matching_issue_merges_and_a_different_issue_keeps_apart():
    dblp = [with_db("DBLP", **NOTE, volume="31", number=str(n)) for n in (1, 2)]
    acm = [with_db("ACM", **NOTE, volume="31", number=str(n)) for n in (1, 2)]
    assert deduplicate(db_frame(*dblp, *acm)).clusters["cluster_id"].nunique() == 2


def test_one_item_told_apart_only_by_its_issue_is_two_works():
    # An issue-paginated magazine: each issue starts again at page 1.
    column = BASE | dict(pages="12-14")
    assert works(column, column | dict(number="8")) == 2


def test_a_wrong_issue_on_a_volume_paginated_article_does_not_split_it():
    assert works(BASE, BASE | dict(number="25", pages="1201")) == 1


def test_one_doi_on_two_pages_of_a_supplement_is_no_evidence_against_the_pages():
    doi = "10.1002/dmrr.2604"
    abstract = BASE | dict(doi=doi, number="S3", pages="51")
    assert works(abstract, abstract | dict(title=BASE["title"] + " in mice", pages="52")) == 2


def test_same_title_and_authors_in_another_journal_a_year_later_is_another_work():
    abstract = BASE | dict(
        journal="Arthritis and Rheumatism", volume="64", number="10 Suppl", pages="S512"
    )
    paper = BASE | dict(year="2014", volume="", number="", pages="")
    assert works(abstract | dict(year="2012", volume="", number="", pages=""), paper) == 2


def test_same_citation_with_an_unrelated_title_is_another_work():
    column = BASE | dict(title="Reflections on a decade of scleroderma clinics and their patients")
    assert works(BASE, column) == 2


def test_same_citation_with_a_translated_title_is_one_work():
    translated = BASE | dict(
        title="[Immunoglobulines intraveineuses dans la sclerodermie cutanee diffuse]"
    )
    assert works(BASE, translated) == 1


def test_a_shared_doi_outweighs_article_number_against_page_range():
    doi = "10.3389/fimmu.2021.583"
    assert (
        works(
            BASE | dict(doi=doi, pages="583", number=""),
            BASE | dict(doi=doi, pages="1-21", number=""),
        )
        == 1
    )


def test_a_shared_doi_outweighs_online_first_pages_and_year():
    doi = "10.1136/annrheumdis-2012-202239"
    online = BASE | dict(doi=doi, year="2012", volume="", number="", pages="1-9")
    assert works(online, BASE | dict(doi=doi)) == 1


def test_a_shared_doi_does_not_merge_an_erratum_with_its_article():
    doi = "10.1136/annrheumdis-2012-202239"
    erratum = BASE | dict(doi=doi, title="Erratum: " + BASE["title"], pages="1590")
    assert works(BASE | dict(doi=doi), erratum) == 2


def test_a_library_label_around_the_title_is_not_title_text():
    talk = dict(
        title="Indexing Multimedia Databases",
        author="Faloutsos, Christos",
        year="1995",
        journal="SIGMOD Conference",
        ENTRYTYPE="inproceedings",
    )
    for decorated in (
        "Indexing multimedia databases (tutorial)",
        "Tutorial: Indexing Multimedia Databases",
        "Indexing Multimedia Databases (Panel Abstract)",
        "Indexing multimedia databases - Book Review",
    ):
        assert works(talk, talk | dict(title=decorated)) == 1, decorated


def test_question_marks_for_letters_meet_html_entities():
    dblp = dict(
        title="Optimizing Multi-Feature Queries for Image Databases",
        author="G?ntzer, Ulrich; Kie?ling, Werner",
        year="2000",
        journal="VLDB",
        ENTRYTYPE="inproceedings",
    )
    acm = dblp | dict(
        author="G&#252;ntzer, Ulrich; Kie&#223;ling, Werner", journal="Very Large Data Bases"
    )
    assert works(dblp, acm) == 1


def test_a_subtitle_on_one_side_only_is_the_same_title():
    short = dict(
        title="Are the Terms Version and Variant Orthogonal to One Another?",
        author="Wedekind, Hartmut",
        year="1994",
        journal="SIGMOD Record",
    )
    full = short | dict(
        title="Are the terms version and variant orthogonal to one another? A critical assessment",
        journal="ACM SIGMOD Record",
    )
    assert works(short, full) == 1


def test_a_journal_acronym_meets_its_full_name():
    acronym = dict(
        title="Query processing for arrays in scientific databases",
        author="Marathe, A; Salem, K",
        year="2002",
        journal="VLDB J.",
    )
    assert (
        works(
            acronym,
            acronym
            | dict(
                journal="The VLDB Journal &mdash; The International Journal on Very "
                "Large Data Bases"
            ),
        )
        == 1
    )


def test_a_number_inside_a_name_with_the_same_full_citation_is_a_typo():
    p16 = BASE | dict(
        title="p16(INK4a) expression does not predict the outcome of cervical neoplasia"
    )
    assert (
        works(
            p16,
            p16
            | dict(title="p6INK4a expression does not predict the outcome of cervical neoplasia"),
        )
        == 1
    )
