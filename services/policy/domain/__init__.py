"""Pure rules of the policy service: admission, gratis VOG, retention, code versions, and
what it refuses (errors.py).

No database, broker or clock in here; use cases and handlers gather the facts and pass
"today" in.
"""
