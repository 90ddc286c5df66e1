"""Pure rules of the reports service: case workflow, deadlines, retention, statistics.

No database, broker or clock in here; routes, handlers and jobs pass "now" in.
"""
