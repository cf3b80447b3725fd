"""The other-methods example: the embedded review with trial registers and citation searching.

PRISMA 2020's full template has trial registers beside the databases and a second
column for other methods. The example adds to the original round's five database
searches a ClinicalTrials.gov search (its CSV download), a WHO ICTRP search (the
portal's XML, which re-publishes ClinicalTrials.gov records) and a citation-searching
list as a reference manager exports it (Mendeley RIS, with its placeholder and
attachment records). The registrations and two of the citation list's reports are
SYNTHETIC (their IDs are placeholders no register has issued: NCT0999…, jRCT2999…;
DOIs under the test prefix 10.5555); the other reports are real references of the
review (raw_exports/README.md, "The other-methods example"). The decision files are
the original round's with the new works' decisions appended.
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from .assemble import FT_COLUMNS, TA_COLUMNS, csv_text, original_files
from .assemble import FT_DECISIONS as ORIGINAL_FT
from .assemble import TA_DECISIONS as ORIGINAL_TA
from .vocabulary import REVIEWER
from .works import SEED

DIR = "raw_exports/other_methods"
CTGOV = f"{DIR}/clinicaltrials_gov.csv"
ICTRP = f"{DIR}/ictrp.xml"
CITATIONS = f"{DIR}/citation_searching.ris"
TA_DECISIONS = "config/screening/other_methods_title_abstract.csv"
FT_DECISIONS = "config/screening/other_methods_full_text.csv"
SPONSOR = "SYNTHETIC example sponsor (not a real trial)"

# ClinicalTrials.gov's CSV download (2024 column set).
CTGOV_COLUMNS = [
    "NCT Number",
    "Study Title",
    "Study URL",
    "Acronym",
    "Study Status",
    "Study Results",
    "Conditions",
    "Interventions",
    "Primary Outcome Measures",
    "Secondary Outcome Measures",
    "Other Outcome Measures",
    "Sponsor",
    "Collaborators",
    "Sex",
    "Age",
    "Phases",
    "Enrollment",
    "Funder Type",
    "Study Type",
    "Study Design",
    "Other IDs",
    "Start Date",
    "Primary Completion Date",
    "Completion Date",
    "First Posted",
    "Results First Posted",
    "Last Update Posted",
    "Locations",
    "Study Documents",
]

# The registrations, each with its decisions: (title/abstract decision, reason) and the
# full-text facts of one sought (FT_COLUMNS without id and reviewer; None: not sought).
REGISTRATIONS = [
    {
        "id": "NCT09990001",
        "title": "Intravenous Immunoglobulin in Diffuse Cutaneous Systemic Sclerosis",
        "status": "COMPLETED",
        "conditions": "Diffuse Cutaneous Systemic Sclerosis",
        "interventions": "DRUG: Intravenous immunoglobulin|DRUG: Placebo",
        "outcome": "Modified Rodnan skin score, Change from baseline, 24 weeks",
        "phase": "PHASE3",
        "enrollment": "60",
        "start": "2019-04",
        "completion": "2022-11",
        "posted": "2019-03-04",
        "updated": "2023-01-16",
        "other_ids": "SYNTH-IVIG-001",
        "ictrp": True,  # ICTRP re-publishes it: the same trial from two registers
        "ta": ("include", ""),
        "ft": ["yes", "English", "60", "yes", "no", "Trial registration", "", "", ""],
    },
    {
        "id": "NCT09990002",
        "title": "Immunoglobulin Therapy for Systemic Sclerosis-associated Myopathy",
        "status": "RECRUITING",
        "conditions": "Systemic Sclerosis|Myopathy",
        "interventions": "DRUG: Intravenous immunoglobulin",
        "outcome": "Manual muscle testing (MMT-8), Change from baseline, 12 months",
        "phase": "PHASE2",
        "enrollment": "30",
        "start": "2022-10-01",
        "completion": "2026-06",
        "posted": "2022-09-12",
        "updated": "2024-02-05",
        "other_ids": "SYNTH-IVIG-002",
        "ictrp": False,
        "ta": ("exclude", "Ongoing trial without results"),
        "ft": None,
    },
    {
        "id": "NCT09990003",
        "title": "Subcutaneous Immunoglobulin for Gastrointestinal Involvement "
        "in Systemic Sclerosis",
        "status": "NOT_YET_RECRUITING",
        "conditions": "Systemic Sclerosis|Gastrointestinal Dysmotility",
        "interventions": "BIOLOGICAL: Subcutaneous immunoglobulin",
        "outcome": "UCLA SCTC GIT 2.0 total score, Change from baseline, 6 months",
        "phase": "PHASE2",
        "enrollment": "24",
        "start": "2024-06",
        "completion": "2026-12",
        "posted": "2024-01-22",
        "updated": "2024-01-22",
        "other_ids": "SYNTH-IVIG-003",
        "ictrp": False,
        "ta": ("exclude", "Ongoing trial without results"),
        "ft": None,
    },
]
# A trial only ICTRP has (a Japanese registry's), padded as the portal pads every value.
JRCT = {
    "id": "JPRN-jRCT2999990001",
    "title": "High-dose intravenous immunoglobulin for skin sclerosis in diffuse cutaneous "
    "systemic sclerosis: an open-label extension study",
    "register": "JPRN",
    "registered": ("15/07/2020", "20200715"),
    "status": "Not Recruiting",
    "condition": "Diffuse cutaneous systemic sclerosis",
    "intervention": "Intravenous immunoglobulin 400 mg/kg/day for 5 days",
    "ta": ("include", ""),
    "ft": ["no", "", "", "", "", "", "", "", ""],  # its results could not be obtained
}

# The citation-searching list (reference lists of the included studies and of the
# reviews), as Mendeley exports it: numeric IDs, "AB  - NA" where there is no abstract,
# a placeholder "No Title" record and an attachment exported as a record of its own.
# Each: RIS fields, then the decisions (ta, ft as above; ta None: a copy of a work the
# databases found, which the database side decides).
CITED = [
    {
        "fields": [("TY", "JOUR"), ("TI", "No Title"), ("ST", "No Title")],
        "ta": ("exclude", "Placeholder record without bibliographic data"),
    },
    {
        "fields": [
            ("TY", "GEN"),
            ("TI", "ivig_ssc_references"),
            ("ST", "ivig_ssc_references"),
            (
                "L1",
                "file://C:\\Users\\reviewer\\Documents\\Mendeley Desktop\\ivig_ssc_references.pdf",
            ),
        ],
        "ta": ("exclude", "Attachment exported as a record, not a report"),
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Levy, Y."),
            ("AU", "Amital, H."),
            ("AU", "Langevitz, P."),
            (
                "TI",
                "Intravenous immunoglobulin modulates cutaneous involvement and reduces "
                "skin fibrosis in systemic sclerosis: an open-label study",
            ),
            ("JO", "Arthritis and Rheumatism"),
            ("PY", "2004"),
            ("VL", "50"),
            ("IS", "3"),
            ("SP", "1005-1007"),
        ],
        "ta": None,
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Nacci, F."),
            ("AU", "Righi, A."),
            ("AU", "Conforti, M. L."),
            (
                "TI",
                "Intravenous immunoglobulins improve the function and ameliorate joint "
                "involvement in systemic sclerosis: a pilot study",
            ),
            ("JO", "Annals of the Rheumatic Diseases"),
            ("PY", "2007"),
            ("VL", "66"),
            ("IS", "7"),
            ("SP", "977-979"),
        ],
        "ta": None,
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Poelman, C. L."),
            ("AU", "Hummers, L. K."),
            ("AU", "Wigley, F. M."),
            (
                "TI",
                "Intravenous immunoglobulin may be an effective therapy for refractory, "
                "active diffuse cutaneous systemic sclerosis",
            ),
            ("JO", "Journal of Rheumatology"),
            ("PY", "2015"),
            ("VL", "42"),
            ("IS", "2"),
            ("SP", "236-242"),
            ("DO", "10.3899/jrheum.140833"),
        ],
        "ta": None,
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Levy, Y."),
            ("AU", "Sherer, Y."),
            ("AU", "Langevitz, P."),
            (
                "TI",
                "Skin score decrease in systemic sclerosis patients treated with "
                "intravenous immunoglobulin--a preliminary report",
            ),
            ("JO", "Clinical Rheumatology"),
            ("PY", "2000"),
            ("VL", "19"),
            ("SP", "207-211"),
        ],
        "ta": None,  # before 2003: the automation rule decides it
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Hachulla, E."),
            ("AU", "Wibaux, A."),
            ("AU", "Hatron, P."),
            (
                "TI",
                "Home sequential high dose intravenous immunoglobulins in systemic "
                "autoimmune disease",
            ),
            ("JO", "Annals of the Rheumatic Diseases"),
            ("PY", "2002"),
            ("VL", "61"),
            ("IS", "3"),
            ("SP", "277-278"),
        ],
        "ta": None,  # before 2003: the automation rule decides it
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Wang, D. X."),
            ("AU", "Shu, X. M."),
            ("AU", "Tian, X. L."),
            (
                "TI",
                "Intravenous immunoglobulin therapy in adult patients with "
                "polymyositis/dermatomyositis: a systematic literature review",
            ),
            ("JO", "Clinical Rheumatology"),
            ("PY", "2012"),
            ("VL", "31"),
            ("SP", "801-806"),
        ],
        "ta": ("exclude", "Not systemic sclerosis"),
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Stangel, M."),
            ("AU", "Kiefer, R."),
            ("AU", "Pette, M."),
            (
                "TI",
                "Side effects of intravenous immunoglobulins in neurological autoimmune "
                "disorders: a prospective study",
            ),
            ("JO", "Journal of Neurology"),
            ("PY", "2003"),
            ("VL", "250"),
            ("SP", "818-821"),
        ],
        "ta": ("exclude", "Not systemic sclerosis"),
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Czirjak, L."),
            ("AU", "Foeldvari, I."),
            ("AU", "Muller-Ladner, U."),
            ("TI", "Skin involvement in systemic sclerosis"),
            ("JO", "Rheumatology"),
            ("PY", "2008"),
            ("VL", "47"),
            ("IS", "suppl 5"),
            ("SP", "v44-v45"),
        ],
        "ta": ("include", ""),
        "ft": ["yes", "English", "", "", "", "Review", "", "", ""],
    },
    {
        "fields": [
            ("TY", "JOUR"),
            ("AU", "Ardent, Q."),
            ("AU", "Moreau, L."),
            (
                "TI",
                "Intravenous immunoglobulin for refractory digital ulcers in systemic "
                "sclerosis: a retrospective case series of eight patients",
            ),
            (
                "AB",
                "SYNTHETIC stand-in generated by raw_exports/generate_other_methods.py; "
                "not a real publication.",
            ),
            ("JO", "Journal of Synthetic Rheumatology Examples"),
            ("PY", "2019"),
            ("VL", "12"),
            ("IS", "3"),
            ("SP", "145-151"),
            ("DO", "10.5555/rf-other-0001"),
            ("KW", "systemic sclerosis"),
            ("KW", "digital ulcers"),
        ],
        "ta": ("include", ""),
        "ft": ["yes", "English", "8", "yes", "yes", "Retrospective case series", "", "", ""],
    },
    {
        "fields": [
            ("TY", "CPAPER"),
            ("AU", "Okafor, N."),
            ("TI", "Intravenous immunoglobulin and oesophageal dysmotility in systemic sclerosis"),
            (
                "AB",
                "SYNTHETIC stand-in generated by raw_exports/generate_other_methods.py; "
                "not a real publication.",
            ),
            ("T2", "Synthetic Congress of Rheumatology Examples"),
            ("PY", "2021"),
            ("DO", "10.5555/rf-other-0002"),
        ],
        "ta": ("include", ""),
        "ft": ["no", "", "", "", "", "", "", "", ""],  # the full text could not be obtained
    },
    {
        "fields": [("TY", "JOUR"), ("TI", "No Title"), ("ST", "No Title")],
        "ta": ("exclude", "Placeholder record without bibliographic data"),
    },
]
FIRST_ID = 5001  # Mendeley's numeric record IDs


def ctgov_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CTGOV_COLUMNS)
    for trial in REGISTRATIONS:
        row = dict.fromkeys(CTGOV_COLUMNS, "")
        row |= {
            "NCT Number": trial["id"],
            "Study Title": trial["title"],
            "Study URL": f"https://clinicaltrials.gov/study/{trial['id']}",
            "Study Status": trial["status"],
            "Study Results": "NO",
            "Conditions": trial["conditions"],
            "Interventions": trial["interventions"],
            "Primary Outcome Measures": trial["outcome"],
            "Sponsor": SPONSOR,
            "Sex": "ALL",
            "Age": "ADULT, OLDER_ADULT",
            "Phases": trial["phase"],
            "Enrollment": trial["enrollment"],
            "Funder Type": "OTHER",
            "Study Type": "INTERVENTIONAL",
            "Other IDs": trial["other_ids"],
            "Start Date": trial["start"],
            "Completion Date": trial["completion"],
            "First Posted": trial["posted"],
            "Last Update Posted": trial["updated"],
        }
        writer.writerow(row.values())
    return buffer.getvalue()


def _ictrp_trial(values: dict[str, str]) -> str:
    # The portal pads every value with a newline and indentation, and writes empty ones as <Tag/>.
    cells = "".join(
        f"    <{tag}>{escape(text)}\n    </{tag}>\n" if text else f"    <{tag}/>\n"
        for tag, text in values.items()
    )
    return f"<Trial>\n{cells}</Trial>\n"


def ictrp_xml() -> str:
    republished = [t for t in REGISTRATIONS if t["ictrp"]]
    trials = [
        {
            "TrialID": t["id"],
            "Public_title": t["title"],
            "Scientific_title": t["title"],
            "Primary_sponsor": SPONSOR,
            "Date_registration3": t["posted"].replace("-", ""),
            "Date_registration": "/".join(reversed(t["posted"].split("-"))),
            "Source_Register": "ClinicalTrials.gov",
            "web_address": f"https://clinicaltrials.gov/ct2/show/{t['id']}",
            "Recruitment_Status": "Not recruiting",
            "Study_type": "Interventional",
            "Condition": t["conditions"].replace("|", ";"),
            "Intervention": t["interventions"].replace("|", ";"),
            "Secondary_ID": t["other_ids"],
        }
        for t in republished
    ] + [
        {
            "TrialID": JRCT["id"],
            "Public_title": JRCT["title"],
            "Scientific_title": JRCT["title"],
            "Primary_sponsor": SPONSOR,
            "Date_registration3": JRCT["registered"][1],
            "Date_registration": JRCT["registered"][0],
            "Source_Register": JRCT["register"],
            "web_address": f"https://jrct.niph.go.jp/latest-detail/{JRCT['id'][5:]}",
            "Recruitment_Status": JRCT["status"],
            "Study_type": "Interventional",
            "Condition": JRCT["condition"],
            "Intervention": JRCT["intervention"],
            "Secondary_ID": "",
        }
    ]
    body = "".join(_ictrp_trial(t) for t in trials)
    return (
        "<?xml version='1.0' encoding='UTF-8' "
        f"?>\n<Trials_downloaded_from_ICTRP>\n{body}</Trials_downloaded_from_ICTRP>\n"
    )


def citation_ris() -> str:
    records = []
    for i, cited in enumerate(CITED):
        fields = list(cited["fields"])
        if not any(tag == "AB" for tag, _ in fields):
            fields.insert(1, ("AB", "NA"))
        fields.append(("ID", str(FIRST_ID + i)))
        records.append("".join(f"{tag}  - {value}\n" for tag, value in fields) + "ER  - \n")
    return "\ufeff" + "\n".join(records)


def _decisions() -> tuple[list[list[str]], list[list[str]]]:
    """Title/abstract and full-text rows of the new works: registrations by register ID,
    citation-list records by their reference-manager ID."""
    decided = [(t["id"], t["ta"], t["ft"]) for t in REGISTRATIONS + [JRCT]] + [
        (str(FIRST_ID + i), c["ta"], c.get("ft")) for i, c in enumerate(CITED) if c["ta"]
    ]
    ta = [[key, decision, reason, REVIEWER] for key, (decision, reason), _ in decided]
    ft = [[key, *facts, REVIEWER] for key, _, facts in decided if facts]
    return ta, ft


def other_methods_files(seed: int = SEED) -> dict[str, str]:
    """Every file of the other-methods example, by path under the repository."""
    original = original_files(seed)
    ta, ft = _decisions()
    ta_rows = list(csv.reader(io.StringIO(original[ORIGINAL_TA])))
    ft_rows = list(csv.reader(io.StringIO(original[ORIGINAL_FT])))
    assert ta_rows[0] == TA_COLUMNS and ft_rows[0] == FT_COLUMNS
    return {
        CTGOV: ctgov_csv(),
        ICTRP: ictrp_xml(),
        CITATIONS: citation_ris(),
        TA_DECISIONS: csv_text(ta_rows + ta),
        FT_DECISIONS: csv_text(ft_rows + ft),
    }
