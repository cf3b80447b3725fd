# PRISMA 2020 outputs drawn from the audit ledger and counts.json (issue 5).


rule counts:
    input:
        ledger=SCREENING["ledger"],
        config=EFFECTIVE_CONFIG,
    output:
        report(COUNTS["counts"], caption="../report/counts.rst", category="PRISMA"),
    log:
        "results/logs/counts.log",
    conda:
        "../envs/reviewflow.yaml"
    # Counting holds the ledger (224 MB for the 1M-record set) as the PRISMA outputs do.
    threads: 1
    resources:
        mem_mb=sized(500, 2.5),
        runtime=sized(5, 0.01),
    shell:
        "reviewflow counts --ledger {input.ledger:q} --config {input.config:q} --out {output:q} 2> {log:q}"


rule prisma:
    input:
        ledger=SCREENING["ledger"],
        counts=COUNTS["counts"],
        config=EFFECTIVE_CONFIG,
    output:
        svg=report(
            PRISMA["svg"],
            caption="../report/flow_diagram.rst",
            category="PRISMA",
        ),
        png=PRISMA["png"],
        pdf=PRISMA["pdf"],
        html=report(
            PRISMA["html"],
            caption="../report/flow_diagram_html.rst",
            category="PRISMA",
        ),
        csv=report(
            PRISMA["csv"],
            caption="../report/prisma_csv.rst",
            category="PRISMA",
        ),
        overlap=report(
            PRISMA["overlap"],
            caption="../report/database_overlap.rst",
            category="PRISMA",
        ),
        overlap_svg=report(
            PRISMA["overlap_svg"],
            caption="../report/database_overlap_figure.rst",
            category="PRISMA",
        ),
        overlap_png=PRISMA["overlap_png"],
    log:
        "results/logs/prisma.log",
    conda:
        "../envs/reviewflow.yaml"
    # 2.4 GB for the 1M-record set's ledger (224 MB).
    threads: 1
    resources:
        mem_mb=sized(500, 2.5),
        runtime=sized(5, 0.01),
    params:
        out=out_dir(paths.PRISMA, "svg"),
    shell:
        "reviewflow prisma --ledger {input.ledger:q} --counts {input.counts:q}"
        " --config {input.config:q} --out {params.out:q} 2> {log:q}"
