"""The audit ledger: one row per input record, saying what became of it.

Each work's decisions sit on its primary record's row; the other members of its
duplicate cluster carry status "duplicate". Rows are ordered by round (config
order), source_file and source_index, so the file is the same byte for byte for
the same inputs.
"""

from __future__ import annotations

import pandas as pd

from reviewflow.contracts import LEDGER
from reviewflow.dedup.related import TRIAL_REPORT
from reviewflow.errors import ReviewflowError
from reviewflow.screening import eligibility
from reviewflow.screening.rounds import assign_origin, round_of_files

COLUMNS = LEDGER.names
STATUSES = LEDGER.column("status").values
# The relations of related.csv that a work's primary row names.
NOTICED = ("erratum", "retraction", TRIAL_REPORT)
_RECORD_FIELDS = [
    "record_id",
    "source_db",
    "source_file",
    "source_index",
    "source_id",
    "title",
    "year",
    "doi",
    "pmid",
    "language",
]


def primary_flags(is_primary: pd.Series) -> pd.Series:
    """An is_primary column as booleans, whether already bool or text read from a CSV ("True")."""
    return is_primary.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def _missing(ids, what: str, where: str) -> None:
    if ids:
        shown = ", ".join(sorted(ids)[:20]) + (
            f" and {len(ids) - 20} more" if len(ids) > 20 else ""
        )
        raise ReviewflowError(f"{len(ids)} {what}: {shown}", where)


def ledger_base(
    records: pd.DataFrame,
    clusters: pd.DataFrame,
    works: pd.DataFrame,
    rounds: list[dict],
    related: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Records joined with their clusters, work keys and rounds; every record accounted for.

    ``related`` (results/dedup/related.csv): a work's erratum and retraction notices found
    in the search, and a registration's reports, go into ``notices`` on its primary row,
    for the reviewer to check."""
    rec = records[_RECORD_FIELDS].copy()
    _missing(
        list(rec.loc[rec["record_id"].duplicated(), "record_id"]),
        "records appear twice",
        "records tables",
    )
    clu = clusters[["record_id", "cluster_id", "is_primary", "duplicate_of"]].astype(str)
    _missing(
        list(clu.loc[clu["record_id"].duplicated(), "record_id"]),
        "records clustered twice",
        "clusters",
    )
    _missing(
        set(rec["record_id"]) - set(clu["record_id"]),
        "records missing from the clusters",
        "clusters",
    )
    _missing(
        set(clu["record_id"]) - set(rec["record_id"]),
        "clustered records not in the records tables",
        "clusters",
    )
    keys = works[["cluster_id", "key"]].astype(str).rename(columns={"key": "work_key"})
    _missing(
        set(clu["cluster_id"]) - set(keys["cluster_id"]),
        "clusters missing from the works table",
        "works",
    )
    base = rec.merge(clu, on="record_id", how="left", validate="one_to_one")
    base = base.merge(keys, on="cluster_id", how="left", validate="many_to_one")
    base["is_primary"] = primary_flags(base["is_primary"])
    base["notices"] = notices_of(base["work_key"], related).where(base["is_primary"], "")
    primaries = base.loc[base["is_primary"]].groupby("cluster_id").size()
    bad = set(base["cluster_id"]) - set(primaries[primaries == 1].index)
    _missing(bad, "clusters without exactly one primary record", "clusters")
    files = round_of_files(rounds)
    base["round"] = base["source_file"].map(files)
    _missing(
        set(base.loc[base["round"].isna(), "source_file"]),
        "source files named by no round's exports",
        "config rounds",
    )
    order = {r["name"]: i for i, r in enumerate(rounds)}
    base["_round_order"] = base["round"].map(order)
    base = base.sort_values(["_round_order", "source_file", "source_index"], kind="stable")
    return assign_origin(base.drop(columns="_round_order").reset_index(drop=True), rounds)


def notices_of(work_keys: pd.Series, related: pd.DataFrame | None) -> pd.Series:
    """Per work key: "erratum: <record>; retraction: <record>" from related.csv ("" = none);
    a registration's work also names the reports of its trial ("report of registered trial:
    <record>")."""
    if related is None or related.empty:
        return pd.Series("", index=work_keys.index, dtype=object)
    notices = related[related["relation"].isin(NOTICED)].sort_values(["relation", "related_record"])
    text = (
        (notices["relation"] + ": " + notices["related_record"])
        .groupby(notices["work_key"])
        .agg("; ".join)
    )
    return work_keys.map(text).fillna("")


def _full_text(facts: dict, rules: list[dict], where: str) -> dict:
    """Ledger fields of a work included at title/abstract, from its full-text facts."""
    if facts is None:
        return {"status": "pending_full_text", "ft_reason": "No full-text facts recorded"}
    out = {
        "ft_retrieved": facts["retrieved"],
        "ft_design": facts["design"],
        "study": facts["study"],
    }
    if facts["retrieved"] == "no":
        return out | {
            "status": "not_retrieved",
            "ft_decision": "exclude",
            "ft_reason": "Not retrieved",
        }
    if facts["retrieved"] != "yes":
        return out | {"status": "pending_full_text", "ft_reason": "Missing fact: retrieved"}
    outcome = eligibility.evaluate(rules, facts, where)
    override = facts["override"]
    if override == "include":
        said = outcome.reason or ("missing " + outcome.missing if outcome.missing else "all passed")
        by_rules = f"rules: {said}"
        return out | {
            "status": "included",
            "ft_decision": "include (override)",
            "ft_reason": f"Override: {facts['override_reason']} ({by_rules})",
        }
    if override == "exclude":
        # The override reason is what the PRISMA diagram prints for this report.
        return out | {
            "status": "excluded_full_text",
            "ft_decision": "exclude (override)",
            "ft_reason": facts["override_reason"],
        }
    if outcome.missing:
        return out | {
            "status": "pending_full_text",
            "ft_reason": f"Missing fact: {outcome.missing}",
        }
    if outcome.decision == "exclude":
        return out | {
            "status": "excluded_full_text",
            "ft_decision": "exclude",
            "ft_reason": outcome.reason,
        }
    return out | {"status": "included", "ft_decision": "include"}


# Final statuses of a work that its decisions exclude, at whatever stage.
EXCLUDED = (
    "excluded_automation",
    "excluded_other",
    "excluded_screening",
    "not_retrieved",
    "excluded_full_text",
)


def _decide(
    row: dict, title_abstract: dict, full_text: dict, automation: dict, rules: list[dict]
) -> dict:
    """Ledger fields of a work's primary row, from its metadata and decisions."""
    cluster = row["cluster_id"]
    failed = eligibility.automation_failure(
        row["year"] if pd.notna(row["year"]) else None, row["language"], automation
    )
    if failed:
        return {"status": "excluded_automation", "automation": failed}
    ta = title_abstract.get(cluster)
    if ta is None:
        return {"status": "pending_screening"}
    fields = {
        "ta_decision": ta.values["decision"],
        "ta_reason": ta.values["reason"],
        "ta_reviewer": ta.values["reviewer"],
    }
    if ta.values["decision"] == "exclude":
        return fields | {"status": "excluded_screening"}
    ft = full_text.get(cluster)
    fields |= _full_text(ft.values if ft else None, rules, ft.where if ft else "")
    if fields["status"] == "included" and not fields.get("study"):
        fields["study"] = row["work_key"]  # one study per report unless a label groups them
    return fields


def _previous_status(final: str, before: str) -> str:
    """Status of a work an earlier round found: what the earlier rounds made of it.

    Included then -> previous_included, even if the update now excludes it (its
    decision fields then say why). Excluded now and not included then ->
    previous_excluded. A work still pending, or first included by the update's
    decisions, keeps its own status.
    """
    if before == "included" and final not in ("pending_screening", "pending_full_text"):
        return "previous_included"
    if final in EXCLUDED:
        return "previous_excluded"
    return final


def build_ledger(
    base: pd.DataFrame,
    title_abstract: dict,
    full_text: dict,
    settings: dict,
    earlier: tuple[dict, dict] | None = None,
) -> pd.DataFrame:
    """Apply automation rules, decisions and full-text rules to ``ledger_base``'s rows.

    ``title_abstract`` and ``full_text`` map cluster_id -> decisions.Decision (all
    rounds' decisions, the latest round's winning); ``earlier`` is the same pair as
    decided before the latest round (default: the same decisions); ``settings`` is
    the config's ``eligibility:`` section.
    """
    automation = settings.get("automation") or {}
    rules = settings.get("full_text") or []
    eligibility.check_rules(rules)
    earlier = earlier or (title_abstract, full_text)
    ledger = base.copy()
    for column in COLUMNS:
        if column not in ledger:
            ledger[column] = ""
    rows = []
    for row in ledger.to_dict("records"):
        if not row["is_primary"]:
            scope = "within_round" if row["round"] == row["origin"] else "previous_round"
            rows.append({"status": "duplicate", "duplicate_scope": scope, "_final": "duplicate"})
            continue
        fields = _decide(row, title_abstract, full_text, automation, rules)
        fields["_final"] = fields["status"]
        if row["previous"]:
            before = _decide(row, *earlier, automation, rules)["status"]
            fields["status"] = _previous_status(fields["status"], before)
        rows.append(fields)
    updates = pd.DataFrame(rows, index=ledger.index).fillna("")
    for column in updates.columns:
        ledger[column] = updates[column]
    _check_full_text_reached(ledger, full_text)
    text = [c for c in COLUMNS if c not in ("year", "source_index", "is_primary")]
    ledger[text] = ledger[text].fillna("").astype(str)
    return ledger[COLUMNS]


def _check_full_text_reached(ledger: pd.DataFrame, full_text: dict) -> None:
    """Full-text facts for a work not included at title/abstract contradict the screening.

    Works excluded by automation are let be: tightening a rule must not turn old
    decisions into errors.
    """
    status = ledger.loc[ledger["is_primary"]].set_index("cluster_id")["_final"]
    reached = {
        "not_retrieved",
        "pending_full_text",
        "excluded_full_text",
        "included",
        "excluded_automation",
    }
    bad = {
        cluster: decision
        for cluster, decision in full_text.items()
        if status[cluster] not in reached
    }
    if bad:
        lines = sorted(
            f"{', '.join(r.at for r in d.rows)} ({d.values['id']}: {status[c]})"
            for c, d in bad.items()
        )
        raise ReviewflowError(
            f"{len(bad)} full-text facts for works not included at title/abstract:\n  "
            + "\n  ".join(lines),
            next(iter(bad.values())).path,
        )


def withdrawn_reasons(rows: pd.DataFrame) -> pd.Series:
    """Why the latest decisions exclude each previous_included row ("" if they keep it).

    A previous_included row carries the latest decisions: an automation rule it
    now fails, a title/abstract exclusion or a full-text exclusion (e.g. retracted).
    """
    reason = pd.Series("", index=rows.index)
    reason = reason.mask(
        rows["ft_decision"].astype(str).str.startswith("exclude"), rows["ft_reason"]
    )
    reason = reason.mask(
        rows["ta_decision"] == "exclude",
        rows["ta_reason"].where(rows["ta_reason"] != "", "Excluded at title/abstract"),
    )
    return reason.mask(rows["automation"] != "", rows["automation"])


def in_review(ledger: pd.DataFrame) -> pd.Series:
    """Rows of the reports the review now includes: this round's and earlier rounds' still kept."""
    previous = ledger["status"] == "previous_included"
    kept = pd.Series(False, index=ledger.index)
    if previous.any():  # a single-round ledger needs no decision columns here
        still = withdrawn_reasons(ledger.loc[previous]) == ""
        kept = still.reindex(ledger.index, fill_value=False).astype(bool)
    return (ledger["status"] == "included") | kept


def write_ledger(ledger: pd.DataFrame, path) -> None:
    """Write the ledger with formula-safe cells."""
    from reviewflow.safe import safe_frame

    safe_frame(ledger[COLUMNS]).to_csv(path, index=False, lineterminator="\n")


def read_ledger(path) -> pd.DataFrame:
    """Read a ledger written by ``write_ledger`` back (is_primary as bool)."""
    from reviewflow.records import read_csv

    ledger = read_csv(path)
    _missing(sorted(set(COLUMNS) - set(ledger.columns)), "ledger columns missing", str(path))
    ledger["is_primary"] = primary_flags(ledger["is_primary"])
    _missing(sorted(set(ledger["status"]) - set(STATUSES)), "unknown statuses", str(path))
    return ledger
