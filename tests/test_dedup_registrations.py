"""Trial-register IDs in deduplication, on the real register samples: one trial's
registrations are one work, different trials' registrations never are, and an
article naming a registration's ID is linked to it, not merged with it."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from dedup_helpers import frame

from reviewflow.dedup import deduplicate
from reviewflow.dedup.related import TRIAL_REPORT
from reviewflow.ingest import read_export
from reviewflow.screening.ledger import notices_of

CTGOV_CSV = "ctgov_modern/ctg-studies__Marc-Morcos_urology.csv"
CTGOV_ZIP = "ctgov_modern/ctg-studies.json__Marc-Morcos_urology.zip"
ICTRP_CSV = "who_ictrp/COVID19-927-trials_7Apr2020__ebmdatalab.csv"
ICTRP_XML = "who_ictrp/ICTRP-Results(1)__machado-t_2024.xml"
CENTRAL = "cochrane_central_registers/Cochrane__ferenci-tamas_favipiravir.ris"


def run(*frames):
    records = pd.concat(frames, ignore_index=True)
    result = deduplicate(records)
    work = result.clusters.set_index("record_id")["cluster_id"]
    return records, result, work


def sample(shared, name):
    return read_export(shared / "samples" / name, name=name)


def header(shared, name) -> list[str]:
    with open(shared / "samples" / name, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def written(path, columns, rows):
    """A CSV download in a register's own layout (its header), holding ``rows``."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return read_export(path, name=path.name)


def records_of(records, register_id):
    return records.loc[
        records["register_ids"].map(lambda ids: register_id in ids), "record_id"
    ].tolist()


def test_the_same_trial_from_clinicaltrials_gov_and_ictrp_is_one_work(shared, tmp_path):
    # ICTRP re-publishes ClinicalTrials.gov's entries: its NCT records, as ClinicalTrials.gov lists
    # them.
    ictrp = sample(shared, ICTRP_CSV)
    raw = pd.read_csv(shared / "samples" / ICTRP_CSV, dtype=str, keep_default_na=False)
    nct = raw[raw["TrialID"].str.startswith("NCT")].head(3)
    ctgov = written(
        tmp_path / "ctg-studies.csv",
        header(shared, CTGOV_CSV),
        [
            {
                "NCT Number": r["TrialID"],
                "Study Title": r["Public title"],
                "Sponsor": r["Primary sponsor"],
                "Study URL": f"https://clinicaltrials.gov/study/{r['TrialID']}",
                "Conditions": r["Condition"],
                "First Posted": "-".join(
                    (
                        r["Date registration3"][:4],
                        r["Date registration3"][4:6],
                        r["Date registration3"][6:],
                    )
                ),
            }
            for _, r in nct.iterrows()
        ],
    )
    records, result, work = run(ctgov, ictrp)
    for trial in nct["TrialID"]:
        both = records_of(records, trial)
        assert len(both) == 2 and work[both[0]] == work[both[1]]
    assert set(
        result.pairs.loc[
            result.pairs["record_a"].isin(ctgov["record_id"])
            | result.pairs["record_b"].isin(ctgov["record_id"]),
            "rule",
        ]
    ) == {"trial_id"}


def test_two_clinicaltrials_gov_downloads_of_one_search_hold_the_same_635_works(shared):
    records, result, work = run(sample(shared, CTGOV_CSV), sample(shared, CTGOV_ZIP))
    assert len(records) == 2 * 635 and len(result.works) == 635
    own = records["register_ids"].str[0]
    assert work.reindex(records["record_id"]).groupby(own.to_numpy()).nunique().eq(1).all()


def test_one_download_of_a_register_lists_each_trial_once(shared):
    """Entries of one register under different IDs are different trials, however alike their
    titles ("A Study in Erectile Dysfunction" twice, "Treatment of Erectile Dysfunction I"/"II")."""
    records, result, _ = run(sample(shared, CTGOV_CSV))
    assert len(result.works) == len(records) == 635


def test_ictrp_records_of_one_eudract_trial_per_member_state_are_one_work(shared):
    records, _, work = run(sample(shared, ICTRP_XML))
    national = records.loc[records["source_id"].str.startswith("EUCTR2021-000037-14-"), "record_id"]
    assert len(national) >= 3 and work[national].nunique() == 1


def test_ictrp_bridges_one_trials_entries_in_several_registers_through_secondary_ids(shared):
    # jRCT2071210009 lists NCT04136184 and EudraCT 2019-001698-10; the Dutch and EU entries list
    # them too.
    records, _, work = run(sample(shared, ICTRP_XML))
    entries = records.loc[
        records["source_id"].isin(
            ["JPRN-jRCT2071210009", "NL-OMON55279", "EUCTR2019-001698-10-PT"]
        ),
        "record_id",
    ]
    assert len(entries) == 3 and work[entries].nunique() == 1


def test_centrals_copies_of_ictrp_entries_are_one_work_with_them(shared):
    central, ictrp = sample(shared, CENTRAL), sample(shared, ICTRP_CSV)
    records, _, work = run(central, ictrp)
    shared_ids = set(central["register_ids"].explode().dropna()) & set(ictrp["register_ids"].str[0])
    assert shared_ids  # ChiCTR and jRCT trials, from CENTRAL's "ICTRP ..." source field
    for trial in shared_ids:
        assert work[records_of(records, trial)].nunique() == 1


def test_centrals_ctgov_form_with_unicode_hyphens_meets_the_registers_own_ids(shared, tmp_path):
    # CENTRAL's source field reads "CTgov NCT05155527" and "ICTRP EUCTR2020‐002728‐35‐HU" (U+2010).
    central = sample(shared, CENTRAL)
    by_id = {
        ids[0]: row for ids, (_, row) in zip(central["register_ids"], central.iterrows()) if ids
    }
    nct, eudract = by_id["NCT05155527"], by_id["EUCTR2020-002728-35"]
    ctgov = written(
        tmp_path / "ctg-studies.csv",
        header(shared, CTGOV_CSV),
        [
            {
                "NCT Number": "NCT05155527",
                "Study Title": nct["title"],
                "Study URL": nct["journal"],
                "Sponsor": "Ain Shams University",
                "First Posted": "2021-12-13",
            }
        ],
    )
    ictrp = written(
        tmp_path / "ictrp.csv",
        header(shared, ICTRP_CSV),
        [
            {
                "TrialID": "EUCTR2020-002728-35-HU",
                "Public title": eudract["title"],
                "Date registration": "17/06/2020",
                "Date registration3": "20200617",
                "Source Register": "EU Clinical Trials Register",
                "web address": eudract["journal"],
            }
        ],
    )
    records, _, work = run(central, ctgov, ictrp)
    assert work[nct["record_id"]] == work[ctgov["record_id"].iloc[0]]
    assert work[eudract["record_id"]] == work[ictrp["record_id"].iloc[0]]


def test_an_article_naming_a_registrations_id_is_linked_to_it_not_merged(shared):
    records, result, work = run(sample(shared, CENTRAL))
    article = records.loc[
        records["title"].str.startswith(
            "Randomized controlled trial of favipiravir, hydroxychloroquine"
        )
    ]
    registration = records_of(records, "NCT04387760")
    assert "NCT04387760" in article["abstract"].iloc[0] and len(registration) == 1
    article_id = article["record_id"].iloc[0]
    link = result.related[result.related["related_record"] == article_id]
    assert link[["work_record", "relation", "evidence"]].values.tolist() == [
        [registration[0], TRIAL_REPORT, "NCT04387760"]
    ]
    assert work[article_id] != work[registration[0]]


def test_no_work_holds_a_registration_and_an_article(shared):
    records, _, work = run(sample(shared, CENTRAL), sample(shared, ICTRP_CSV))
    registration = records.set_index("record_id")["publication_type"].eq("trial registration")
    assert registration.groupby(work.reindex(registration.index).to_numpy()).nunique().eq(1).all()


def test_an_extension_study_listing_its_parent_trial_stays_another_trial():
    parent = dict(
        title="Long-term safety of drug X in adults with condition Y",
        author="Sponsor Inc",
        year="2019",
        journal="ClinicalTrials.gov",
        publication_type="trial registration",
    )
    records = frame(
        parent, dict(parent, journal="ICTRP"), dict(parent, title=parent["title"] + ": extension")
    )
    records["register_ids"] = [["NCT01000001"], ["NCT01000001"], ["NCT01000002", "NCT01000001"]]
    work = deduplicate(records).clusters.set_index("record_id")["cluster_id"]
    assert work["test.ris:1"] == work["test.ris:2"] != work["test.ris:3"]


@pytest.mark.parametrize("relation, shown", [(TRIAL_REPORT, True), ("meeting_abstract", False)])
def test_the_registrations_ledger_row_names_the_reports_of_its_trial(relation, shown):
    related = pd.DataFrame(
        [
            {
                "work_key": "rf-1",
                "work_record": "ctgov.csv:1",
                "related_record": "medline.nbib:4",
                "relation": relation,
                "evidence": "NCT01000001",
            }
        ]
    )
    notices = notices_of(pd.Series(["rf-1", "rf-2"]), related).tolist()
    assert notices == ([f"{TRIAL_REPORT}: medline.nbib:4", ""] if shown else ["", ""])
