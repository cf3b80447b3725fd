# The audit trail: what the run used (manifest) and a re-derivation of every number (verify).
import os

from reviewflow.audit.manifest import decision_files, other_inputs

# The config files Snakemake merged into this run's config (config/config.yaml and any
# --configfile), relative to the project, so the manifest hashes what the user edits.
CONFIG_SOURCES = sorted({os.path.relpath(path) for path in workflow.configfiles})

rule manifest:
    input:
        config=EFFECTIVE_CONFIG,
        exports=export_files(),
        decisions=decision_files(config, Path(".")),
        inputs=other_inputs(config, CONFIG_SOURCES),
    output:
        "results/audit/manifest.json",
    params:
        sources=" ".join(f"--source '{path}'" for path in CONFIG_SOURCES),
    log:
        "results/logs/manifest.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow manifest --config {input.config:q} {params.sources} --out {output:q} 2> {log:q}"


rule verify:
    input:
        ledger="results/audit/ledger.csv",
        counts="results/prisma/counts.json",
        manifest="results/audit/manifest.json",
        # verify re-derives the PRISMA tables and checks every drawing is there: after the prisma rule.
        prisma=rules.prisma.output,
    output:
        report(
            "results/audit/verify.txt",
            caption="../report/verify.rst",
            category="PRISMA",
        ),
    params:
        results=lambda wildcards, input: Path(input.manifest).parent.parent,
    log:
        "results/logs/verify.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        # tee: a failed check shows its discrepancies on the console, not only in a file.
        # --allow-incomplete: a review in progress (works pending) still runs through.
        "reviewflow verify {params.results:q} --allow-incomplete 2> {log:q} | tee {output:q}"
