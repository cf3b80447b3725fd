"""What the extraction and risk-of-bias sheets contain: the ``extraction:`` config section.

The extraction sheet has fixed identification columns (pre-filled from the ledger), then the
configured fields, then one column group per outcome domain: a required "<domain> reported"
Yes/No column (what Table 1 marks with an X) and one free-text column per outcome.
The risk-of-bias tools are fixed, with the column names and judgements robvis expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reviewflow.errors import ReviewflowError

YES_NO = ("Yes", "No")


@dataclass(frozen=True)
class Column:
    name: str
    note: str
    kind: str = "text"  # text | integer | list
    values: tuple[str, ...] = ()
    required: bool = False
    prefilled: bool = False  # written from the ledger; reviewers do not edit it


@dataclass(frozen=True)
class RobTool:
    key: str  # rob2 | robins_i
    name: str
    sheet: str
    robvis: str  # robvis' tool argument
    domains: tuple[str, ...]  # what D1..Dn stand for
    judgements: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return ["Study"] + [f"D{i}" for i in range(1, len(self.domains) + 1)] + ["Overall"]

    @property
    def spelling(self) -> dict[str, str]:
        """Each judgement by its case-folded form: read back, "some Concerns" is "Some concerns"."""
        return {j.casefold(): j for j in self.judgements}


# robvis' robvis_rob2_example.csv column after Overall: each study's weight in rob_summary().
WEIGHT = "Weight"

# The judgements robvis takes for each tool, spelt as its get_judgements() does
# (mcguinlu/robvis R/helpers.R; also the tools' own wording).
ROB2 = RobTool(
    "rob2",
    "RoB 2 (randomised trials)",
    "RoB2",
    "ROB2",
    (
        "Bias arising from the randomisation process",
        "Bias due to deviations from intended interventions",
        "Bias due to missing outcome data",
        "Bias in measurement of the outcome",
        "Bias in selection of the reported result",
    ),
    ("Low", "Some concerns", "High", "No information"),
)
ROBINS_I = RobTool(
    "robins_i",
    "ROBINS-I (non-randomised studies of interventions)",
    "ROBINS-I",
    "ROBINS-I",
    (
        "Bias due to confounding",
        "Bias in selection of participants into the study",
        "Bias in classification of interventions",
        "Bias due to deviations from intended interventions",
        "Bias due to missing data",
        "Bias in measurement of outcomes",
        "Bias in selection of the reported result",
    ),
    ("Low", "Moderate", "Serious", "Critical", "No information"),
)
ROB_TOOLS = {ROB2.key: ROB2, ROBINS_I.key: ROBINS_I}


def rob_columns(tool: RobTool) -> list[Column]:
    return [
        Column("Study", "Study ID, as on the extraction sheet", required=True, prefilled=True),
        *(
            Column(
                f"D{i}",
                f"{tool.name}: {domain}",
                kind="list",
                values=tool.judgements,
                required=True,
            )
            for i, domain in enumerate(tool.domains, start=1)
        ),
        Column(
            "Overall",
            f"{tool.name}: overall risk of bias",
            kind="list",
            values=tool.judgements,
            required=True,
        ),
    ]


STUDY = "Study"
DESIGN = "Design"


@dataclass(frozen=True)
class Domain:
    name: str
    title: str
    outcomes: tuple[str, ...]

    @property
    def reported(self) -> str:
        return f"{self.name} reported"

    def outcome_column(self, outcome: str) -> str:
        return f"{self.name}: {outcome}"


@dataclass(frozen=True)
class Spec:
    designs: dict[str, str]  # design name -> rob tool key, in config order
    fields: tuple[Column, ...]
    domains: tuple[Domain, ...]
    example: str | None = None
    sample_size: str | None = (
        None  # the integer field holding a study's sample size (robvis Weight)
    )
    columns: tuple[Column, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self._columns()))

    def _columns(self):
        yield Column(
            STUDY,
            'Study ID: first author\'s surname and year, "a"/"b" when two share it',
            required=True,
            prefilled=True,
        )
        yield Column(
            "Citation",
            "Full citation of the report(s) (several reports of one study: '; '-joined)",
            prefilled=True,
        )
        yield Column("DOI", "DOI(s) of the report(s)", prefilled=True)
        yield Column("PMID", "PubMed ID(s) of the report(s)", prefilled=True)
        yield Column("Databases", "Databases the report(s) were found in", prefilled=True)
        yield Column(
            "Work key", "reviewflow key of the report(s) (rf-...), as in the ledger", prefilled=True
        )
        yield Column(
            "Design at full text",
            "Design as recorded at full-text screening (ledger ft_design)",
            prefilled=True,
        )
        yield Column(
            DESIGN,
            "Study design; it chooses the risk-of-bias tool ("
            + ", ".join(f"{name}: {ROB_TOOLS[tool].sheet}" for name, tool in self.designs.items())
            + ")",
            kind="list",
            values=tuple(self.designs),
            required=True,
        )
        yield from self.fields
        for domain in self.domains:
            yield Column(
                domain.reported,
                f"{domain.title}: does the study report an outcome of this domain? "
                "(an X in the Table 1 summary)",
                kind="list",
                values=YES_NO,
                required=True,
            )
            for outcome in domain.outcomes:
                yield Column(
                    domain.outcome_column(outcome),
                    f"{domain.title} outcome {outcome}: result as reported",
                )


def spec_from_config(section: dict | None, where: str = "config") -> Spec:
    """Build the Spec from the ``extraction:`` section of a config ``reviewflow.config.load``
    checked (each design's tool and field's type among the schema's); what the schema cannot
    say is checked here: the sample size names an integer field, no column name twice."""
    if not section:
        raise ReviewflowError("no `extraction:` section", where)
    designs = {str(entry["name"]): entry["rob"] for entry in section["designs"]}
    fields = tuple(
        Column(
            str(f["name"]),
            str(f.get("note", "")),
            kind="list" if f.get("values") else f.get("type", "text"),
            values=tuple(str(v) for v in f.get("values") or ()),
            required=bool(f.get("required", False)),
        )
        for f in section.get("fields") or ()
    )
    domains = tuple(
        Domain(
            str(d["name"]),
            str(d.get("title", d["name"])),
            tuple(str(o) for o in d.get("outcomes") or ()),
        )
        for d in section["domains"]
    )
    spec = Spec(designs, fields, domains, section.get("example"), section.get("sample_size"))
    if spec.sample_size and spec.sample_size not in {f.name for f in fields if f.kind == "integer"}:
        raise ReviewflowError(
            f"extraction: sample_size {spec.sample_size!r} is not an integer field", where
        )
    names = [c.name for c in spec.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ReviewflowError(f"extraction: column names used twice: {dupes}", where)
    return spec


def load_spec(config_path: str | Path) -> Spec:
    from reviewflow.config import load

    return spec_from_config(load(config_path, partial=True).get("extraction"), str(config_path))
