# The audit trail: what the run used (manifest) and a re-derivation of every number (verify).
from reviewflow.audit.manifest import decision_files


rule manifest:
    input:
        config=EFFECTIVE_CONFIG,
        exports=export_files(),
        decisions=decision_files(config, Path(".")),
    output:
        "results/audit/manifest.json",
    log:
        "results/logs/manifest.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow manifest --config {input.config:q} --out {output:q} 2> {log:q}"


rule verify:
    input:
        ledger="results/audit/ledger.csv",
        counts="results/prisma/counts.json",
        manifest="results/audit/manifest.json",
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
