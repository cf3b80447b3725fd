# One job per export file, so an executor can parse them in parallel.


rule ingest:
    input:
        "{export}",
    output:
        "results/records/{export}.csv",
    params:
        kind=lambda wildcards: source_of(wildcards.export)[0],
        name=lambda wildcards: source_of(wildcards.export)[1],
    log:
        "results/logs/ingest/{export}.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow ingest {input:q} --{params.kind} {params.name:q} --out {output:q} 2> {log:q}"
