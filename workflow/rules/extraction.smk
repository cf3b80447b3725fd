# Extraction and risk-of-bias workbooks for the included studies, and the Table 1 summary
# read back from the completed example the config names (`extraction: example:`), if any: a
# review from `reviewflow init` has none, so all_outputs() asks for no results/extraction/example/.
# The CLI reads the `extraction:` section from the run's effective config (common.smk:
# config.yaml with any --configfile merged over it).

EXTRACTION_CONFIG = EFFECTIVE_CONFIG


rule extraction_workbooks:
    input:
        ledger="results/audit/ledger.csv",
        works="results/dedup/works.csv",
        config=EXTRACTION_CONFIG,
    output:
        extraction=report(
            "results/extraction/extraction.xlsx",
            category="Extraction",
            caption="../report/extraction_workbook.rst",
        ),
        rob2=report(
            "results/extraction/rob2.xlsx",
            category="Extraction",
            caption="../report/rob_workbook.rst",
        ),
        robins_i=report(
            "results/extraction/robins_i.xlsx",
            category="Extraction",
            caption="../report/rob_workbook.rst",
        ),
    params:
        out=lambda wildcards, output: Path(output.extraction).parent,
    log:
        "results/logs/extraction/workbooks.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow extraction write --ledger {input.ledger:q} --works {input.works:q}"
        " --config {input.config:q} --out {params.out:q} 2> {log:q}"


rule extraction_example:
    input:
        example=lambda wildcards: config["extraction"]["example"],
        config=EXTRACTION_CONFIG,
    output:
        csv=report(
            "results/extraction/example/table1.csv",
            category="Extraction",
            caption="../report/table1.rst",
        ),
        md="results/extraction/example/table1.md",
    params:
        out=lambda wildcards, output: Path(output.csv).parent,
    log:
        "results/logs/extraction/example.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow extraction read {input.example:q} --config {input.config:q} --out {params.out:q} 2> {log:q}"
