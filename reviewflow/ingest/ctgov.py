"""ClinicalTrials.gov downloads: the modern site's CSV and JSON, the classic site's SearchResults.

- Modern CSV (ctg-studies.csv): a header of the columns the user kept (29
  without "Brief Summary", 30 with it), multi-valued cells joined by "|" (or
  " | "), ISO dates as precise as known ("2004-09"), enumerations in upper
  snake case (COMPLETED), and text as the API's Markdown, backslash-escaped
  ("\\<14", "\\>=").
- Modern JSON (ctg-studies.json): an array of study objects (API v2 layout:
  protocolSection.identificationModule.nctId ...), an API page
  ({"studies": [...]}), or, downloaded "one file per study", a zip of
  NCTxxxxxxxx.json files each holding one study object.
- Classic SearchResults.csv / .tsv (retired 2024): "Rank", "NCT Number",
  "Title", ..., the literal "null" for an empty date, no-break spaces, US
  dates ("February 28, 2013", "October 2012").
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path

from reviewflow.errors import ReviewflowError
from reviewflow.ingest import register_record
from reviewflow.ingest.detect import zip_members
from reviewflow.ingest.layout import Layout, pick
from reviewflow.ingest.tables import Dialect, header_sniffer, read_rows

SOURCE_DB = "ClinicalTrials.gov"
_LIST = r"\s*\|\s*"
# CommonMark: a backslash before ASCII punctuation is an escape.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unescape(value) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", str(value or ""))


def _url(nct_id: str) -> str:
    return f"https://clinicaltrials.gov/study/{nct_id}"


# Record fact -> the CSV columns that hold it, first present wins: the
# modern names, then the classic ones (older classic files said "First Received").
_COLUMNS = {
    "id": ("NCT Number",),
    "public_title": ("Study Title", "Title"),
    "scientific_title": ("Official Title",),
    "acronym": ("Acronym",),
    "status": ("Study Status", "Status"),
    "summary": ("Brief Summary",),
    "conditions": ("Conditions",),
    "interventions": ("Interventions",),
    "sponsors": ("Sponsor", "Sponsor/Collaborators"),
    "collaborators": ("Collaborators",),
    "other_ids": ("Other IDs",),
    "first_posted": ("First Posted", "First Received"),
    "url": ("Study URL", "URL"),
}


def _layout(name: str, title: str, signature: tuple[str, ...]) -> Layout:
    return Layout(
        name=name,
        source_db=SOURCE_DB,
        signature=signature,
        fields={"source_id": ("NCT Number",), "title": (title,)},
        inputs=tuple(col for cols in _COLUMNS.values() for col in cols),
    )


_MODERN = _layout("ClinicalTrials.gov CSV", "Study Title", ("NCT Number", "Study Title"))
_CLASSIC = _layout("ClinicalTrials.gov classic SearchResults", "Title", ("NCT Number", "Title"))
_DIALECTS = (Dialect(","), Dialect("\t"))


def _sniff(layout: Layout):
    tests = [header_sniffer(layout, dialect) for dialect in _DIALECTS]
    return lambda text: any(test(text) for test in tests)


is_csv = _sniff(_MODERN)
is_classic = _sniff(_CLASSIC)


def _dialect(text: str, layout: Layout) -> Dialect:
    return next(d for d in _DIALECTS if header_sniffer(layout, d)(text))


def _read_table(text: str, path: Path, layout: Layout) -> list[dict]:
    raw = read_rows(text, path, layout, _dialect(text, layout))
    # The classic site wrote "null" for every empty cell it had no value for.
    raw = raw.replace({"null": ""}).fillna("")
    cells = {fact: pick(raw, columns).tolist() for fact, columns in _COLUMNS.items()}
    day_first = False  # ClinicalTrials.gov writes ISO or US dates, never day first
    rows = []
    for i in range(len(raw)):
        get = {fact: _unescape(values[i]) for fact, values in cells.items()}
        rows.append(
            register_record.row(
                source_db=SOURCE_DB,
                source_id=get["id"],
                register=SOURCE_DB,
                public_title=get["public_title"],
                scientific_title=get["scientific_title"],
                acronym=get["acronym"],
                sponsors=register_record.items(get["sponsors"], _LIST)
                + register_record.items(get["collaborators"], _LIST),
                conditions=register_record.items(get["conditions"], _LIST),
                interventions=register_record.items(get["interventions"], _LIST),
                first_posted=register_record.iso_date(get["first_posted"], day_first),
                status=get["status"],
                url=get["url"] or (_url(get["id"]) if get["id"] else ""),
                other_ids=register_record.items(get["other_ids"], _LIST),
                summary=get["summary"],
            )
        )
    return rows


def parse_csv(text: str, path: Path) -> list[dict]:
    return _read_table(text, path, _MODERN)


def parse_classic(text: str, path: Path) -> list[dict]:
    return _read_table(text, path, _CLASSIC)


# --- JSON ----------------------------------------------------------------------


def is_json(text: str) -> bool:
    """A study object, an array of them, or an API page {"studies": [...]}: JSON
    whose first study shows the API's protocolSection and nctId."""
    head = text[:200_000]
    return head.lstrip()[:1] in ("[", "{") and '"protocolSection"' in head and '"nctId"' in head


def _load(text: str, path: Path, member: str = ""):
    where = f" in {member}" if member else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewflowError(
            f"malformed JSON{where} (column {exc.colno}): {exc.msg}",
            str(path),
            None if member else exc.lineno,
        ) from None


def _studies(data, path: Path) -> list:
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        return data["studies"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise ReviewflowError("JSON holds neither a study nor a list of studies", str(path), 1)


def _get(study: dict, *keys: str):
    for key in keys:
        study = study.get(key) if isinstance(study, dict) else None
    return study


def _study_row(study, path: Path, where: str) -> dict:
    nct_id = _get(study, "protocolSection", "identificationModule", "nctId")
    if not isinstance(nct_id, str) or not nct_id.strip():
        raise ReviewflowError(
            f"{where} has no protocolSection.identificationModule.nctId", str(path)
        )
    ident = _get(study, "protocolSection", "identificationModule")
    status = _get(study, "protocolSection", "statusModule") or {}
    sponsors = _get(study, "protocolSection", "sponsorCollaboratorsModule") or {}
    conditions = _get(study, "protocolSection", "conditionsModule") or {}
    interventions = _get(study, "protocolSection", "armsInterventionsModule", "interventions") or []
    secondary = [
        i.get("id", "") for i in ident.get("secondaryIdInfos") or [] if isinstance(i, dict)
    ]
    org_id = _get(ident, "orgStudyIdInfo", "id")
    lead = _get(sponsors, "leadSponsor", "name")
    try:
        return register_record.row(
            source_db=SOURCE_DB,
            source_id=nct_id,
            register=SOURCE_DB,
            public_title=_unescape(ident.get("briefTitle")),
            scientific_title=_unescape(ident.get("officialTitle")),
            acronym=ident.get("acronym", ""),
            sponsors=[lead or ""]
            + [c.get("name", "") for c in sponsors.get("collaborators") or []],
            conditions=[_unescape(c) for c in conditions.get("conditions") or []],
            keywords=[_unescape(k) for k in conditions.get("keywords") or []],
            interventions=[_unescape(i.get("name")) for i in interventions],
            registered=register_record.iso_date(
                status.get("studyFirstSubmitDate"), day_first=False
            ),
            first_posted=register_record.iso_date(
                _get(status, "studyFirstPostDateStruct", "date"), day_first=False
            ),
            status=status.get("overallStatus", ""),
            url=_url(nct_id.strip()),
            other_ids=[org_id or "", *secondary, *(ident.get("nctIdAliases") or [])],
            summary=_unescape(_get(study, "protocolSection", "descriptionModule", "briefSummary")),
        )
    except (AttributeError, TypeError):  # a module that is not the object the API documents
        raise ReviewflowError(
            f"{where} ({nct_id}) does not have the ClinicalTrials.gov study layout", str(path)
        ) from None


def parse_json(text: str, path: Path) -> list[dict]:
    studies = _studies(_load(text, path), path)
    return [_study_row(study, path, f"study {n}") for n, study in enumerate(studies, start=1)]


# --- the zip of one JSON file per study -----------------------------------------

# A study's JSON is tens of kilobytes; a member declaring more is no study file.
_MEMBER_LIMIT = 50_000_000


def _json_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist() if not info.is_dir()]


def is_json_archive(path: Path) -> bool:
    """A zip whose files are all .json (ClinicalTrials.gov's "one file per study" download)."""
    files = [name for name in zip_members(path) or () if not name.endswith("/")]
    return bool(files) and all(name.lower().endswith(".json") for name in files)


def read_json_archive(path: Path) -> list[dict]:
    """One record per study file, in the archive's order."""
    rows = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in _json_members(archive):
                if info.file_size > _MEMBER_LIMIT:
                    raise ReviewflowError(
                        f"{info.filename} declares {info.file_size} bytes: not a study file",
                        str(path),
                    )
                data = archive.read(info)
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    raise ReviewflowError(
                        f"{info.filename}: bytes that are not UTF-8 at byte {exc.start}", str(path)
                    ) from None
                for study in _studies(_load(text, path, info.filename), path):
                    rows.append(_study_row(study, path, info.filename))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
    ) as exc:
        raise ReviewflowError(
            f"cannot read the zip archive ({type(exc).__name__}: {exc})", str(path)
        ) from None
    if not rows:
        raise ReviewflowError("no records found", str(path))
    return rows
