"""Hand the works to screen to a screening tool: RIS, CSV or XLSX.

Every record carries the work's stable key twice, in the RIS ID tag and in an
N1 note ("reviewflow-key: rf-..."), because tools renumber records on import
and keep different tags; ``keys.keys_in`` finds it wherever it ended up.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewflow.contracts import WORKS
from reviewflow.decision_files import TITLE_ABSTRACT_COLUMNS
from reviewflow.errors import ReviewflowError
from reviewflow.exchange import ris_writer
from reviewflow.exchange.keys import key_note
from reviewflow.records import CITATION_FIELDS, LIST_SEP, cell_text, read_csv
from reviewflow.safe import safe_frame
from reviewflow.xlsx import save, set_text

WORK_COLUMNS = WORKS.needs("key", *CITATION_FIELDS)

# Columns of the spreadsheet export: the title/abstract decision file's, then
# what screeners read.
TABLE_COLUMNS = [*TITLE_ABSTRACT_COLUMNS, *CITATION_FIELDS, "abstract", "keywords"]


def load_works(path) -> pd.DataFrame:
    """Read results/dedup/works.csv (docs/contracts.md, works) and check it has what we write."""
    path = Path(path)
    if not path.is_file():
        raise ReviewflowError("no such file", str(path))
    works = read_csv(path)
    missing = [c for c in WORK_COLUMNS if c not in works.columns]
    if missing:
        raise ReviewflowError(
            f"not a works table: missing column(s) {', '.join(missing)}", str(path)
        )
    blank = works.index[works["key"].str.strip() == ""]
    if len(blank):
        raise ReviewflowError("work without a key", str(path), int(blank[0]) + 2)
    for col in ("abstract", "keywords"):
        if col not in works.columns:
            works[col] = [[] for _ in range(len(works))] if col == "keywords" else ""
    return works


def select_pending(works: pd.DataFrame, pending_path, stage: str | None = None) -> pd.DataFrame:
    """Keep the works named by a pending list (by work key, else cluster_id).

    Every row of the pending list must name a work: a pending record that is
    not in works.csv would otherwise silently never be screened. With ``stage``,
    only the rows of that stage (the list's ``stage`` column, as
    results/screening/pending.csv has it).
    """
    pending_path = Path(pending_path)
    if not pending_path.is_file():
        raise ReviewflowError("no such file", str(pending_path))
    pending = pd.read_csv(pending_path, dtype=str, keep_default_na=False)
    if stage:
        if "stage" not in pending.columns:
            raise ReviewflowError("no stage column to select a stage by", str(pending_path))
        pending = pending[pending["stage"] == stage]
    for column, works_column in (("work_key", "key"), ("key", "key"), ("cluster_id", "cluster_id")):
        if column in pending.columns and works_column in works.columns:
            wanted = pending[column].str.strip()
            known = set(works[works_column])
            unknown = [(i, v) for i, v in enumerate(wanted) if v not in known]
            if unknown:
                row, value = unknown[0]
                line = int(pending.index[row]) + 2
                raise ReviewflowError(
                    f"{column} {value!r} is not in the works table", str(pending_path), line
                )
            return works[works[works_column].isin(set(wanted))]
    raise ReviewflowError(
        "pending list needs a work_key, key or cluster_id column", str(pending_path)
    )


def add_abstracts(works: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Abstract and keywords of each work's primary record, from the records table.

    works.csv carries no abstracts, but screeners need them.
    """
    records = records.drop_duplicates("record_id").set_index("record_id")
    out = works.copy()
    primary = out["primary_record_id"]
    found = primary.isin(records.index)
    out.loc[found, "abstract"] = records.loc[primary[found], "abstract"].to_numpy()
    out.loc[found, "keywords"] = pd.Series(
        list(records.loc[primary[found], "keywords"]), index=out.index[found]
    )
    return out


def _split_pages(pages: str) -> tuple[str, str]:
    start, _, end = str(pages or "").partition("-")
    return start.strip(), end.strip()


def to_ris(works: pd.DataFrame) -> str:
    """The works as RIS, through the package's one RIS writer."""
    ordered = works.sort_values("key")
    pages = ordered["pages"].map(_split_pages)
    frame = pd.DataFrame(
        {
            "ris_id": ordered["key"],
            "publication_type": ordered.get("publication_type", "journal article"),
            "title": ordered["title"],
            "authors": ordered["authors"],
            "year": ordered["year"],
            "journal": ordered["journal"],
            "volume": ordered["volume"],
            "issue": ordered["issue"],
            "page_start": [start for start, _ in pages],
            "page_end": [end for _, end in pages],
            "doi": ordered["doi"],
            "pmid": ordered["pmid"],
            # Covidence shows AN as "Accession Number": the PMID there gives a
            # second way back when a tool drops our key.
            "source_id": ordered["pmid"],
            "abstract": ordered["abstract"],
            "keywords": ordered["keywords"],
            "notes": ordered["key"].map(key_note),
        }
    )
    return ris_writer.dump(frame)


def to_table(works: pd.DataFrame) -> pd.DataFrame:
    ordered = works.sort_values("key")
    table = pd.DataFrame(
        {
            "id": ordered["key"],
            "decision": "",
            "reason": "",
            "reviewer": "",
            "title": ordered["title"],
            "authors": ordered["authors"].map(LIST_SEP.join),
            "year": ordered["year"].map(cell_text),
            "journal": ordered["journal"],
            "volume": ordered["volume"],
            "issue": ordered["issue"],
            "pages": ordered["pages"],
            "doi": ordered["doi"],
            "pmid": ordered["pmid"],
            "abstract": ordered["abstract"],
            "keywords": ordered["keywords"].map(LIST_SEP.join),
        },
        columns=TABLE_COLUMNS,
    )
    return table.astype(str).reset_index(drop=True)


def _write_xlsx(table: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    # Every cell is text (a year stays "2013", not a number), written as the
    # extraction workbooks are: formula-like text gets the quote prefix, unchanged.
    book = Workbook()
    sheet = book.active
    sheet.title = "screening"
    sheet.freeze_panes = "A2"
    for r, row in enumerate([list(table.columns)] + table.values.tolist(), start=1):
        for c, value in enumerate(row, start=1):
            set_text(sheet.cell(row=r, column=c), value)
    book.properties.creator = "reviewflow"
    save(book, path)


def write(works: pd.DataFrame, fmt: str, out) -> int:
    """Write the works for screening; returns how many records were written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "ris":
        out.write_text(to_ris(works), encoding="utf-8")
    elif fmt == "csv":
        safe_frame(to_table(works)).to_csv(out, index=False, lineterminator="\n")
    elif fmt == "xlsx":
        _write_xlsx(to_table(works), out)
    else:
        raise ReviewflowError(f"unknown export format {fmt!r} (ris, csv or xlsx)")
    return len(works)
