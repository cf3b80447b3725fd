"""PRISMA 2020: counts over the audit ledger (and, elsewhere, the flow diagram)."""
