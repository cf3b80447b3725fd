# Decisions and eligibility rules applied to the deduplicated records: the audit
# ledger and the list of works still waiting for a decision (the counts are prisma.smk's).


rule screen:
    input:
        records=[records_table(path) for path in export_files()],
        clusters="results/dedup/clusters.csv",
        works="results/dedup/works.csv",
        pairs="results/dedup/pairs.csv",
        related="results/dedup/related.csv",
        decisions=screening_decision_files(),
        tool_exports=screening_tool_imports(),
        config=EFFECTIVE_CONFIG,
    output:
        ledger=report("results/audit/ledger.csv", caption="../report/ledger.rst", category="Audit"),
        pending="results/screening/pending.csv",
        pending_ris="results/screening/pending.ris",
    log:
        "results/logs/screening.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow screen {input.records:q} --clusters {input.clusters:q} --works {input.works:q}"
        " --pairs {input.pairs:q} --related {input.related:q}"
        " --config {input.config:q} --out results 2> {log:q}"
