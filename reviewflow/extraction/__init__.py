"""Extraction and risk-of-bias workbooks for the included studies, and reading them back.

studies   included studies from the ledger and works table (Study IDs, citations)
spec      which columns the sheets have (``extraction:`` config section), the RoB tools
workbook  writes extraction.xlsx, rob2.xlsx, robins_i.xlsx
readback  reads completed sheets (.xlsx or .csv) back, validating every cell
summary   Table 1 summary and robvis-ready CSVs; figure: traffic-light plot
"""

from .readback import read_extraction, read_rob
from .spec import ROB2, ROB_TOOLS, ROBINS_I, Spec, load_spec, spec_from_config
from .studies import included_studies
from .workbook import rob_tool, write_extraction, write_rob

__all__ = [
    "ROB2",
    "ROBINS_I",
    "ROB_TOOLS",
    "Spec",
    "included_studies",
    "load_spec",
    "read_extraction",
    "read_rob",
    "rob_tool",
    "spec_from_config",
    "write_extraction",
    "write_rob",
]
