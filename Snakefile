# reviewflow: database exports -> deduplicated records -> screening -> PRISMA 2020.
# The stages live in workflow/rules/, all logic in the reviewflow package.
import sys

from snakemake.utils import min_version, validate

from reviewflow.config import SCHEMA, problems

min_version("9.20")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


# One line per mistake, naming its file and setting, before anything else; then
# Snakemake's validation only fills in the schema's defaults. The files in the order
# they were merged: config/config.yaml, then each --configfile over it.
# Both with the schema the reviewflow package ships (reviewflow/schemas/, package data),
# by its path in the package rather than workflow/schemas/config.schema.yaml (a link to
# it, for the standard workflow layout): the rules run that package, so the workflow
# checks the config against the very file the CLI checks it with, wherever reviewflow is
# installed from, and on a checkout where a symbolic link is a plain file.
mistakes = problems(
    config,
    [f for f in workflow.configfiles if f not in workflow.overwrite_configfiles]
    + list(workflow.overwrite_configfiles),
)
if mistakes:
    sys.exit("\n".join(mistakes))
validate(config, str(SCHEMA))


include: "workflow/rules/common.smk"
include: "workflow/rules/config.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/extraction.smk"
include: "workflow/rules/exchange.smk"
include: "workflow/rules/prisma.smk"
include: "workflow/rules/audit.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
    localrule: True
