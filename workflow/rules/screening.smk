# Decisions and eligibility rules applied to the deduplicated records: the audit
# ledger and the list of works still waiting for a decision (the counts are prisma.smk's).


rule screen:
    input:
        records=[records_table(path) for path in export_files()],
        clusters=DEDUP["clusters"],
        works=DEDUP["works"],
        pairs=DEDUP["pairs"],
        related=DEDUP["related"],
        decisions=screening_decision_files(),
        tool_exports=screening_tool_imports(),
        config=EFFECTIVE_CONFIG,
    output:
        ledger=report(
            SCREENING["ledger"], caption="../report/ledger.rst", category="Audit"
        ),
        pending=SCREENING["pending"],
        pending_ris=SCREENING["pending_ris"],
    log:
        "results/logs/screening.log",
    conda:
        "../envs/reviewflow.yaml"
    # 6.5 GB for the 1M-record set's 1,050 MB of records and its dedup tables.
    threads: 1
    resources:
        mem_mb=sized(1000, 6.5),
        runtime=sized(5, 0.01),
    params:
        out=out_dir(paths.SCREENING, "ledger"),
    shell:
        "reviewflow screen {input.records:q} --clusters {input.clusters:q} --works {input.works:q}"
        " --pairs {input.pairs:q} --related {input.related:q}"
        " --config {input.config:q} --out {params.out:q} 2> {log:q}"
