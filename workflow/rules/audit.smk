# The audit trail: what the run used (manifest) and a re-derivation of every number (verify).
import os

from reviewflow.audit.manifest import decision_files, other_inputs

# The config files Snakemake merged into this run's config (config/config.yaml and any
# --configfile), relative to the project, so the manifest hashes what the user edits.
CONFIG_SOURCES = sorted({os.path.relpath(path) for path in workflow.configfiles})
MANIFEST = AUDIT["manifest"]
VERIFY_REPORT = AUDIT["verify"]
# Every output the run lists but the manifest itself and verify's report (verify reads the
# manifest, so it runs last): the manifest hashes them, so it runs after all of them.
HASHED_OUTPUTS = [
    path for path in all_outputs() if path not in (MANIFEST, VERIFY_REPORT)
]


rule manifest:
    input:
        config=EFFECTIVE_CONFIG,
        exports=export_files(),
        decisions=decision_files(config, Path(".")),
        inputs=other_inputs(config, CONFIG_SOURCES),
        outputs=HASHED_OUTPUTS,
    output:
        MANIFEST,
    log:
        "results/logs/manifest.log",
    conda:
        "../envs/reviewflow.yaml"
    # Hashing reads each file in blocks: the inputs' size sets the time, not the memory.
    threads: 1
    resources:
        mem_mb=500,
        runtime=sized(5, 0.002),
    params:
        sources=repeated("--source", CONFIG_SOURCES),
        outputs=repeated("--output", HASHED_OUTPUTS),
    shell:
        "reviewflow manifest --config {input.config:q} {params.sources:q} {params.outputs:q} --out {output:q} 2> {log:q}"


rule verify:
    input:
        ledger=SCREENING["ledger"],
        counts=COUNTS["counts"],
        # The manifest runs after every other output, so verify does too.
        manifest=MANIFEST,
    output:
        report(
            VERIFY_REPORT,
            caption="../report/verify.rst",
            category="PRISMA",
        ),
    log:
        "results/logs/verify.log",
    conda:
        "../envs/reviewflow.yaml"
    # It runs ingest, dedup, screening and the PRISMA tables again, holding the run's ledger.
    threads: 1
    resources:
        mem_mb=sized(2000, 8),
        runtime=sized(10, 0.03),
    params:
        results=lambda wildcards, input: paths.AUDIT.results_dir(
            input.manifest, "manifest"
        ),
    shell:
        # tee: a failed check shows its discrepancies on the console, not only in a file.
        # --allow-incomplete: a review in progress (works pending) still runs through.
        "reviewflow verify {params.results:q} --allow-incomplete 2> {log:q} | tee {output:q}"
