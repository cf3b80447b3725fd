# The config this run uses, for the rules to pass to the reviewflow CLI: Snakemake
# deep-merges every --configfile (and --config) over config/config.yaml, so no single file
# on disk is the run's config. Its text is a param, so the job reruns (and the rules that
# read the file after it) when the config changes; nothing is written while the Snakefile
# is parsed, as under -n and --lint.
rule effective_config:
    output:
        EFFECTIVE_CONFIG,
    log:
        f"{RESULTS}/logs/effective_config.log",
    localrule: True
    params:
        text=yaml.safe_dump(config, sort_keys=True, allow_unicode=True),
    run:
        Path(output[0]).write_text(params.text, encoding="utf-8")
