"""Pure domain rules shared by several services.

Nothing in this package performs I/O or reads the clock: callers pass "today" in, so the
same rule gives the same answer in intake (refusing bad input) and in policy (admission).
"""
