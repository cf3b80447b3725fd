import pandas as pd

from reviewflow.safe import safe_frame, unsafe_text


def test_safe_frame_guards_pandas3_string_columns():
    # pandas 3 gives text the "str" dtype (not object); it must be guarded too.
    frame = pd.DataFrame({"title": ["=HYPERLINK(1)", "plain"]}).astype(str)
    out = safe_frame(frame)
    assert list(out["title"]) == ["'=HYPERLINK(1)", "plain"]
    assert [unsafe_text(v) for v in out["title"]] == ["=HYPERLINK(1)", "plain"]
