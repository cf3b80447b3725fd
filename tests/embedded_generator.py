"""The generator package of the embedded exports (raw_exports/exportgen), imported by path:
raw_exports/ is a folder of data and scripts, not an installed package."""

import importlib.util
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "raw_exports" / "exportgen"


def exportgen():
    if "exportgen" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "exportgen", PACKAGE / "__init__.py", submodule_search_locations=[str(PACKAGE)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["exportgen"] = module
        spec.loader.exec_module(module)
    return sys.modules["exportgen"]
