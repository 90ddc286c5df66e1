"""Notify's pure domain: webhook signing, target vetting, retry timing, mail texts, routing.

Nothing here talks to a broker, a database, SMTP or HTTP; the one I/O exception is the DNS
lookup in `webhook_targets`, which callers and tests can replace.
"""
