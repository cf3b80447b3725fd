# Extraction and risk-of-bias workbooks for the included studies, and the Table 1 summary
# read back from the completed example the config names (`extraction: example:`), if any: a
# review from `reviewflow init` has none, so all_outputs() asks for no results/extraction/example/.
# The CLI reads the `extraction:` section from the run's effective config (common.smk:
# config.yaml with any --configfile merged over it).

EXTRACTION_CONFIG = EFFECTIVE_CONFIG


rule extraction_workbooks:
    input:
        ledger=SCREENING["ledger"],
        works=DEDUP["works"],
        config=EXTRACTION_CONFIG,
    output:
        extraction=report(
            EXTRACTION["extraction"],
            category="Extraction",
            caption="../report/extraction_workbook.rst",
        ),
        rob2=report(
            EXTRACTION["rob2"],
            category="Extraction",
            caption="../report/rob_workbook.rst",
        ),
        robins_i=report(
            EXTRACTION["robins_i"],
            category="Extraction",
            caption="../report/rob_workbook.rst",
        ),
    log:
        "results/logs/extraction/workbooks.log",
    conda:
        "../envs/reviewflow.yaml"
    # 1.5 GB for the 1M-record set's ledger and works.
    threads: 1
    resources:
        mem_mb=sized(500, 1.5),
        runtime=sized(5, 0.01),
    params:
        out=out_dir(paths.EXTRACTION, "extraction"),
    shell:
        "reviewflow extraction write --ledger {input.ledger:q} --works {input.works:q}"
        " --config {input.config:q} --out {params.out:q} 2> {log:q}"


rule extraction_example:
    input:
        example=lambda wildcards: config["extraction"]["example"],
        config=EXTRACTION_CONFIG,
    output:
        csv=report(
            TABLE1["csv"],
            category="Extraction",
            caption="../report/table1.rst",
        ),
        md=TABLE1["md"],
    log:
        "results/logs/extraction/example.log",
    conda:
        "../envs/reviewflow.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        out=out_dir(paths.TABLE1, "csv"),
    shell:
        "reviewflow extraction read {input.example:q} --config {input.config:q} --out {params.out:q} 2> {log:q}"
