"""PRISMA 2020 outputs drawn from the audit ledger: counts, flow diagram, database overlap."""
