# PRISMA 2020 outputs drawn from the audit ledger and counts.json (issue 5).


rule counts:
    input:
        ledger="results/audit/ledger.csv",
        config=EFFECTIVE_CONFIG,
    output:
        report("results/prisma/counts.json", caption="../report/counts.rst", category="PRISMA"),
    log:
        "results/logs/counts.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow counts --ledger {input.ledger:q} --config {input.config:q} --out {output:q} 2> {log:q}"


rule prisma:
    input:
        ledger="results/audit/ledger.csv",
        counts="results/prisma/counts.json",
        config=EFFECTIVE_CONFIG,
    output:
        svg=report(
            "results/prisma/flow_diagram.svg",
            caption="../report/flow_diagram.rst",
            category="PRISMA",
        ),
        png="results/prisma/flow_diagram.png",
        pdf="results/prisma/flow_diagram.pdf",
        html=report(
            "results/prisma/flow_diagram.html",
            caption="../report/flow_diagram_html.rst",
            category="PRISMA",
        ),
        csv=report(
            "results/prisma/PRISMA.csv",
            caption="../report/prisma_csv.rst",
            category="PRISMA",
        ),
        overlap=report(
            "results/prisma/database_overlap.csv",
            caption="../report/database_overlap.rst",
            category="PRISMA",
        ),
        overlap_svg=report(
            "results/prisma/database_overlap.svg",
            caption="../report/database_overlap_figure.rst",
            category="PRISMA",
        ),
        overlap_png="results/prisma/database_overlap.png",
    params:
        out=lambda wildcards, output: Path(output.svg).parent,
    log:
        "results/logs/prisma.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow prisma --ledger {input.ledger:q} --counts {input.counts:q}"
        " --config {input.config:q} --out {params.out:q} 2> {log:q}"
