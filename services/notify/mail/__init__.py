"""notify's mail room: what turns an event into a mail and sends it once.

- `outbox.py`: mails recorded in the transaction of the event that causes them;
- `delivery.py`: the mail worker, which claims due mails (its `Claims` on `mails`), sends
  and records the outcome;
- `addressing.py`: the platform's addresses a mail links to.

The rules stay in the service's `domain/` (`mail_planning.py`: who gets which mail;
`mail_templates.py` and `templates/`: the words; `mail_retry.py`), where the layers contract
of pyproject.toml keeps them free of I/O; this room is the I/O around them.
"""
