"""Screening: reviewers' decisions and eligibility rules turned into the audit ledger.

- ``decisions``: read config/screening/*.csv and resolve each ``id`` to a work.
- ``eligibility``: the automation (metadata) and full-text rules.
- ``ledger``: one row per input record with its status.
- ``pending``: the works still waiting for a decision.
- ``run``: the ``reviewflow screen`` command's work, files in and out.
"""
