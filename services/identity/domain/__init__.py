"""Pure rules of identity: sign-in codes, sessions, memberships, mail texts.

No database, broker or clock in here: callers pass `now` in, so every expiry is testable.
"""
