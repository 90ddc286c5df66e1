"""notify's webhook room: what turns an event into a signed POST to a subscriber and
delivers it once.

- `outbox.py`: deliveries recorded in the transaction of the event they carry;
- `delivery.py`: the webhook worker, which claims due deliveries (its `Claims` on
  `deliveries`), sends and records the outcome;
- `sender.py`: one attempt over HTTP to the vetted address, within one deadline.

The rules stay in the service's `domain/` (`webhook_targets.py`: which addresses may be
called; `webhook_signature.py`: Standard Webhooks signatures; `webhook_subscriptions.py`,
`retry_schedule.py`, `attempt_outcomes.py`), where the layers contract keeps them free of
I/O; this room is the I/O around them. `claims.py` beside the rooms is the claiming both
workers share.
"""
