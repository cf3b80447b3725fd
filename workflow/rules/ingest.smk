# One job per export file, so an executor can parse them in parallel.


rule ingest:
    input:
        "{export}",
    output:
        records_table("{export}"),
    log:
        "results/logs/ingest/{export}.log",
    conda:
        "../envs/reviewflow.yaml"
    # An export's parsed records take about 10 MB per MB of file (15 MB of RIS: 220 MB).
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: sized(250, 10, input.size_mb),
        runtime=lambda wildcards, input: sized(5, 0.01, input.size_mb),
    params:
        kind=lambda wildcards: source_of(wildcards.export)[0],
        name=lambda wildcards: source_of(wildcards.export)[1],
    shell:
        "reviewflow ingest {input:q} --{params.kind} {params.name:q} --out {output:q} 2> {log:q}"
