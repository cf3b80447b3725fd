"""How fast the readers are on ~100,000 records: tagged (RIS flavours, MEDLINE, WoS), tabular
(register CSVs included), BibTeX.

For each format, a sample export from ../shared/samples is repeated (each copy
with its record IDs and DOIs rewritten, so no two records are the same) into a
temporary file of about --records records; a fresh Python process then reads it
with ``read_export`` and reports wall time and peak memory (peak RSS of that
process, which includes the decoded text). Prints one line per format.

    python benchmarks/ingest_speed.py [--records 100000] [--samples ../shared/samples] \
        [--formats ris ...]

Scopus CSV rows carry their cited references (~20 kB a row in the sample), which
would make 100,000 rows a 2 GB file; the benchmark empties that column and says
so. Every other column is kept.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# format -> (sample, lines before the header, delimiter, columns rewritten per copy, columns
# emptied)
TABULAR = {
    "wos_tab": ("wos_tab/wos_tab_delimited_win_utf8.txt", 0, "\t", ("UT", "DI"), ()),
    "wos_tab (utf-16)": ("wos_tab/wos_tab_delimited_win_utf16.txt", 0, "\t", ("UT", "DI"), ()),
    "scopus_csv": ("scopus_csv/_baseline_scopus.csv", 0, ",", ("EID", "DOI"), ("References",)),
    "embase_csv": ("embase_csv/_baseline_embase.csv", 3, ",", ("PUI", "DOI"), ()),
    "cochrane_csv": ("cochrane/_baseline_cochrane.csv", 0, ",", ("CENTRAL ID", "DOI"), ()),
    "ctgov_csv": ("ctgov_modern/ctg-studies__Marc-Morcos_urology.csv", 0, ",", ("NCT Number",), ()),
    "ctgov_classic": (
        "ctgov_classic/SearchResults__nih-fmrif_PET_count_2018.csv",
        0,
        ",",
        ("NCT Number",),
        (),
    ),
    "ictrp_csv": (
        "who_ictrp/COVID19-927-trials_7Apr2020__ebmdatalab.csv",
        0,
        ",",
        ("TrialID",),
        (),
    ),
}
# format -> sample; the records are repeated between the file's header and footer (WoS FN/VR ... EF)
TAGGED = {
    "ris (scopus)": "scopus_ris/_baseline_scopus.ris",
    "ris (embase.com)": "embase_ris/_baseline_embase.ris",
    "ris (wos)": "wos_ris/WoS_79.ris",
    "ris (ovid)": "ovid_ris/_baseline_eric_ovid.ris",
    "ris (cochrane)": "cochrane/_baseline_cochrane_refman.ris",
    "medline": "pubmed_medline/mcda_pubmed.txt",
    "wos_tagged": "wos_tagged/wos_plaintext.txt",
}
_FIRST_RECORD = re.compile(r"^(?:TY  - |PMID- |PT |Record #)", re.MULTILINE)
_IDENTIFIER = re.compile(r"(?m)^((?:AN|ID|DO|UT|DI|PMID|U2)(?:  - |- | ))(\S.*)$")
BIBTEX = {
    "bibtex (scopus)": "scopus_bibtex/scopus_m.bib",
    "bibtex (wos)": "wos_bibtex/wos_m.bib",
}


def _decode(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    encoding = "utf-16" if data[:2] == b"\xff\xfe" else "utf-8-sig"
    return data.decode(encoding).replace("\r\n", "\n"), encoding


def build_tabular(
    sample: Path, skip: int, delimiter: str, rewrite, empty, records: int, out: Path
) -> int:
    text, encoding = _decode(sample)
    lines = text.split("\n")
    preamble, body = lines[:skip], "\n".join(lines[skip:])
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_ALL
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter, quoting=quoting))
    header, data = rows[0], [r for r in rows[1:] if r]
    columns = {name: header.index(name) for name in (*rewrite, *empty)}
    copies = -(-records // len(data))
    buffer = io.StringIO()
    # WoS tab-delimited has no quoting at all: fields hold no tabs or newlines.
    quotechar = None if delimiter == "\t" else '"'
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=quoting, quotechar=quotechar, lineterminator="\r\n"
    )
    for line in preamble:
        buffer.write(line + "\r\n")
    writer.writerow(header)
    for copy in range(copies):
        for row in data:
            row = list(row)
            for name in rewrite:
                if row[columns[name]]:
                    row[columns[name]] += f"x{copy}"
            for name in empty:
                row[columns[name]] = ""
            writer.writerow(row)
    out.write_bytes(buffer.getvalue().encode("utf-16" if encoding == "utf-16" else "utf-8-sig"))
    return copies * len(data)


def _copy_id(match: re.Match, copy: int) -> str:
    """An identifier line of the ``copy``-th copy: a PMID stays digits, as MEDLINE's reader
    requires; the other identifiers get an "x" and the copy's number."""
    tag, value = match.groups()
    return f"{tag}{value}{copy:05d}" if tag.startswith("PMID") else f"{tag}{value}x{copy}"


def build_tagged(sample: Path, records: int, out: Path) -> int:
    from reviewflow.ingest import read_export

    count = len(read_export(sample))
    text, _ = _decode(sample)
    start = _FIRST_RECORD.search(text).start()
    end = text.rindex("\nEF") + 1 if "\nEF" in text else len(text)
    header, body, footer = text[:start], text[start:end].rstrip("\n") + "\n\n", text[end:]
    copies = -(-records // count)
    parts = (
        [header]
        + [_IDENTIFIER.sub(lambda m, copy=copy: _copy_id(m, copy), body) for copy in range(copies)]
        + [footer]
    )
    out.write_text("".join(parts), encoding="utf-8")
    return copies * count


def build_bibtex(sample: Path, records: int, out: Path) -> int:
    text, _ = _decode(sample)
    count = len(re.findall(r"^\s*@\w+\s*\{", text, flags=re.MULTILINE))
    copies = -(-records // count)
    parts = []
    for copy in range(copies):
        part = re.sub(r"(?m)^(\s*@\w+\s*\{[^,\n]*)", rf"\g<1>x{copy}", text)
        part = re.sub(r"(?i)((?:doi|unique-id)\s*=\s*\{[^}]*)\}", rf"\g<1>x{copy}}}", part)
        part = re.sub(r"(eid=[^&]+)", rf"\g<1>x{copy}", part)
        parts.append(part)
    out.write_text("\n".join(parts), encoding="utf-8")
    return copies * count


def measure(path: Path) -> dict:
    """Run in a child process: read one file, report time and peak memory."""
    from reviewflow.ingest import read_export

    start = time.perf_counter()
    frame = read_export(path)
    seconds = time.perf_counter() - start
    return {"records": len(frame), "seconds": seconds, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """Peak resident memory of this process. ru_maxrss would also count the
    parent's peak before exec (Linux keeps it), so read VmHWM where there is one."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s*(\d+) kB", status).group(1)) / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--samples",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared" / "samples",
    )
    parser.add_argument(
        "--formats", nargs="+", help="only formats whose name starts with one of these"
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    print(
        f"{'format':18} {'records':>8} {'file MB':>8} {'seconds':>8} "
        f"{'records/s':>10} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            (fmt, lambda out, name=name: build_tagged(args.samples / name, args.records, out))
            for fmt, name in TAGGED.items()
        ]
        jobs += [
            (
                fmt,
                lambda out, spec=spec: build_tabular(
                    args.samples / spec[0], *spec[1:], args.records, out
                ),
            )
            for fmt, spec in TABULAR.items()
        ]
        jobs += [
            (fmt, lambda out, name=name: build_bibtex(args.samples / name, args.records, out))
            for fmt, name in BIBTEX.items()
        ]
        if args.formats:
            jobs = [(fmt, build) for fmt, build in jobs if fmt.startswith(tuple(args.formats))]
        for fmt, build in jobs:
            out = Path(tmp) / "export"
            print(f"building {fmt} ...", file=sys.stderr, flush=True)
            written = build(out)
            result = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--measure", str(out)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            assert result["records"] == written, (fmt, result, written)
            size = out.stat().st_size / 1e6
            rate = result["records"] / result["seconds"]
            print(
                f"{fmt:18} {written:>8} {size:>8.0f} {result['seconds']:>8.1f} "
                f"{rate:>10.0f} {result['peak_mb']:>8.0f}",
                flush=True,
            )
            out.unlink()


if __name__ == "__main__":
    main()
