# The works to screen, for Rayyan, Covidence, ASReview LAB or a spreadsheet.
# Decisions come back through `screening_tools: imports` (read by the screening stage).


rule export_screening:
    input:
        works="results/dedup/works.csv",
        records=[records_table(path) for path in export_files()],
    output:
        "results/screening/to_screen.{format}",
    wildcard_constraints:
        format="ris|csv|xlsx",
    params:
        records=lambda wildcards, input: " ".join(f"--records '{path}'" for path in input.records),
    log:
        "results/logs/export_screening/{format}.log",
    conda:
        "../envs/reviewflow.yaml"
    shell:
        "reviewflow export-screening --works {input.works:q} {params.records} "
        "--format {wildcards.format} --out {output:q} 2> {log:q}"
