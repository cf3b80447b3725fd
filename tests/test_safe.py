import pandas as pd

from reviewflow.safe import safe_frame, unsafe_text


def test_safe_frame_guards_pandas3_string_columns():
    # pandas 3 gives text the "str" dtype (not object); it must be guarded too.
    frame = pd.DataFrame({"title": ["=HYPERLINK(1)", "plain"]}).astype(str)
    out = safe_frame(frame)
    assert list(out["title"]) == ["'=HYPERLINK(1)", "plain"]
    assert [unsafe_text(v) for v in out["title"]] == ["=HYPERLINK(1)", "plain"]


# pandas 3 reads text as its "str" dtype (missing = NaN); pandas 2, which the asreview
# extra pins, has "str" mean Python str (None would become "None"): its text dtype is "string".
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"


def test_every_formula_start_is_escaped_wherever_it_stands_in_a_column(tmp_path):
    # Columns are checked in bulk first; a cell needing the prefix deep in a
    # column, beside missing values, must still get it, and read back intact.
    from reviewflow.records import read_csv

    cells = [
        "plain",
        None,
        "a = b",
        "'quoted",
        *[start + "x" for start in ("=", "+", "-", "@", "\t", "\r")],
    ]
    frame = pd.DataFrame(
        {
            "record_id": [str(i) for i in range(len(cells))],
            "title": cells,
            "notes": pd.array(cells, dtype=TEXT_DTYPE),
        }
    )
    out = safe_frame(frame)
    for column in ("title", "notes"):
        got = out[column].tolist()
        assert got[0] == "plain" and pd.isna(got[1]) and got[2] == "a = b"
        assert got[3:] == ["'" + c for c in cells[3:]]
    assert frame["title"].tolist()[3] == "'quoted"  # the input frame is left as it was
    # (Record text never holds a carriage return: read_text makes it a line break.)
    out[out["title"] != "'\rx"].to_csv(tmp_path / "t.csv", index=False)
    back = read_csv(tmp_path / "t.csv")
    assert back["title"].tolist() == [c or "" for c in cells[:-1]]


def test_a_nul_inside_a_cell_does_not_move_the_escape_to_another_cell():
    frame = pd.DataFrame({"title": ["a\x00=b", "plain", "=x", "y"]})
    assert safe_frame(frame)["title"].tolist() == ["a\x00=b", "plain", "'=x", "y"]
