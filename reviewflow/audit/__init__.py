"""The audit trail: a manifest of every input used and `reviewflow verify`."""
