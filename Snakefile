# reviewflow: database exports -> deduplicated records -> screening -> PRISMA 2020.
# The stages live in workflow/rules/, all logic in the reviewflow package.
from snakemake.utils import min_version, validate

min_version("9.20")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/extraction.smk"
include: "workflow/rules/exchange.smk"
include: "workflow/rules/prisma.smk"
include: "workflow/rules/audit.smk"


rule all:
    input:
        all_outputs(),
    default_target: True
