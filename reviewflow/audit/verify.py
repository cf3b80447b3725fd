"""`reviewflow verify`: re-derive every PRISMA number and say where anything disagrees.

Seven checks, each naming file, line or number on failure:
1. the manifest's SHA-256 against every config, export and decision file;
2. the ledger against the exports: every input record present exactly once,
   with the export's source_id and title;
3. the records tables, ledger, dedup tables, pending list and PRISMA tables against a re-derivation:
   dedup, screening and the PRISMA outputs run again on the exports, decisions and
   config the manifest names (counts alone miss two records' statuses or clusters swapped);
4. every count in counts.json against ``counts_from_ledger`` on the ledger;
5. the PRISMA arithmetic between the counts;
6. every output the run lists in the manifest exists with its SHA-256 (the drawings'
   bytes, which re-deriving cannot compare, among them);
7. every line the flow diagram draws, in the SVG, the PDF's text and the HTML page,
   against the diagram counts.json gives (reviewflow.audit.drawings).
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
from pathlib import Path

import pandas as pd

from reviewflow.audit import drawings
from reviewflow.audit.manifest import sha256
from reviewflow.config import databases, load, methods, registers, round_names, source
from reviewflow.errors import ReviewflowError
from reviewflow.ingest import ingest, read_export
from reviewflow.paths import AUDIT, DEDUP, PRISMA, SCREENING, records_table
from reviewflow.paths import COUNTS as COUNTS_OUT
from reviewflow.prisma.counts import (
    counts_from_ledger,
    other_method_rows,
    template_fields,
    write_counts_of,
)
from reviewflow.prisma.outputs import read_counts, thousands_separator, write_prisma
from reviewflow.screening.ledger import read_ledger
from reviewflow.screening.run import screen

LEDGER = SCREENING.path("ledger")
MANIFEST = AUDIT.path("manifest")
COUNTS = COUNTS_OUT.path("counts")

log = logging.getLogger(__name__)

INPUT_KINDS = ("config", "exports", "decisions", "inputs")


def check_hashes(manifest: dict, root: Path, kinds=INPUT_KINDS) -> list[str]:
    """Each file of the manifest's ``kinds`` ("outputs": what the run wrote) exists with its
    SHA-256."""
    problems = []
    entries = [
        (kind, e)
        for kind in kinds
        for e in ([manifest["config"]] if kind == "config" else manifest.get(kind, []))
    ]
    for kind, entry in entries:
        what = kind.rstrip("s")
        path = root / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: {what} file named in the manifest is missing")
        elif (actual := sha256(path)) != entry["sha256"]:
            problems.append(
                f"{entry['path']}: SHA-256 {actual[:16]}… differs from the "
                f"manifest's {entry['sha256'][:16]}… "
                f"(the {kind} file changed since the run)"
            )
    return problems


def line(i: int) -> int:
    """CSV line of positional ledger row ``i`` (line 1 is the header)."""
    return i + 2


def check_records(ledger: pd.DataFrame, manifest: dict, root: Path, ledger_name: str) -> list[str]:
    problems = []
    ids = ledger["record_id"].reset_index(drop=True)
    repeated = ids[ids.duplicated(keep=False)]
    for record_id, rows in repeated.groupby(repeated).groups.items():
        lines = ", ".join(str(line(i)) for i in rows)
        problems.append(
            f"{ledger_name}: record {record_id} appears {len(rows)} times (lines {lines})"
        )
    position = {record_id: i for i, record_id in enumerate(ids)}
    seen = set()
    for entry in manifest["exports"]:
        path = entry["path"]
        log.info("verify: re-reading %s", path)
        try:
            records = read_export(root / path, source_db=source(entry)[1], name=path)
        except (ReviewflowError, OSError) as exc:
            problems.append(f"{path}: cannot be re-read: {exc}")
            continue
        for rec in records[["record_id", "source_index", "source_id", "title"]].itertuples(
            index=False
        ):
            seen.add(rec.record_id)
            i = position.get(rec.record_id)
            if i is None:
                problems.append(
                    f"{ledger_name}: record {rec.source_index} of {path} ({rec.record_id}, "
                    f"source_id {rec.source_id!r}) is missing"
                )
                continue
            row = ledger.iloc[i]
            for field in ("source_id", "title"):
                if str(row[field]) != str(getattr(rec, field)):
                    problems.append(
                        f"{ledger_name} line {line(i)} ({rec.record_id}): {field} {row[field]!r} "
                        f"but {path} has {getattr(rec, field)!r}"
                    )
    for i, record_id in enumerate(ids):
        if record_id not in seen:
            problems.append(
                f"{ledger_name} line {line(i)}: record {record_id} is in no "
                "export named in the manifest"
            )
    return problems


def check_counts(stated: dict, derived: dict, counts_name: str) -> list[str]:
    problems = []
    for key in sorted(set(stated) | set(derived)):
        a, b = stated.get(key), derived.get(key)
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a or {}, b or {}
            for sub in sorted(set(a) | set(b)):
                if a.get(sub) != b.get(sub):
                    problems.append(
                        f"{counts_name}: {key}[{sub!r}] is {a.get(sub)}, the ledger "
                        f"gives {b.get(sub)}"
                    )
        elif a != b:
            problems.append(f"{counts_name}: {key} is {a}, the ledger gives {b}")
    return problems


def check_arithmetic(c: dict, counts_name: str, pending: dict[str, int] | None = None) -> list[str]:
    """The PRISMA subtractions between the counts. ``pending`` ({status: n} of the latest
    round's rows still waiting, for a review in progress) takes those works out of the
    boxes they have not reached, instead of failing because the flow does not close."""
    removed = c["duplicates"] + c["excluded_automatic"] + c["excluded_other"]
    if pending is None:
        removed_label, not_retrieved_label, waiting, waiting_ft = (
            "removed before screening",
            "reports not retrieved",
            0,
            0,
        )
    else:
        waiting, waiting_ft = (
            pending.get("pending_screening", 0),
            pending.get("pending_full_text", 0),
        )
        removed_label = "removed before screening − awaiting screening"
        not_retrieved_label = "reports not retrieved − reports awaiting full-text facts"
    steps = [
        (
            f"records identified − {removed_label}",
            c["database_results"] + c.get("register_results", 0),
            removed + waiting,
            "records_screened",
        ),
        (
            "records screened − records excluded",
            c["records_screened"],
            c["records_excluded"],
            "dbr_sought_reports",
        ),
        (
            f"reports sought − {not_retrieved_label}",
            c["dbr_sought_reports"],
            c["dbr_notretrieved_reports"] + waiting_ft,
            "dbr_assessed",
        ),
        # Earlier rounds' works first included now are new reports this round did not assess.
        (
            "reports assessed − reports excluded, of both columns "
            "(+ earlier rounds' reports included now)",
            c["dbr_assessed"]
            + c.get("other_assessed", 0)
            + c.get("new_reports_from_previous_rounds", 0),
            sum(c["dbr_excluded"].values()) + sum(c.get("other_excluded", {}).values()),
            "new_reports",
        ),
    ]
    if "other_specific_results" in c:
        waiting_other = (pending or {}).get("other_pending_screening", 0)
        waiting_other_ft = (pending or {}).get("other_pending_full_text", 0)
        steps += [
            (
                "other methods' records identified − duplicates − not sought"
                + (" − awaiting screening" if pending is not None else ""),
                sum(c["other_specific_results"].values()),
                c["other_duplicates"] + c["other_not_sought"] + waiting_other,
                "other_sought_reports",
            ),
            (
                f"other methods' reports sought − {not_retrieved_label}",
                c["other_sought_reports"],
                c["other_notretrieved_reports"] + waiting_other_ft,
                "other_assessed",
            ),
        ]
    problems = [
        f"{counts_name}: PRISMA arithmetic: {what} = {a} − {b} = {a - b}, but {key} is {c[key]}"
        for what, a, b, key in steps
        if a - b != c[key]
    ]
    for kind in ("database", "register"):
        if f"{kind}_results" in c:
            per_source = sum(c[f"{kind}_specific_results"].values())
            if per_source != c[f"{kind}_results"]:
                problems.append(
                    f"{counts_name}: the {kind}s' records add up to {per_source}, "
                    f"but {kind}_results is {c[f'{kind}_results']}"
                )
    if "other_specific_results" in c:
        for field, found in template_fields(c["other_specific_results"]).items():
            if found != c[field]:
                problems.append(
                    f"{counts_name}: the other methods counted as {field} add up to {found}, "
                    f"but {field} is {c[field]}"
                )
    if "total_reports" in c:
        # Previously included reports the update excludes (e.g. retracted) leave the total.
        withdrawn = sum(c.get("previous_reports_excluded", {}).values())
        total = c["previous_reports"] - withdrawn + c["new_reports"]
        if total != c["total_reports"]:
            problems.append(
                f"{counts_name}: previous_reports - previous_reports_excluded "
                f"+ new_reports = {total}, "
                f"but total_reports is {c['total_reports']}"
            )
    if pending is None and not c.get("complete", True):
        problems.append(
            f"{counts_name}: screening is not complete (records still "
            "pending), so the flow does not close "
            "(--allow-incomplete verifies a review in progress)"
        )
    return problems


def pending_counts(ledger: pd.DataFrame, rounds: list[str], methods=()) -> dict[str, int]:
    """Rows of the latest round still waiting for a decision, by status; the other methods'
    (``methods``, config.methods) as other_<status>."""
    current = ledger[ledger["round"] == rounds[-1]] if rounds else ledger
    waiting = current.loc[current["status"].isin(("pending_screening", "pending_full_text"))]
    status = waiting["status"].where(
        ~other_method_rows(waiting, methods), "other_" + waiting["status"]
    )
    return {name: int(n) for name, n in status.value_counts().items()}


MAX_CELLS = 20  # differing ledger cells named one by one; the rest are counted


# The PRISMA outputs verify draws again and compares: the tables byte for byte, the HTML
# page without its drawing, the overlap figure's text (drawn with the run's matplotlib
# only). The other drawings' bytes depend on the matplotlib version as well as on the
# numbers: check_drawings reads their text back, the manifest hashes their bytes.
REDRAWN = ("html", "csv", "overlap")


def rederive(
    manifest: dict, config: dict, root: Path, work: Path, figures: bool = True
) -> dict[str, Path]:
    """Run ingest, dedup, screening and the PRISMA outputs again into ``work``, through the
    functions the workflow's rules run (their commands'), on the exports and config the
    manifest names; returns where each re-derived file is, by its path under results/.
    ``figures``: draw the overlap figure too (its text is compared)."""
    from reviewflow.dedup.output import run_dedup

    found = {}
    # The exports', the config's, the decision and overrides files' paths are the project's.
    with contextlib.chdir(root):
        for i, entry in enumerate(manifest["exports"]):
            table = found[records_table(entry["path"])] = work / f"records/{i}.csv"
            table.parent.mkdir(parents=True, exist_ok=True)
            ingest([entry["path"]], table, source(entry)[1])
        tables = list(found.values())
        dedup = DEDUP.under(work / DEDUP.directory)
        run_dedup(tables, work / DEDUP.directory, config)
        screened = SCREENING.under(work)
        screen(
            tables,
            dedup["clusters"],
            dedup["works"],
            config,
            work,
            pairs_path=dedup["pairs"],
            related_path=dedup["related"],
        )
        counts = COUNTS_OUT.under(work / COUNTS_OUT.directory)["counts"]
        write_counts_of(screened["ledger"], config, counts)
        redrawn = REDRAWN + (("overlap_svg",) if figures else ())
        write_prisma(
            screened["ledger"],
            counts,
            manifest["config"]["path"],
            work / PRISMA.directory,
            only=redrawn,
        )
    found.update({DEDUP.path(key): path for key, path in dedup.items()})
    found.update({SCREENING.path(key): screened[key] for key in ("ledger", "pending")})
    found.update(
        {
            PRISMA.path(key): path
            for key, path in PRISMA.under(work / PRISMA.directory).items()
            if key in redrawn
        }
    )
    return found


def _same_matplotlib(manifest: dict) -> bool:
    """Whether figures drawn now can be compared with the run's by their text: tick
    labels are matplotlib's choice, so only with the version the run used."""
    from importlib import metadata

    used = manifest.get("versions", {}).get("matplotlib")
    if used == metadata.version("matplotlib"):
        return True
    log.info(
        "verify: matplotlib %s is not the run's %s: the overlap "
        "figure's text is not compared (its bytes "
        "are, with the manifest)",
        metadata.version("matplotlib"),
        used,
    )
    return False


def _first_difference(a: bytes, b: bytes) -> int:
    """1-based line of the first difference between two texts."""
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), start=1):
        if x != y:
            return number
    return min(len(a.splitlines()), len(b.splitlines())) + 1


def compare_ledgers(stated: pd.DataFrame, derived: pd.DataFrame, ledger_name: str) -> list[str]:
    """Each ledger cell that differs from the re-derivation, by line, record and column."""
    derived = derived.set_index("record_id")
    problems, differing = [], 0
    for i, row in enumerate(stated.to_dict("records")):
        if row["record_id"] not in derived.index:
            continue  # check_records names records no export has
        expected = derived.loc[row["record_id"]]
        for column in derived.columns.intersection(stated.columns, sort=False):
            want = str(expected[column])
            if str(row[column]) != want:
                differing += 1
                if differing <= MAX_CELLS:
                    problems.append(
                        f"{ledger_name} line {line(i)} ({row['record_id']}): {column} is "
                        f"{str(row[column])!r}, re-deriving from the exports and decisions gives "
                        f"{want!r}"
                    )
    if differing > MAX_CELLS:
        problems.append(
            f"{ledger_name}: {differing - MAX_CELLS} more cells differ from the re-derivation"
        )
    return problems


def check_rederived(
    manifest: dict, config: dict, root: Path, results: Path, ledger: pd.DataFrame
) -> list[str]:
    log.info("verify: re-running deduplication, screening and the PRISMA tables")
    with tempfile.TemporaryDirectory(prefix="reviewflow-verify-") as tmp:
        try:
            derived = rederive(
                manifest, config, root, Path(tmp), figures=_same_matplotlib(manifest)
            )
        except (ReviewflowError, OSError) as exc:
            return [f"cannot re-derive the results from the exports and decisions: {exc}"]
        problems = []
        for rel in sorted(set(derived) | set(PRISMA.results(".").values())):
            name = results / rel
            if not name.is_file():
                problems.append(f"{name}: missing (the run writes it)")
                continue
            path = derived.get(rel)
            if path is None:
                continue  # a drawing not drawn again (REDRAWN)
            if rel == drawings.OVERLAP_SVG:
                problems += drawings.check_redrawn_svg(name, path)
                continue
            have, want = name.read_bytes(), path.read_bytes()
            if rel == drawings.HTML:
                have, want = (
                    drawings.without_svg(b.decode("utf-8", "replace")).encode("utf-8")
                    for b in (have, want)
                )
            if have == want:
                continue
            if rel == LEDGER:
                cells = compare_ledgers(ledger, read_ledger(path), str(name))
                if cells:
                    problems += cells
                    continue
            problems.append(
                f"{name} line {_first_difference(have, want)}: differs from "
                "re-running the workflow "
                "on the exports and decisions"
            )
    return problems


def verify(results_dir, root=None, allow_incomplete: bool = False) -> list[str]:
    """Every discrepancy found, as a sentence naming where; empty if all checks hold.

    Works still pending fail the check (the flow does not close) unless
    ``allow_incomplete``: a review in progress then verifies as far as it goes."""
    results = Path(results_dir)
    root = Path(root) if root is not None else results.resolve().parent
    names = {
        key: str(results / rel)
        for key, rel in (("ledger", LEDGER), ("manifest", MANIFEST), ("counts", COUNTS))
    }
    for key, name in names.items():
        if not Path(name).is_file():
            raise ReviewflowError(f"{key} not found", name)
    try:
        manifest = json.loads(Path(names["manifest"]).read_text(encoding="utf-8"))
        config_path = manifest["config"]["path"]
    except (ValueError, KeyError, TypeError) as exc:  # cut short, or not a manifest
        raise ReviewflowError(
            f"not a readable manifest ({type(exc).__name__}: {exc})", names["manifest"]
        ) from None
    ledger = read_ledger(names["ledger"])
    stated = read_counts(names["counts"])
    config = load(root / config_path)
    rounds = round_names(config["rounds"])

    problems = check_hashes(manifest, root)
    problems += check_records(ledger, manifest, root, names["ledger"])
    if (
        not problems
    ):  # changed or unreadable inputs are already named; re-deriving from them says no more
        problems += check_rederived(manifest, config, root, results, ledger)
    problems += check_hashes(manifest, root, ("outputs",))
    derived = counts_from_ledger(
        ledger, rounds, registers(config["rounds"]), methods(config["rounds"])
    )
    problems += check_counts(stated, derived, names["counts"])
    try:
        problems += drawings.check_drawings(
            results, stated, databases(config), thousands_separator(config)
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        problems.append(f"{names['counts']}: cannot lay out the flow diagram from it ({exc!r})")
    try:
        pending = (
            pending_counts(ledger, rounds, methods(config["rounds"])) if allow_incomplete else None
        )
        problems += check_arithmetic(stated, names["counts"], pending)
    except (KeyError, TypeError, AttributeError) as exc:
        problems.append(f"{names['counts']}: a PRISMA count is missing or malformed ({exc!r})")
    return problems
