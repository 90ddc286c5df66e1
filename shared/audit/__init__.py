"""The organisations' audit log: who did what, as a hash chain nobody can quietly change.

`chain.py` is the rule (entry shape, canonical JSON, SHA-256, verification) without I/O;
`log.py` appends to and reads a service's chain in its database. docs/api.md ("Audit log")
states the same rule for integrators who recompute the chain without this code.
"""

from shared.audit.log import record, record_unless_self

__all__ = ["record", "record_unless_self"]
