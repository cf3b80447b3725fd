# The works to screen, for Rayyan, Covidence, ASReview LAB or a spreadsheet: by default
# the works still pending (results/screening/pending.csv), so an update round hands the
# tool only its new works; `screening_tools: export_works: all` exports every work.
# Decisions come back through `screening_tools: imports` (read by the screening stage).


rule export_screening:
    input:
        works=DEDUP["works"],
        records=[records_table(path) for path in export_files()],
        pending=screening_export_pending(),
    output:
        f"{RESULTS}/screening/to_screen.{{format}}",
    log:
        "results/logs/export_screening/{format}.log",
    wildcard_constraints:
        format="ris|csv|xlsx",
    conda:
        "../envs/reviewflow.yaml"
    # 4.9 GB for the 1M-record set's works and records.
    threads: 1
    resources:
        mem_mb=sized(500, 5),
        runtime=sized(5, 0.01),
    params:
        records=lambda wildcards, input: repeated("--records", input.records),
        select=lambda wildcards, input: screening_export_options(input.pending),
    shell:
        "reviewflow export-screening --works {input.works:q} {params.records:q} {params.select:q} "
        "--format {wildcards.format} --out {output:q} 2> {log:q}"
