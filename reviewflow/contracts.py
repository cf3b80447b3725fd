"""The tables the stages hand each other: their columns, types and meaning.

Each stage writes its tables with these columns, in this order, and each reader
names the columns it needs from them (``Table.needs``), so a column renamed here
is renamed for every writer and reader, and a reader cannot ask for a column no
stage writes. docs/contracts.md is generated from this module
(``python -m reviewflow.contracts > docs/contracts.md``); a test keeps the two equal.

Pure data: no stage is imported here, so every stage, however low, can use it; each table's
file is named by reviewflow.paths, below this module, where the rules name it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewflow import paths

# Column types, as a CSV cell holds them (an empty cell is always "no value").
TYPES = {
    "text": "any text",
    "integer": "a whole number",
    "number": "a decimal number, rounded to one place",
    "boolean": "`True` or `False` (in JSON `true` or `false`)",
    "list": "texts joined with `; ` (in memory: a list)",
    "mapping": "a JSON object of name → whole number",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of TYPES
    meaning: str
    values: tuple[str, ...] = ()  # the only values it takes, where they are a fixed set

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class Table:
    name: str
    file: str  # where the workflow writes it, under results/
    written_by: str
    meaning: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def needs(self, *names: str) -> tuple[str, ...]:
        """``names``, each checked to be a column of this table: what a reader reads of it."""
        for name in names:
            self.column(name)
        return names


_RECORD_ID = "the record: `<source_file>:<source_index>`, unique per input record"

RECORDS = Table(
    "records",
    paths.records_table("<export>"),
    "`reviewflow ingest` (reviewflow.ingest.read_export)",
    "One row per record of one export, in the export's order: every format is read into these "
    "fields. Provenance first, then the bibliographic fields.",
    (
        Column("record_id", "text", _RECORD_ID),
        Column(
            "source_db",
            "text",
            "the database searched, as the config names it (else read from the content)",
        ),
        Column("source_file", "text", "the export file, as the config names it"),
        Column("source_index", "integer", "the record's position in its export, from 1"),
        Column(
            "source_id",
            "text",
            "the database's own ID: PMID, Embase L-number, CENTRAL CN-, WoS UT, "
            "Scopus EID, register trial ID",
        ),
        Column("title", "text", "the title, as the database gives it"),
        # Every format: the fullest form the source gives (MEDLINE FAU over AU, WoS AF over AU).
        Column(
            "authors",
            "list",
            "`Surname, Given` each: given names where the database has them, else the "
            "initials as written (`Adler, D.G.`)",
        ),
        Column("year", "integer", "the publication year"),
        Column("journal", "text", "the full journal or source title, where given"),
        Column("journal_abbrev", "text", "the journal's abbreviation, where given"),
        Column("volume", "text", "the volume"),
        Column("issue", "text", "the issue"),
        Column(
            "pages",
            "text",
            "`start-end` with the end written out (`1005-7` → `1005-1007`); without a range, "
            "the article number (e-locator)",
        ),
        Column("page_start", "text", "the first page"),
        Column("page_end", "text", "the last page, written out"),
        Column("doi", "text", "the DOI: lower case, without URL prefix or `doi:`, percent-decoded"),
        Column("pmid", "text", "the PubMed ID"),
        Column("issn", "text", "the ISSN(s), `1234-567X`, `; `-joined"),
        Column("isbn", "text", "the ISBN"),
        Column("language", "text", "the language of the publication"),
        # "trial registration": a register's record of a trial (ClinicalTrials.gov, ICTRP, CENTRAL's
        # copies).
        Column(
            "publication_type",
            "text",
            "what the record is, from the database's own type",
            (
                "journal article",
                "review",
                "conference abstract",
                "conference paper",
                "erratum",
                "letter",
                "editorial",
                "comment",
                "case report",
                "clinical trial",
                "book",
                "book chapter",
                "preprint",
                "thesis",
                "retraction",
                "trial registration",
                "other",
            ),
        ),
        Column("abstract", "text", "the abstract"),
        Column("keywords", "list", "the keywords and subject headings"),
        Column("notes", "text", "the database's notes"),
        Column(
            "register_ids",
            "list",
            "every trial-register ID the record carries, its own first for a register "
            "record: `NCT01234567`, `EUCTR2004-000123-45`, `ISRCTN12345678`",
        ),
    ),
)

_RULE = (
    "the decision rule that merged the pair (reviewflow/dedup/compare.py `RULES`: `doi`, `pmid`, "
    "`title_authors`, ...; `override`: the reviewer's overrides file)"
)

CLUSTERS = Table(
    "clusters",
    paths.DEDUP.path("clusters"),
    "`reviewflow dedup` (reviewflow.deduplicate)",
    "One row per input record: the work it belongs to. Sorted by "
    "cluster_id, primary record first, then "
    "source_file, source_index.",
    (
        Column("record_id", "text", _RECORD_ID),
        Column("source_file", "text", "the export file"),
        Column("source_index", "integer", "the record's position in its export, from 1"),
        Column("source_id", "text", "the database's own ID"),
        Column("source_db", "text", "the database"),
        Column(
            "cluster_id",
            "integer",
            "the work, numbered 1, 2, ... in work-key order: for joining this run's "
            "tables (the work key, in works.csv, is what outlives a rerun)",
        ),
        Column(
            "is_primary", "boolean", "the work's most complete record, whose fields works.csv shows"
        ),
        Column("duplicate_of", "text", "the work's primary record_id (empty on the primary)"),
        Column(
            "rule",
            "text",
            "the rule that merged the record into its work: its pair with the primary, else its "
            "strongest pair (empty on the primary)",
        ),
        Column(
            "score", "number", "the title similarity (0-100) of that pair (empty on the primary)"
        ),
    ),
)

_SCORE = "similarity of the two records' {} (0-100; empty where either has none)"
_VERDICT = "`same`, `differ`, or empty where not both records give the {}"

PAIRS = Table(
    "pairs",
    paths.DEDUP.path("pairs"),
    "`reviewflow dedup` (reviewflow.deduplicate)",
    "One row per merged record pair, with the evidence, for "
    "checking the merges. A work of n records has at "
    "least n - 1 pairs. Sorted by cluster_id, record_a, record_b.",
    (
        Column("cluster_id", "integer", "the work both records belong to"),
        Column("record_a", "text", "one record_id of the pair"),
        Column("record_b", "text", "the other record_id"),
        Column("rule", "text", _RULE),
        Column("title", "number", _SCORE.format("titles")),
        Column("authors", "number", _SCORE.format("author lists")),
        Column("journal", "number", _SCORE.format("journal titles")),
        Column("abstract", "number", _SCORE.format("abstracts")),
        Column(
            "year_gap",
            "integer",
            "years between the two publication years (empty where either has none)",
        ),
        Column("volume", "text", _VERDICT.format("volume")),
        Column("pages", "text", _VERDICT.format("pages")),
        Column("doi", "text", _VERDICT.format("DOI")),
        Column("pmid", "text", _VERDICT.format("PMID")),
    ),
)

_MEMBERS = "every distinct {} of the work's records, sorted, `; `-joined"

WORKS = Table(
    "works",
    paths.DEDUP.path("works"),
    "`reviewflow dedup` (reviewflow.deduplicate)",
    "One row per work (a set of records that are the same "
    "publication): what screening, the screening tools "
    "and extraction show of it. Sorted by cluster_id.",
    (
        Column("cluster_id", "integer", "the work in this run's tables"),
        Column(
            "key",
            "text",
            "the work key, `rf-` and 10 hex digits: hashed from the work's earliest round's first "
            "record, so it names the same work across reruns and update rounds; decision files "
            "and screening tools name works by it",
        ),
        Column("primary_record_id", "text", "the work's most complete record, whose fields follow"),
        Column("n_records", "integer", "records in the work"),
        Column("databases", "list", _MEMBERS.format("database")),
        Column("title", "text", "the primary record's title"),
        Column("authors", "list", "the primary record's authors"),
        Column("year", "integer", "the primary record's year"),
        Column("journal", "text", "the primary record's journal"),
        Column("volume", "text", "the primary record's volume"),
        Column("issue", "text", "the primary record's issue"),
        Column("pages", "text", "the primary record's pages"),
        Column("doi", "text", "the primary record's DOI"),
        Column("pmid", "text", "the primary record's PMID"),
        Column("dois", "list", _MEMBERS.format("DOI")),
        Column("pmids", "list", _MEMBERS.format("PMID")),
        Column("source_ids", "list", _MEMBERS.format("database ID")),
        Column("record_ids", "list", _MEMBERS.format("record_id")),
        Column(
            "aliases",
            "list",
            "other keys that still name this work: keys its records had as works of their own "
            "before the reviewer's overrides or a later round merged them",
        ),
        Column(
            "split_from",
            "list",
            "the key of a work the overrides split, which each part lists (that key then "
            "names none of them)",
        ),
    ),
)

# The fields possible_duplicates.csv shows of both records, side by side.
POSSIBLE_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi")

POSSIBLE_DUPLICATES = Table(
    "possible_duplicates",
    paths.DEDUP.path("possible"),
    "`reviewflow dedup` (reviewflow.deduplicate)",
    "Record pairs of different works closest to being one work, "
    "for a reviewer to accept or reject: each work "
    "in at most one row, most likely first. Pairs the review "
    "policy keeps apart (a notice and its work, an "
    "abstract and its paper, a preprint) are not listed.",
    (
        Column("rank", "integer", "1 = most likely the same work"),
        Column(
            "reason",
            "text",
            "why the pair is listed: an equal DOI kept apart, a near-equal title kept apart "
            "by one veto, close titles that no rule merged (for want of a locator), a record "
            "without title whose citation agrees",
        ),
        Column(
            "veto",
            "text",
            "the vetoes that kept the pair apart, `+`-joined (reviewflow/dedup/compare.py "
            "`VETOES`; empty: none)",
        ),
        Column("title_score", "number", _SCORE.format("titles")),
        Column("authors_score", "number", _SCORE.format("author lists")),
        Column("journal_score", "number", _SCORE.format("journal titles")),
        Column("record_a", "text", "one record_id of the pair"),
        Column("record_b", "text", "the other record_id"),
        Column("work_a", "text", "record_a's work key"),
        Column("work_b", "text", "record_b's work key"),
        *(
            Column(
                f"{field}_{side}",
                "text",
                f"record_{side}'s {field}"
                + (" (the first three, then `et al.`)" if field == "authors" else ""),
            )
            for field in POSSIBLE_FIELDS
            for side in ("a", "b")
        ),
        Column(
            "accept",
            "text",
            "the overrides-file line that makes the pair one work (`id_a,id_b,same`)",
        ),
        Column(
            "reject", "text", "the overrides-file line that keeps it apart (`id_a,id_b,different`)"
        ),
    ),
)

RELATED = Table(
    "related",
    paths.DEDUP.path("related"),
    "`reviewflow dedup` (reviewflow.deduplicate)",
    "Records that concern another work without being it (errata, "
    "retraction notices, comments, articles "
    "reporting a registered trial), each linked to the work it "
    "concerns. Sorted by work_key, related_record.",
    (
        Column("work_key", "text", "the work the notice concerns"),
        Column("work_record", "text", "the record of that work whose title the notice repeats"),
        Column("related_record", "text", "the notice's record_id"),
        Column(
            "relation",
            "text",
            "what the notice is",
            ("retraction", "erratum", "comment", "report of registered trial"),
        ),
        Column(
            "evidence",
            "text",
            "the scores that link them (`title 95, authors 76, same journal`), or the "
            "trial ID an article names",
        ),
    ),
)

LEDGER = Table(
    "ledger",
    paths.SCREENING.path("ledger"),
    "`reviewflow screen` (reviewflow.screen)",
    "One row per input record, saying what became of it; every "
    "PRISMA number is a count over its rows. Each "
    "work's decisions are on its primary row; its other records "
    "are duplicates. Sorted by round (config order), "
    "source_file, source_index.",
    (
        Column("record_id", "text", _RECORD_ID),
        Column(
            "round",
            "text",
            "the search round whose exports hold the record (the config's `rounds` name)",
        ),
        Column("source_db", "text", "the database"),
        Column("source_file", "text", "the export file"),
        Column("source_index", "integer", "the record's position in its export, from 1"),
        Column("source_id", "text", "the database's own ID"),
        Column("title", "text", "the record's title"),
        Column("year", "integer", "the record's year"),
        Column("doi", "text", "the record's DOI"),
        Column("pmid", "text", "the record's PMID"),
        Column("cluster_id", "integer", "the work (clusters.csv)"),
        Column("work_key", "text", "the work key (works.csv `key`)"),
        Column(
            "is_primary",
            "boolean",
            "the row that carries the work's decisions: its primary record, or a record "
            "of the work's earliest round if the primary came later",
        ),
        Column("duplicate_of", "text", "the record_id of the work's primary row (empty on it)"),
        Column(
            "duplicate_scope",
            "text",
            "on a duplicate: a copy of a work first found in the record's own round, or "
            "in an earlier one",
            ("within_round", "previous_round"),
        ),
        Column(
            "automation",
            "text",
            "the automation rule (config `eligibility: automation`) the work fails; empty: none",
        ),
        Column("ta_decision", "text", "the title/abstract decision", ("include", "exclude")),
        Column("ta_reason", "text", "its reason"),
        Column("ta_reviewer", "text", "who decided"),
        Column("ft_retrieved", "text", "whether the full text was retrieved: `yes` or `no`"),
        Column(
            "ft_decision",
            "text",
            "the full-text decision: by the eligibility rules, or the reviewer's override",
            ("include", "exclude", "include (override)", "exclude (override)"),
        ),
        Column(
            "ft_reason",
            "text",
            "the first rule the report fails, the override's reason, `Not retrieved`, or what "
            "a pending report still lacks",
        ),
        Column("ft_design", "text", "the study design the full-text facts give"),
        Column(
            "study",
            "text",
            "the study the report belongs to (reports of one study share it; an included report "
            "without one is a study of its own, labelled by its work key)",
        ),
        Column(
            "notices",
            "text",
            "on a primary row, the work's notices found in the search: `erratum: <record_id>; "
            "retraction: <record_id>` (related.csv)",
        ),
        Column(
            "status",
            "text",
            "what became of the record: removed before screening (duplicate, "
            "excluded_automation, excluded_other), excluded or included at a stage, or waiting "
            "for a decision (pending_*); previous_*, in an update: a work an earlier round found",
            (
                "duplicate",
                "excluded_automation",
                "excluded_other",
                "excluded_screening",
                "pending_screening",
                "not_retrieved",
                "pending_full_text",
                "excluded_full_text",
                "included",
                "previous_included",
                "previous_excluded",
            ),
        ),
    ),
)

PENDING = Table(
    "pending",
    paths.SCREENING.path("pending"),
    "`reviewflow screen` (reviewflow.screen)",
    "One row per work still waiting for a decision, in ledger order; also written as RIS "
    "(screening/pending.ris, ID = work key) for a screening tool.",
    (
        Column(
            "stage", "text", "the decision file the work waits in", ("title_abstract", "full_text")
        ),
        Column(
            "waiting_for",
            "text",
            "`Title/abstract decision`, or what the full-text facts still lack",
        ),
        Column("work_key", "text", "the work key, the `id` to give it in the decision file"),
        Column("cluster_id", "integer", "the work in this run's tables"),
        Column("record_id", "text", "the work's primary row in the ledger"),
        Column("source_db", "text", "that record's database"),
        Column("source_id", "text", "its database ID"),
        Column("title", "text", "its title"),
        Column("year", "integer", "its year"),
        Column("doi", "text", "its DOI"),
        Column("pmid", "text", "its PMID"),
    ),
)

ONLY_UPDATES = " (with more than one round only)"
ONLY_REGISTERS = " (with register searches only)"
ONLY_METHODS = " (with other-method searches only)"

COUNTS = Table(
    paths.COUNTS.files["counts"],
    paths.COUNTS.path("counts"),
    "`reviewflow counts` (reviewflow.write_counts_of)",
    "The PRISMA 2020 numbers of the latest round, each a count "
    "over the ledger's rows; names are the PRISMA2020 "
    "R package's template fields, so they can be pasted into it. A JSON object, keys sorted.",
    (
        Column("database_results", "integer", "records identified in the databases"),
        Column("database_specific_results", "mapping", "records identified, per database"),
        Column(
            "register_results", "integer", "records identified in trial registers" + ONLY_REGISTERS
        ),
        Column(
            "register_specific_results",
            "mapping",
            "records identified, per register" + ONLY_REGISTERS,
        ),
        Column(
            "website_results",
            "integer",
            "records identified by searching websites" + ONLY_METHODS,
        ),
        Column(
            "organisation_results",
            "integer",
            "records identified from organisations and by contacting authors" + ONLY_METHODS,
        ),
        Column(
            "citations_results",
            "integer",
            "records identified by citation searching and hand-searching" + ONLY_METHODS,
        ),
        Column(
            "other_specific_results",
            "mapping",
            "records identified, per other method" + ONLY_METHODS,
        ),
        Column(
            "other_duplicates",
            "integer",
            "other methods' records of a work the databases, registers or another of "
            "their records have" + ONLY_METHODS,
        ),
        Column(
            "other_not_sought",
            "integer",
            "other methods' works no report was sought for (excluded at title/abstract "
            "or by the automation rules)" + ONLY_METHODS,
        ),
        Column(
            "other_sought_reports",
            "integer",
            "other methods' reports sought for retrieval" + ONLY_METHODS,
        ),
        Column(
            "other_notretrieved_reports",
            "integer",
            "other methods' reports not retrieved" + ONLY_METHODS,
        ),
        Column("other_assessed", "integer", "other methods' reports assessed" + ONLY_METHODS),
        Column(
            "other_excluded",
            "mapping",
            "other methods' reports excluded at full text, per reason" + ONLY_METHODS,
        ),
        Column(
            "duplicates",
            "integer",
            "duplicate records removed (the databases' and registers'; the other "
            "figures below are theirs too, unless named other methods')",
        ),
        Column("excluded_automatic", "integer", "records removed by the automation rules"),
        Column("excluded_other", "integer", "records removed for other reasons"),
        Column("records_screened", "integer", "records screened at title/abstract"),
        Column("records_excluded", "integer", "records excluded at title/abstract"),
        Column("dbr_sought_reports", "integer", "reports sought for retrieval"),
        Column("dbr_notretrieved_reports", "integer", "reports not retrieved"),
        Column("dbr_assessed", "integer", "reports assessed for eligibility"),
        Column("dbr_excluded", "mapping", "reports excluded at full text, per reason"),
        Column(
            "new_studies", "integer", "studies included, of both columns (distinct `study` labels)"
        ),
        Column("new_reports", "integer", "reports included, of both columns"),
        Column(
            "complete",
            "boolean",
            "false while any work waits for a decision: the numbers then describe the "
            "screening done so far",
        ),
        Column(
            "duplicates_within_round",
            "integer",
            "duplicates of a work first found in this round" + ONLY_UPDATES,
        ),
        Column(
            "duplicates_previous_round",
            "integer",
            "duplicates of a work an earlier round found" + ONLY_UPDATES,
        ),
        Column(
            "new_reports_from_previous_rounds",
            "integer",
            "included reports an earlier round found but did not "
            "include (e.g. not retrieved then)" + ONLY_UPDATES,
        ),
        Column("previous_studies", "integer", "studies included by earlier rounds" + ONLY_UPDATES),
        Column("previous_reports", "integer", "reports included by earlier rounds" + ONLY_UPDATES),
        Column(
            "previous_reports_excluded",
            "mapping",
            "earlier rounds' included reports the latest decisions "
            "exclude, per reason (e.g. retracted)" + ONLY_UPDATES,
        ),
        Column(
            "total_studies",
            "integer",
            "studies in the review: earlier rounds' still included and new" + ONLY_UPDATES,
        ),
        Column("total_reports", "integer", "reports in the review" + ONLY_UPDATES),
    ),
)

TABLES = (RECORDS, CLUSTERS, PAIRS, WORKS, POSSIBLE_DUPLICATES, RELATED, LEDGER, PENDING, COUNTS)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """docs/contracts.md."""
    lines = [
        "# Data contracts",
        "",
        "<!-- Generated from reviewflow/contracts.py by `python -m "
        "reviewflow.contracts > docs/contracts.md`:",
        "     edit the module, not this file (a test checks that they agree). -->",
        "",
        "The tables each stage of the workflow writes under "
        "`results/` and the next stages read, column by "
        "column. Every CSV is UTF-8 with a header row, `\\n` line "
        "ends, the columns in the order below and "
        "the rows in the order each table gives, so the same inputs "
        "give the same bytes. Text a spreadsheet "
        "would take for a formula (starting `=`, `+`, `-`, `@`, a tab "
        "or a carriage return; or `'`) is written "
        "with a leading `'`, which reviewflow strips again when it "
        "reads its own tables. Decision files, "
        "overrides and the config, which a reviewer writes, are described in config/README.md.",
        "",
        "| type | a cell holds |",
        "|---|---|",
        *(f"| {name} | {meaning} |" for name, meaning in TYPES.items()),
        "",
        "Tables: "
        + ", ".join(f"[{table.name}](#{table.name.replace('.', '')})" for table in TABLES)
        + ".",
    ]
    for table in TABLES:
        lines += [
            "",
            f"## {table.name}",
            "",
            f"`results/{table.file}`, written by {table.written_by}. {table.meaning}",
            "",
            f"| {'key' if table.file.endswith('.json') else 'column'} | type | meaning |",
            "|---|---|---|",
        ]
        for column in table.columns:
            meaning = column.meaning
            if column.values:
                meaning += "; one of " + ", ".join(f"`{value}`" for value in column.values)
            lines.append(f"| `{column.name}` | {column.type} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
