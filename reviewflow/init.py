"""Start a review of one's own: ``reviewflow init DIR FILE...``.

Writes a self-contained review directory that ``snakemake --directory DIR`` runs as a review in
progress: the exports copied into ``raw_exports/``, ``config/config.yaml`` naming them (database
and search date of each, read from the content and the file dates unless given), decision files
and dedup overrides holding only their header, no eligibility rule (nothing is excluded by
automation until the reviewer sets one), generic extraction columns and no completed example,
and a README.md saying what to do next. It never overwrites a file.
"""

from __future__ import annotations

import datetime
import json
import re
import shlex
import shutil
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from reviewflow.errors import ReviewflowError

CONFIG = "config/config.yaml"
RAW_EXPORTS = "raw_exports"
ROUND = "original"
# The repository the package runs from (an editable install): where the Snakefile is.
SNAKEFILE = Path(__file__).resolve().parent.parent / "Snakefile"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMBASE_ID = r"L\d+"  # Embase.com's accession number (L373791783)
# Plain YAML scalars need no quotes; anything else is written as a JSON string (valid YAML).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/()-]*")
# Copies get names safe in a shell command and a Snakemake wildcard.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Export:
    source: Path  # the file as the user named it
    path: str  # where the review keeps it, relative to the review directory
    records: int
    database: str
    detected: bool  # the database was read from the content (not given with --database)

    def describe(self) -> str:
        how = "from the content" if self.detected else "as given"
        return f"{self.source}: {self.records} records, {self.database} ({how}) -> {self.path}"


@dataclass
class Search:
    database: str
    exports: list[Export] = field(default_factory=list)
    date: str = ""
    date_from_files: bool = False  # no --date: the earliest export file's date


@dataclass(frozen=True)
class Review:
    directory: Path
    searches: list[Search]
    run: str  # the command that runs it

    def summary(self) -> list[str]:
        lines = [
            f"{self.directory}: a review of {sum(len(s.exports) for s in self.searches)} exports"
        ]
        for search in self.searches:
            records = sum(e.records for e in search.exports)
            dated = " (the export file's date: check it)" if search.date_from_files else ""
            lines.append(f"  {search.database}, searched {search.date}{dated}: {records} records")
        lines += [
            "Next, from the reviewflow repository:",
            f"  {self.run}",
            f"then read {self.directory / 'README.md'}.",
        ]
        return lines


def assignments(values: tuple[str, ...], what: str) -> dict[str, str]:
    """``KEY=VALUE`` options as a mapping (the last ``=`` splits: file names may hold one)."""
    parsed = {}
    for value in values:
        key, sep, item = value.rpartition("=")
        if not sep or not key.strip() or not item.strip():
            raise ReviewflowError(f"{what} {value!r}: write it as {what} KEY=VALUE")
        parsed[key.strip()] = item.strip()
    return parsed


def search_dates(values: tuple[str, ...]) -> dict[str | None, str]:
    """``--date YYYY-MM-DD`` (every search) and ``--date DATABASE=YYYY-MM-DD`` (one search)."""
    dates: dict[str | None, str] = {}
    for value in values:
        database, _, date = value.rpartition("=")
        try:
            if not _DATE.fullmatch(date):
                raise ValueError
            datetime.date.fromisoformat(date)
        except ValueError:
            raise ReviewflowError(f"--date {value!r}: the date is not YYYY-MM-DD") from None
        dates[database.strip() or None] = date
    return dates


def file_database(frame, path) -> str:
    """The database an export comes from, as its records say it."""
    # Embase.com labels the records it holds from MEDLINE "Medline", but gives them its own
    # L-number: they are Embase records.
    embase = frame["source_id"].str.fullmatch(_EMBASE_ID)
    databases = frame["source_db"].mask(embase & (frame["source_db"] == "MEDLINE"), "Embase")
    named = Counter(db for db in databases if db)
    if len(named) == 1:
        return next(iter(named))
    found = (
        "records of several databases "
        f"({', '.join(f'{db} {n}' for db, n in sorted(named.items()))})"
        if named
        else "the content does not say which database it comes from"
    )
    raise ReviewflowError(
        f"{found}: name the database searched with --database '{path}=NAME'", str(path)
    )


def read_export_file(source: Path, database: str | None, path: str) -> Export:
    """Read one export (a bad file stops init with its name and line, as it would stop the run)."""
    from reviewflow.ingest import read_export

    frame = read_export(source)
    return Export(
        source, path, len(frame), database or file_database(frame, source), database is None
    )


def _within(path: Path, directory: Path) -> str | None:
    try:
        return path.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return None


def export_paths(files: list[Path], directory: Path) -> list[str]:
    """Each export's path in the review: where it is if already inside the directory, else a
    copy in raw_exports/ under a safe name, made unique."""
    taken: set[str] = set()
    paths = []
    for source in files:
        inside = _within(source, directory)
        if inside is None:
            stem, suffix = _UNSAFE_NAME.sub("_", source.stem) or "export", source.suffix
            suffix = _UNSAFE_NAME.sub("_", suffix)
            name, n = f"{stem}{suffix}", 1
            while f"{RAW_EXPORTS}/{name}".casefold() in taken:
                n += 1
                name = f"{stem}-{n}{suffix}"
            inside = f"{RAW_EXPORTS}/{name}"
        taken.add(inside.casefold())
        paths.append(inside)
    return paths


def group_searches(exports: list[Export], dates: dict[str | None, str]) -> list[Search]:
    """One search per database, in the order the files were named; a database's several
    files (e.g. a Scopus result exported in batches) are one search's exports."""
    searches: dict[str, Search] = {}
    for export in exports:
        searches.setdefault(export.database, Search(export.database)).exports.append(export)
    unknown = sorted(set(dates) - set(searches) - {None})
    if unknown:
        raise ReviewflowError(
            f"--date for {', '.join(unknown)}, which no export is from "
            f"(the databases: {', '.join(searches)})"
        )
    for search in searches.values():
        search.date = dates.get(search.database) or dates.get(None) or ""
        if not search.date:
            oldest = min(export.source.stat().st_mtime for export in search.exports)
            search.date, search.date_from_files = (
                datetime.date.fromtimestamp(oldest).isoformat(),
                True,
            )
    return list(searches.values())


def _scalar(text: str) -> str:
    return (
        text
        if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text
        else json.dumps(text, ensure_ascii=False)
    )


def _rounds(searches: list[Search]) -> str:
    lines = [f"  - name: {ROUND}", "    searches:"]
    for search in searches:
        note = (
            "  # the export file's date: the day the search was run?"
            if search.date_from_files
            else ""
        )
        lines += [
            f"      - database: {_scalar(search.database)}",
            f'        date: "{search.date}"{note}',
            "        exports: [" + ", ".join(_scalar(e.path) for e in search.exports) + "]",
        ]
    return "\n".join(lines)


def _template(name: str) -> string.Template:
    return string.Template(
        (resources.files("reviewflow") / "templates" / name).read_text(encoding="utf-8")
    )


def run_command(directory: Path) -> str:
    """The command that runs the review: the repository's Snakefile, with `--directory` naming
    the review (every input and output path resolves against it)."""
    if Path.cwd().resolve() == SNAKEFILE.parent:
        return f"snakemake --cores 2 --directory {shlex.quote(str(directory))}"
    where = f"--snakefile {shlex.quote(str(SNAKEFILE))} " if SNAKEFILE.is_file() else ""
    return f"snakemake --cores 2 {where}--directory {shlex.quote(str(directory.resolve()))}"


def _header(columns) -> str:
    return ",".join(columns) + "\n"


def review_files(searches: list[Search], title: str, run: str) -> dict[str, str]:
    """The text of every file init writes (the exports aside), by path in the review."""
    from reviewflow.config import validate
    from reviewflow.dedup.overrides import COLUMNS as OVERRIDE_COLUMNS
    from reviewflow.extraction.spec import spec_from_config
    from reviewflow.screening.decisions import FULL_TEXT_COLUMNS, TITLE_ABSTRACT_COLUMNS

    config_text = _template("config.yaml").substitute(
        title=_scalar(title), rounds=_rounds(searches)
    )
    config = yaml.safe_load(config_text)
    # The templates are ours, but a database name or title could still break the config.
    validate(config, CONFIG)
    spec_from_config(config["extraction"], CONFIG)
    dated = [s.database for s in searches if s.date_from_files]
    date_note = (
        (
            f" The dates of {', '.join(dated)} are the export files' dates: set the day each "
            "search was run."
        )
        if dated
        else ""
    )
    return {
        CONFIG: config_text,
        config["screening"]["title_abstract"]: _header(TITLE_ABSTRACT_COLUMNS),
        config["screening"]["full_text"]: _header(FULL_TEXT_COLUMNS),
        config["dedup"]["overrides"]: _header(OVERRIDE_COLUMNS),
        "README.md": _template("README.md").substitute(title=title, run=run, date_note=date_note),
    }


def refuse_existing(directory: Path) -> None:
    """A review directory's config is never overwritten (checked before any export is read)."""
    if (directory / CONFIG).exists():
        raise ReviewflowError(
            f"{directory} is a review already ({CONFIG} exists); init never overwrites it: "
            "choose a new directory, or edit that config",
            str(directory / CONFIG),
        )


def start_review(
    directory,
    files,
    databases: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    title: str | None = None,
    on_export: Callable[[Export], None] = lambda export: None,
) -> Review:
    """Write the review directory; ``on_export`` hears of each export as it is read."""
    directory = Path(directory)
    refuse_existing(directory)
    sources = [Path(f) for f in files]
    repeated = sorted(
        {str(s) for s in sources if [x.resolve() for x in sources].count(s.resolve()) > 1}
    )
    if repeated:
        raise ReviewflowError(
            f"named more than once: {', '.join(repeated)} (each export belongs to one search)"
        )
    named = {
        Path(file).resolve(): name for file, name in assignments(databases, "--database").items()
    }
    unknown = sorted(str(file) for file in set(named) - {s.resolve() for s in sources})
    if unknown:
        raise ReviewflowError(f"--database for {', '.join(unknown)}, which is not one of the FILES")
    wanted_dates = search_dates(dates)
    exports = []
    for source, path in zip(sources, export_paths(sources, directory)):
        exports.append(read_export_file(source, named.get(source.resolve()), path))
        on_export(exports[-1])
    searches = group_searches(exports, wanted_dates)
    run = run_command(directory)
    texts = review_files(searches, title or directory.resolve().name, run)
    copies = {e.path: e.source for e in exports if _within(e.source, directory) is None}
    present = sorted(p for p in [*texts, *copies] if (directory / p).exists())
    if present:
        raise ReviewflowError(
            f"{directory} already has {', '.join(present)}; init never overwrites a file"
        )
    for path, source in copies.items():
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, directory / path)  # keeps the file's date, the search's default date
    for path, text in texts.items():
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_text(text, encoding="utf-8")
    return Review(directory, searches, run)
