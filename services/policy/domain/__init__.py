"""Pure rules of the policy service: admission, gratis VOG, retention, code versions.

No database, broker or clock in here; handlers gather the facts and pass "today" in.
"""
