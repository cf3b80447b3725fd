"""The one exception type the package raises for bad input.

The CLI and the Snakemake rules print its message and exit non-zero, so a user
sees which file (and line) is wrong instead of a traceback.
"""


class ReviewflowError(Exception):
    """Bad input: the message names the file and, where known, the line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
