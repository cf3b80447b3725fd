"""PRISMA 2020: counts over the audit ledger, the flow diagram, PRISMA.csv and database overlap."""
