"""The config: read and checked (one line per mistake), its defaults, and what its search rounds
name.

The schema (schemas/config.schema.yaml) holds every setting's allowed values and default;
``load`` is the one reader, and the code takes settings from the config it returns, with
the schema's defaults filled in as Snakemake fills them into the workflow's config.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from reviewflow.errors import ReviewflowError

# What a search can search: a bibliographic database or a trial register (PRISMA 2020's
# "databases and registers"), or another method (its "other methods" column); a search
# names exactly one.
SOURCE_KINDS = ("database", "register", "method")

# The other methods a search can be, each with the PRISMA2020 template field that counts
# its records. The template has three boxes for them; hand-searching is counted with
# citation searching and contacting authors with organisations, the template boxes that
# hold what they find (reference lists and sources; people and bodies asked for studies).
METHODS = {
    "websites": "website_results",
    "organisations": "organisation_results",
    "contacting authors": "organisation_results",
    "citation searching": "citations_results",
    "hand-searching": "citations_results",
}

# The schema every config is checked against: by the CLI given --config and by the
# workflow at the start of every run (the Snakefile validates with this file). Package
# data, so an installed reviewflow checks as the repository does.
SCHEMA = Path(__file__).resolve().parent / "schemas" / "config.schema.yaml"


def validate(config, path, partial: bool = False) -> None:
    """Every mistake in ``config``, one line each naming the file, as one error.

    ``partial``: a config that holds only the sections one command reads (the
    screening-tool import, the extraction workbooks) need not have the others."""
    lines = problems(config, [path], partial)
    if lines:
        raise ReviewflowError("\n".join(lines))


def problems(config, files, partial: bool = False) -> list[str]:
    """One line per mistake: the file, the setting as written, what is wrong with it.

    ``files`` are the config files ``config`` was merged from (Snakemake merges every
    --configfile over config/config.yaml); each line names the last one that holds the
    setting. The schema comes first: the other checks read settings it vouches for."""
    files = [str(f) for f in files]
    found = schema_problems(config, partial)
    if not found:
        found = setting_problems(config)
    return [
        f"{_file_of(files, where)}: {_dotted(where) or 'top level'}: {message}"
        for where, message in found
    ]


def load(path, partial: bool = False) -> dict:
    """A config file read and checked, with the schema's defaults filled in (as the workflow's
    results/config.yaml has them); for the CLI commands given --config."""
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReviewflowError(f"cannot read config ({exc.strerror})", str(path)) from None
    except yaml.YAMLError as exc:
        raise ReviewflowError(f"not a YAML file ({exc})".replace("\n", " "), str(path)) from None
    if config is None and partial:
        config = {}
    if not isinstance(config, dict):
        raise ReviewflowError(
            "a config is a YAML mapping of settings (config/README.md)", str(path)
        )
    validate(config, path, partial)
    return with_defaults(config)


@functools.cache
def _schema() -> dict:
    # libyaml's loader where PyYAML has it: `reviewflow dedup` reads its defaults from here.
    return yaml.load(
        SCHEMA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )


def with_defaults(config: dict) -> dict:
    """A copy of ``config`` with each setting the schema gives a default filled in where it is
    not set, as Snakemake's validation fills them: in every mapping that is there, a section
    with a default of its own (``dedup: {}``) included."""

    def fill(node, schema):
        if isinstance(node, dict):
            for key, sub in schema.get("properties", {}).items():
                if key not in node and "default" in sub:
                    node[key] = copy.deepcopy(sub["default"])
                if key in node:
                    fill(node[key], sub)
        elif isinstance(node, list) and isinstance(schema.get("items"), dict):
            for item in node:
                fill(item, schema["items"])
        return node

    return fill(copy.deepcopy(config), _schema())


@dataclass(frozen=True)
class DedupSettings:
    """The ``dedup:`` settings the engine reads (config/README.md, section dedup)."""

    cochrane_versions: Literal[
        "same", "distinct"
    ]  # are a Cochrane review's .pub2, .pub3 ... one work?
    preprint_journal: Literal[
        "same", "distinct"
    ]  # are a preprint and its journal article one work?

    @classmethod
    def of(cls, config: dict | None = None) -> DedupSettings:
        """The settings of ``config`` (its ``dedup:`` section over the schema's defaults)."""
        section = with_defaults(config or {})["dedup"]
        return cls(section["cochrane_versions"], section["preprint_journal"])


def schema_problems(config, partial: bool = False) -> list[tuple[tuple, str]]:
    """(where, message) per way ``config`` breaks the schema; a misspelt key is named once,
    with the known key it is closest to (not also as the missing key it was meant to be)."""
    from jsonschema import Draft202012Validator  # a dependency of snakemake

    errors = sorted(
        Draft202012Validator(_schema()).iter_errors(config),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    found, meant = [], set()
    for error in errors:
        if error.validator == "additionalProperties":
            where = tuple(error.absolute_path)
            known = list(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(known), key=str):
                match = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                if match:
                    meant.add(where + (match[0],))
                    found.append((where + (key,), f"unknown setting: did you mean {match[0]}?"))
                else:
                    found.append(
                        (where + (key,), f"unknown setting (known here: {', '.join(known)})")
                    )
    # A rule with a key missing or unknown has too few or too many: that line says it.
    shape = {
        tuple(e.absolute_path)
        for e in errors
        if e.validator in ("required", "additionalProperties")
    }
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            continue
        if error.validator in ("minProperties", "maxProperties") and where in shape:
            continue
        if error.validator == "required":
            missing = [key for key in error.validator_value if key not in error.instance]
            missing = [key for key in missing if where + (key,) not in meant]
            if partial and not where:
                continue
            found.extend((where + (key,), "missing: this setting is required") for key in missing)
        else:
            found.append((where, _describe(error)))
    return found


def _describe(error) -> str:
    if isinstance(error.instance, datetime.date):
        # YAML reads an unquoted 2024-04-15 as a date, not the text the schema asks for.
        return f'write the date in quotes: "{error.instance.isoformat()}"'
    expected = error.validator_value if error.validator == "type" else ()
    if isinstance(error.instance, bool) and "string" in (
        [expected] if isinstance(expected, str) else expected
    ):
        # YAML reads an unquoted yes, no, true or false as a boolean, not as text.
        return (
            f"{str(error.instance).lower()} is a YAML boolean (yes/no, "
            'true/false): write it in quotes, e.g. "yes"'
        )
    if error.validator == "pattern" and "description" in error.schema:
        return f"{error.instance!r} is not {error.schema['description']}"
    if error.validator in ("minProperties", "maxProperties") and "description" in error.schema:
        return f"needs {error.schema['description']}"
    if error.validator == "enum":
        choices = [str(v) for v in error.validator_value]
        match = difflib.get_close_matches(str(error.instance), choices, n=1, cutoff=0.6)
        hint = f": did you mean {match[0]}?" if match else ""
        # Choices such as "" or "," read as themselves only in quotes.
        shown = (
            choices if all(c.isidentifier() for c in choices) else [json.dumps(c) for c in choices]
        )
        return f"{error.instance!r} is not one of {', '.join(shown)}{hint}"
    return error.message


def _dotted(where: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")


def _file_of(files: list[str], where: tuple) -> str:
    """The last of ``files`` that sets ``where`` (or its nearest enclosing setting)."""
    if len(files) == 1:
        return files[0]
    for depth in range(len(where), -1, -1):
        for path in reversed(files):
            if _holds(path, where[:depth]):
                return path
    return " + ".join(files)


def _holds(path: str, where: tuple) -> bool:
    try:
        node = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    if not where:
        return True
    for key in where:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return False
    return True


def setting_problems(config: dict) -> list[tuple[tuple, str]]:
    """What the schema cannot say: ranges the right way round, dates that can be, no two
    searches or rounds under one name, no setting that another one makes void."""
    sources = _source_problems(config)
    if sources:  # the other checks read each search's source
        return sources
    return (
        _round_problems(config)
        + _year_problems(config)
        + _full_text_problems(config)
        + _tool_problems(config)
        + [((), message) for message in _export_problems(config)]
    )


def _source_problems(config: dict) -> list[tuple[tuple, str]]:
    """Each search names one source: a database, a register or another method."""
    found = []
    for r, round_ in enumerate(config.get("rounds") or []):
        for s, search in enumerate(round_["searches"]):
            given = [kind for kind in SOURCE_KINDS if kind in search]
            if len(given) > 1:
                named = " and ".join(f"a {kind} ({search[kind]!r})" for kind in given)
                found.append(
                    (
                        ("rounds", r, "searches", s),
                        f"names {named}: one search is of one source, so give each its own search",
                    )
                )
            elif not given:
                found.append(
                    (
                        ("rounds", r, "searches", s),
                        "names no source: give the database it searched (database: MEDLINE), "
                        "the trial register (register: ClinicalTrials.gov) or the other method "
                        "(method: citation searching)",
                    )
                )
    return found


def _dates(config: dict) -> list[tuple[tuple, datetime.date]]:
    out = []
    for r, round_ in enumerate(config.get("rounds") or []):
        for s, search in enumerate(round_["searches"]):
            try:
                out.append(
                    (
                        ("rounds", r, "searches", s, "date"),
                        datetime.date.fromisoformat(search["date"]),
                    )
                )
            except ValueError:  # 2024-02-30 passes the pattern: no such day
                pass
    return out


def _round_problems(config: dict) -> list[tuple[tuple, str]]:
    found = []
    # A day's grace: a search run today where the calendar is already a day ahead.
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for r, round_ in enumerate(config.get("rounds") or []):
        if any(other["name"] == round_["name"] for other in config["rounds"][:r]):
            found.append(
                (
                    ("rounds", r, "name"),
                    f"{round_['name']!r} names an earlier round too: each round needs its own name",
                )
            )
        named: dict[str, int] = {}
        for s, search in enumerate(round_["searches"]):
            try:
                date = datetime.date.fromisoformat(search["date"])
            except ValueError:
                found.append(
                    (
                        ("rounds", r, "searches", s, "date"),
                        f"{search['date']!r}: there is no such day",
                    )
                )
            else:
                if date > tomorrow:
                    found.append(
                        (
                            ("rounds", r, "searches", s, "date"),
                            f"{search['date']} is in the future: the date a search was run",
                        )
                    )
            kind, source_name = source(search)
            name = " ".join(source_name.split()).casefold()
            if name in named:
                first = named[name]
                found.append(
                    (
                        ("rounds", r, "searches", s, kind),
                        f"{source_name!r} also names rounds[{r}].searches[{first}] of round "
                        f"{round_['name']}: one {kind} is one search per round, so list both "
                        "searches' files under one search's exports, or give each a distinct name "
                        '(e.g. "MEDLINE (Ovid)" and "MEDLINE (PubMed)")',
                    )
                )
            else:
                named[name] = s
    dates = _dates(config)
    for r in range(1, len(config.get("rounds") or [])):
        earlier = [(w, d) for w, d in dates if w[1] < r]
        if not earlier:
            continue
        latest_where, latest = max(earlier, key=lambda item: item[1])
        for where, date in dates:
            if where[1] == r and date < latest:
                found.append(
                    (
                        where,
                        f"{date.isoformat()} is before {_dotted(latest_where)} "
                        f"({latest.isoformat()}): rounds are listed oldest first",
                    )
                )
    return found


def _year_problems(config: dict) -> list[tuple[tuple, str]]:
    automation = ((config.get("eligibility") or {}).get("automation")) or {}
    years = automation.get("years")
    if not years:
        return []
    where = ("eligibility", "automation", "years")
    low, high = years
    if low > high:
        return [
            (
                where,
                f"[{low}, {high}] is reversed: write [first year, last year], e.g. [{high}, {low}]",
            )
        ]
    found = []
    for search, date in _dates(config):
        if date.year < low:
            found.append(
                (
                    search,
                    f"{date.isoformat()} is before the first year of {_dotted(where)} "
                    f"[{low}, {high}]: no record the search found could be eligible",
                )
            )
    return found


def _full_text_problems(config: dict) -> list[tuple[tuple, str]]:
    """A rule list that no report can pass: an empty ``in``, or rules on one fact whose
    allowed values have nothing in common."""
    found = []
    allowed: dict[str, tuple[int, set]] = {}
    excluded: dict[str, set] = {}
    for n, rule in enumerate((config.get("eligibility") or {}).get("full_text") or []):
        where = ("eligibility", "full_text", n)
        fact = rule["fact"]
        if "in" in rule or "equals" in rule:
            values = {str(v).casefold() for v in (rule["in"] if "in" in rule else [rule["equals"]])}
            if not values:
                found.append((where + ("in",), "an empty list: no report could pass this rule"))
                continue
            if fact in allowed and not allowed[fact][1] & values:
                found.append(
                    (
                        where,
                        f"no {fact} passes both this rule and "
                        f"eligibility.full_text[{allowed[fact][0]}]",
                    )
                )
            allowed.setdefault(fact, (n, values))
        elif "not_in" in rule:
            excluded.setdefault(fact, set()).update(str(v).casefold() for v in rule["not_in"])
    for fact, (n, values) in allowed.items():
        if values <= excluded.get(fact, set()):
            found.append(
                (
                    ("eligibility", "full_text", n),
                    f"every {fact} this rule lets through another rule's "
                    "not_in excludes: no report could pass",
                )
            )
    return found


def _tool_problems(config: dict) -> list[tuple[tuple, str]]:
    """Settings another setting makes void would be ignored without a word."""
    section = config.get("screening_tools") or {}
    where = ("screening_tools",)
    found = []
    if "arbiter" in section and section.get("consensus") != "third_reviewer":
        found.append(
            (where + ("arbiter",), "an arbiter decides only with consensus: third_reviewer")
        )
    if "export_stage" in section and section.get("export_works", "pending") != "pending":
        found.append(
            (
                where + ("export_stage",),
                "selects among pending works: it needs export_works: pending",
            )
        )
    for n, item in enumerate(section.get("imports") or []):
        if "list" in item and item["tool"] != "covidence":
            found.append((where + ("imports", n, "list"), "only Covidence exports come in lists"))
    return found


def _export_problems(config: dict) -> list[str]:
    """Each export file is named by one search only: its records are counted once, under
    one database and round (a later search of the same database is a new file)."""
    named: dict[str, list[str]] = {}
    for item in exports(config) if config.get("rounds") else []:
        named.setdefault(item["path"], []).append(f"{item['round']}: {source(item)[1]}")
    repeated = {export: where for export, where in named.items() if len(where) > 1}
    if not repeated:
        return []
    return [
        "an export is named by more than one search (each export file "
        "belongs to one search; a later "
        "search is a new file): "
        + "; ".join(f"{export} ({'; '.join(where)})" for export, where in repeated.items())
    ]


def round_names(rounds) -> list[str]:
    """The names of the config's ``rounds`` (or the names themselves), oldest first."""
    return [r["name"] if isinstance(r, dict) else str(r) for r in rounds]


def source(search: dict) -> tuple[str, str]:
    """(kind, name) of what a search searched: ("database", "MEDLINE"), ("register",
    "ClinicalTrials.gov") or ("method", "citation searching"). Also of an entry of
    ``exports`` and of the manifest's exports, which name it the way the search does."""
    kind = next((kind for kind in SOURCE_KINDS[1:] if kind in search), "database")
    return kind, search[kind]


def databases(config: dict) -> list[str]:
    """The databases searched in the last round, in config order."""
    return [
        name for kind, name in map(source, config["rounds"][-1]["searches"]) if kind == "database"
    ]


def registers(rounds: list[dict]) -> list[str]:
    """The trial registers any round searched, in config order (first mention)."""
    return _sources_of_kind(rounds, "register")


def methods(rounds: list[dict]) -> list[str]:
    """The other methods (config.METHODS) any round used, in config order (first mention)."""
    return _sources_of_kind(rounds, "method")


def _sources_of_kind(rounds: list[dict], wanted: str) -> list[str]:
    found = [
        name
        for round_ in rounds
        for kind, name in map(source, round_["searches"])
        if kind == wanted
    ]
    return list(dict.fromkeys(found))


def other_method_files(config: dict) -> set[str]:
    """The export files of the config's other-method searches (their records are the other
    methods' side of the PRISMA flow)."""
    return {entry["path"] for entry in exports(config) if "method" in entry}


def in_config_order(databases: list[str], found) -> list[str]:
    """The config's databases in its order, then any other database ``found`` names, sorted."""
    return list(databases) + sorted(set(found) - set(databases))


def exports(config: dict) -> list[dict]:
    """Every export file with the database (register, method) and round it came from, in
    config order: {"path", "database", "register" or "method": its name, "round"}."""
    return [
        {"path": path, source(search)[0]: source(search)[1], "round": round_["name"]}
        for round_ in config["rounds"]
        for search in round_["searches"]
        for path in search["exports"]
    ]


def round_ranks(config: dict) -> dict[str, int]:
    """export path -> its round's position in the config (0 = the earliest round)."""
    ranks = {name: i for i, name in enumerate(round_names(config["rounds"]))}
    return {entry["path"]: ranks[entry["round"]] for entry in exports(config)}
