"""The interactive flow diagram: one self-contained HTML page, works offline.

The diagram is the same matplotlib drawing as flow_diagram.svg, inlined; each
numbered box (an SVG group ``box-<key>``) lists the ledger records behind its
number when clicked. Record text goes in as JSON and is shown with textContent,
never parsed as HTML.
"""

from __future__ import annotations

import html
import json

import pandas as pd

from reviewflow.prisma.boxes import box_rows
from reviewflow.prisma.layout import Layout

STATUS_LABEL = {
    "duplicate": "Duplicate",
    "excluded_automation": "Excluded by automation",
    "excluded_other": "Removed for other reasons",
    "excluded_screening": "Excluded at title/abstract",
    "pending_screening": "Awaiting title/abstract screening",
    "not_retrieved": "Not retrieved",
    "pending_full_text": "Awaiting full-text assessment",
    "excluded_full_text": "Excluded at full text",
    "included": "Included",
    "previous_included": "Included in previous version",
    "previous_excluded": "Excluded in previous version",
}

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em; color: #111; }
h1 { font-size: 1.3em; }
#diagram svg { max-width: 100%; height: auto; }
#diagram svg text { pointer-events: none; }
#diagram .clickable { cursor: pointer; }
#diagram .clickable:hover path, #diagram .clickable.selected path { fill: #EAF2FB !important; }
#records table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
#records th, #records td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
#records th { background: #eee; position: sticky; top: 0; }
#filter { margin: 0.5em 0; width: 20em; }
"""

JS = """
const data = JSON.parse(document.getElementById("ledger-data").textContent);
const section = document.getElementById("records");
const body = document.querySelector("#records tbody");
const filter = document.getElementById("filter");
let shown = [];
function render() {
  const q = filter.value.toLowerCase();
  body.replaceChildren();
  for (const i of shown) {
    const rec = data.records[i];
    if (q && !rec.join(" ").toLowerCase().includes(q)) continue;
    const tr = document.createElement("tr");
    for (const cell of rec) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  document.getElementById("records-count").textContent =
    body.children.length + " of " + shown.length + " records";
}
function open(key) {
  document.querySelectorAll("#diagram .selected").forEach(g => g.classList.remove("selected"));
  document.getElementById("box-" + key).classList.add("selected");
  shown = data.boxes[key];
  document.getElementById("records-title").textContent = data.titles[key];
  filter.value = "";
  section.hidden = false;
  render();
}
for (const key of Object.keys(data.boxes)) {
  const g = document.getElementById("box-" + key);
  if (!g) continue;
  g.classList.add("clickable");
  g.setAttribute("tabindex", "0");
  g.setAttribute("role", "button");
  g.addEventListener("click", () => open(key));
  g.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") open(key); });
}
filter.addEventListener("input", render);
"""

COLUMNS = ["Title", "Year", "Databases", "IDs", "Decision", "Reason"]


def record_rows(ledger: pd.DataFrame) -> list[list[str]]:
    """One display row per ledger row: what a reviewer needs to check a decision."""
    databases = ledger.groupby("cluster_id")["source_db"].agg(
        lambda dbs: "; ".join(sorted(set(dbs)))
    )
    rows = []
    for rec in ledger.to_dict("records"):
        ids = [
            rec["record_id"],
            rec["source_id"],
            rec["doi"] and f"doi:{rec['doi']}",
            rec["pmid"] and f"PMID:{rec['pmid']}",
            rec["work_key"],
        ]
        stages = [
            f"{name}: {rec[col]}"
            for name, col in (("T/A", "ta_decision"), ("FT", "ft_decision"))
            if rec[col]
        ]
        reason = (
            f"duplicate of {rec['duplicate_of']}"
            if rec["status"] == "duplicate"
            else rec["ft_reason"] or rec["ta_reason"] or rec["automation"]
        )
        notice = rec.get("notices") or ""
        rows.append(
            [
                str(rec["title"]) + (f" [check: {notice}]" if notice else ""),
                "" if pd.isna(rec["year"]) else str(rec["year"]),
                databases[rec["cluster_id"]],
                "; ".join(i for i in ids if i),
                "; ".join([STATUS_LABEL.get(rec["status"], rec["status"])] + stages),
                str(reason),
            ]
        )
    return rows


def page(
    layout: Layout, svg: str, ledger: pd.DataFrame, rounds: list[str], title: str, methods=()
) -> str:
    """The page; ``methods`` (config.methods) are the sources of the other methods' column."""
    boxes = box_rows(ledger, rounds, methods)
    # The list's heading: the box's first line, e.g. "Reports excluded (n = 14)".
    titles = {
        b.key: b.lines[0][1].rstrip(":")
        + (f" (n = {len(boxes[b.key])})" if b.lines[0][1].endswith(":") else "")
        for b in layout.boxes
        if b.key in boxes
    }
    data = {"boxes": boxes, "titles": titles, "records": record_rows(ledger)}
    # JSON inside <script>: escaping "<" keeps "</script>" in a title harmless.
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False).replace("<", "\\u003c")
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PRISMA 2020 flow diagram: {html.escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>PRISMA 2020 flow diagram: {html.escape(title)}</h1>
<p>Click a box to list the records behind its number (from results/audit/ledger.csv).</p>
<div id="diagram">
{svg}
</div>
<section id="records" hidden>
<h2 id="records-title"></h2>
<input id="filter" type="search" placeholder="Filter records" aria-label="Filter records">
<p id="records-count"></p>
<table><thead><tr>{head}</tr></thead><tbody></tbody></table>
</section>
<script type="application/json" id="ledger-data">{payload}</script>
<script>{JS}</script>
</body>
</html>
"""
