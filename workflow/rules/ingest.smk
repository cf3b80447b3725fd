# One job per export file, so an executor can parse them in parallel.


rule ingest:
    input:
        "{export}",
    output:
        records_table("{export}"),
    params:
        database=lambda wildcards: database_of(wildcards.export),
    log:
        "results/logs/ingest/{export}.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow ingest {input:q} --database {params.database:q} --out {output:q} 2> {log:q}"
