"""Save an openpyxl workbook so that the same content always gives the same bytes.

openpyxl stamps the save time into docProps/core.xml and into every zip entry;
both are fixed here. Used by every XLSX the package writes (extraction and
risk-of-bias workbooks, the screening-tool export).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

# The earliest time a zip entry can carry; the document properties say 2000-01-01.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*")


def save(wb, path: str | Path) -> None:
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH), data,
                         compress_type=zipfile.ZIP_DEFLATED)
