# One job over every export's records table: duplicates are found across databases and rounds.


rule dedup:
    input:
        records=[records_table(path) for path in export_files()],
        overrides=config["dedup"]["overrides"],
        # The CLI reads from it the rounds (a work's key comes from its earliest round's
        # records), the overrides file above and the settings.
        config=EFFECTIVE_CONFIG,
    output:
        clusters=DEDUP["clusters"],
        pairs=DEDUP["pairs"],
        works=DEDUP["works"],
        possible=report(
            DEDUP["possible"],
            caption="../report/possible_duplicates.rst",
            category="Deduplication",
        ),
        related=report(
            DEDUP["related"],
            caption="../report/related.rst",
            category="Deduplication",
        ),
    log:
        "results/logs/dedup.log",
    conda:
        "../envs/reviewflow.yaml"
    # The pair comparisons (rapidfuzz) run in parallel on the cores the job is given.
    threads: 4
    resources:
        mem_mb=sized(1000, 5),
        runtime=sized(10, 0.01),
    params:
        out_dir=out_dir(paths.DEDUP, "clusters"),
    shell:
        "reviewflow dedup {input.records:q} --config {input.config:q} --out {params.out_dir:q} 2> {log:q}"
