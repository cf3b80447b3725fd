"""reviewflow: a systematic review from database exports to PRISMA 2020 counts."""

__version__ = "0.1.0"
