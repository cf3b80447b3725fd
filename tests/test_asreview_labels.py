"""ASReview labels read as ASReview's own readers read them (asreview 3.0.8,
asreview/data/base.py and ris.py): a label anywhere in a note, Zotero's <p> notes, the
``asreview_note`` reason, every label column ASReview accepts."""

from __future__ import annotations

import json

import pytest

from reviewflow.exchange import asreview

LABELS = {
    "ASReview_relevant": "include",
    "ASReview_irrelevant": "exclude",
    "ASReview_not_seen": None,
}
# Where a label can sit: alone, before/inside/after other text, in one of several notes.
PLACES = [
    ["{label}"],
    ["{label}. Additional notes."],
    ["Additional notes. {label}. Additional notes."],
    ["Additional notes. {label}."],
    ["{label}", "Additional notes"],
    ["Additional notes", "{label}", "More"],
    ["Additional notes", "{label}"],
    ["Additional notes", "Other text. {label}"],
    ["<p>{label}</p>"],
]


def ris(records: list[list[str]]) -> str:
    out = []
    for n, notes in enumerate(records, start=1):
        out += (
            ["TY  - JOUR", f"TI  - Record {n}"]
            + [f"N1  - {note}" for note in notes]
            + ["ER  - ", ""]
        )
    return "\n".join(out)


def test_a_label_anywhere_in_any_note_is_read(tmp_path):
    records = [
        [place.format(label=label) for place in places] for places in PLACES for label in LABELS
    ]
    records.append(["Additional notes"])  # no label: not seen
    path = tmp_path / "labels.ris"
    path.write_text(ris(records))
    votes = asreview.read(path, "A").votes
    expected = [LABELS[label] for _ in PLACES for label in LABELS]
    got = dict(zip(votes["record"], votes["vote"]))
    assert [got.get(i) for i in range(1, len(records) + 1)] == expected + [None]
    assert (votes["vote"] == "include").sum() == (votes["vote"] == "exclude").sum() == len(PLACES)


def test_the_ris_exports_asreview_note_is_the_reason(tmp_path):
    path = tmp_path / "export.ris"
    path.write_text(
        ris(
            [
                ["ASReview_irrelevant", "asreview_note: " + json.dumps('Wrong population; "kids"')],
                ["ASReview_relevant", 'asreview_note: "Looks eligible"'],
                ["ASReview_irrelevant", 'asreview_time: "2025-01-01"'],
            ]
        )
    )
    votes = asreview.read(path, "A").votes.set_index("record")
    assert votes.loc[1, "reason"] == 'Wrong population; "kids"'
    assert votes.loc[2, "reason"] == ""  # an inclusion has no exclusion reason
    assert votes.loc[3, "reason"] == ""


@pytest.mark.parametrize(
    "column",
    [
        "asreview_label",
        "included",
        "label",
        "final_included",
        "label_included",
        "included_label",
        "included_final",
        "included_flag",
        "include",
    ],
)
def test_every_label_column_asreview_accepts(tmp_path, column):
    path = tmp_path / "labelled.csv"
    path.write_text(f"title,{column}\nA,1\nB,0\nC,\nD,yes\nE,n\n")
    votes = asreview.read(path, "A").votes
    assert dict(zip(votes["record"], votes["vote"])) == {
        1: "include",
        2: "exclude",
        4: "include",
        5: "exclude",
    }


def test_the_first_label_column_in_asreviews_order_wins(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("title,include,asreview_label\nA,0,1\n")
    assert asreview.read(path, "A").votes["vote"].tolist() == ["include"]
