"""Match keys: the forms databases write the same thing in compare equal."""

from dedup_helpers import frame

from reviewflow.dedup import DedupSettings
from reviewflow.dedup.normalise import normalise


def keys(*records):
    return normalise(frame(*records), DedupSettings.of())


def test_title_decorations_case_html_and_diacritics_are_removed():
    k = keys(
        dict(
            title="Effect of IVIG on <i>skin</i> fibrosis in systemic "
            "sclérosis. [Erratum appears in Ann Rheum Dis 2014]"
        ),
        dict(title="EFFECT OF IVIG ON SKIN FIBROSIS IN SYSTEMIC SCLEROSIS [Chinese]"),
        dict(title="[Effect of IVIG on skin fibrosis in systemic sclerosis]."),
        dict(title="P123: Effect of IVIG on skin-fibrosis in systemic sclerosis"),
        dict(title="Effect of IVIG on skin fibrosis in systemic sclerosis. [Review] [33 refs]"),
        dict(
            title="Effect of IVIG on skin fibrosis in systemic "
            "sclerosis.[Erratum appears in Ann Rheum Dis. 20"
        ),
    )
    assert set(k["title_key"]) == {"effect of ivig on skin fibrosis in systemic sclerosis"}
    assert (k["kind"] == "").all()


def test_title_kinds_numbers_and_generic_titles():
    k = keys(
        dict(title="Erratum: Effect of IVIG"),
        dict(title="Comment on: Effect of IVIG"),
        dict(title="Effect of IVIG - Authors' reply"),
        dict(title="Guidelines, Part II: lungs"),
        dict(title="Editorial"),
        dict(
            title="Communications of the AIS Volume 52 Paper 45",
            journal="Communications of the AIS",
        ),
    )
    assert k["kind"].tolist()[:3] == ["erratum", "comment", "comment"]
    assert k["title_numbers"].iloc[3] == "2"
    assert k["generic"].tolist() == [False, False, False, False, True, True]


def test_author_forms_give_the_same_surnames():
    k = keys(
        dict(author=["Adeli K.Lewis G. F."]),
        dict(author="B. Adeli; G. F. Lewis"),
        dict(author="Adeli, Khosrow; Lewis, Gary F."),
        dict(author="Adeli K; Lewis GF, et al."),
        dict(author="Anonymous"),
    )
    assert k["authors_key"].tolist()[:4] == ["adeli lewis"] * 4
    assert k["first_author"].tolist()[:4] == ["adeli"] * 4
    assert k["authors_key"].iloc[4] == ""


def test_journal_abbreviations_share_the_initialism():
    k = keys(
        dict(journal="Curr Opin Lipidol"),
        dict(journal="Current Opinion in Lipidology"),
        dict(journal="Proceedings of the 12th Conference on X"),
    )
    assert k["journal_init"].iloc[0] == k["journal_init"].iloc[1] == "col"
    assert k["venue"].tolist() == ["", "", "conference"]


def test_page_volume_and_doi_forms():
    k = keys(
        dict(pages="1201-7", volume="72 (7)", doi="https://doi.org/10.1136/ANNRHEUMDIS-2012"),
        dict(pages="S1201-S1207", volume="72", doi="doi:10.1136/annrheumdis-2012"),
        dict(pages="11-Sep", volume="1)", doi="10.1002/14651858.CD002273.pub3"),
        dict(pages="e0123456", doi="10.1002/14651858.CD002273.pub2"),
    )
    assert k["page_start"].tolist() == ["1201", "1201", "", "123456"]
    assert k["volume"].tolist() == ["72", "72", "", ""]
    assert k["doi_key"].iloc[0] == k["doi_key"].iloc[1] == "10.1136/annrheumdis-2012"
    assert k["doi_key"].iloc[2] == k["doi_key"].iloc[3] == "10.1002/14651858.cd002273"
    assert k["elocator"].tolist() == [False, False, False, True]


def test_symbols_entities_dashes_and_spellings_meet_in_one_form():
    k = keys(
        dict(
            title="Serum TNF-\u03b1 in haematological tumours of paediatric "
            "patients: a randomised, multi\u2010centre study of 10 000 "
            "children"
        ),
        dict(
            title="Serum TNF-&alpha; in hematological tumors of pediatric "
            "patients: a randomized, multi-center study of 10,000 "
            "children"
        ),
        dict(
            title="Serum TNF-alpha in hematological tumors of pediatric "
            "patients - a randomized, multi center study of 10000 "
            "children"
        ),
    )
    assert k["title_key"].str.replace(" ", "").nunique() == 1
    assert k["title_key"].iloc[0] == k["title_key"].iloc[1]
    assert set(k["title_numbers"]) == {"10000"}
    # A dash between words separates them, it does not glue them ("toxinassociated").
    assert (
        keys(dict(title="Shiga-Toxin\u2013Associated HUS"))["title_key"].iloc[0]
        == "shiga toxin associated hus"
    )
    # A series number keeps its own number.
    assert keys(dict(title="Guidelines part 2 100 cases"))["title_numbers"].iloc[0] == "100 2"


def test_corrections_that_cite_their_article_are_errata():
    k = keys(
        dict(title="Eculizumab for atypical hemolytic-uremic syndrome (vol 360, pg 542, 2009)"),
        dict(
            title="Eculizumab for atypical hemolytic-uremic syndrome (New "
            "England Journal of Medicine (2009) 360 (542-544))"
        ),
        dict(title="Eculizumab for atypical hemolytic-uremic syndrome"),
        dict(title="Outcomes of eculizumab (2009-2012 cohort)"),
    )
    assert k["kind"].tolist() == ["erratum", "erratum", "", ""]
    assert k["title_key"].iloc[0] == k["title_key"].iloc[2]


def test_supplement_numbers_and_issues():
    k = keys(
        dict(title="A", volume="16", number="SUPPL. 1"),
        dict(title="A", volume="30", number="S3"),
        dict(title="A", volume="58 (Suppl 2)"),
        dict(title="A", volume="7", number="5"),
    )
    assert k["supplement"].tolist() == ["1", "3", "2", ""]
    assert k["issue"].tolist() == ["", "", "", "5"]
