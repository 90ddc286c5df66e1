"""How long the services and the embedded database wait on each other.

A module of its own, with no imports: the embedded database's launcher
(cli/embedded_database.py) reads it too, and importing the services' storage layer there
would load every event model and the async driver into the database's process at each start.
"""

# Every database operation ends within this, answered or not: a server that stops
# answering mid-operation would otherwise hold a request, a handler or a job for ever.
DEFAULT_OPERATION_TIMEOUT_MS = 10_000
# The most connections one service instance holds to the database (PyMongo's maxPoolSize,
# 100 by its own default). An operation beyond them waits for one in the service, in turn,
# and that wait counts against the deadline above: past it, the operation ends before the
# database began it. With a hundred, a crowd reached the database at once and queued there,
# on the embedded database's one storage lock, which hands itself to no waiter in particular:
# a consumer's batch statement waited behind a hundred others past its deadline, the server
# finished it all the same, and the batch fetched again lost write conflicts to it for
# minutes (bench/admission.py, 600 volunteers at 50 applications/s: p99 40-119 s with a
# hundred, 6-12 s with eight). Eight serve the embedded database as fast as it can go and
# a MongoDB replica set a regional platform's load; raise it for more with
# SAFEHANDS_MONGO_MAX_POOL_SIZE.
DEFAULT_MAX_POOL_SIZE = 8
# A transaction idle this long has been given up by its client (twice the deadline above),
# or its process died: the embedded database aborts it, so that what it wrote stops holding
# up every later write of the same documents (they lose write conflicts until then, and a
# request is answered 409 after its retries). Its own default is 60 s idle
# (cli/embedded_database.py; tests/integration/test_abandoned_transactions.py). MongoDB
# (compose, Kubernetes) keeps its default: its `transactionLifetimeLimitSeconds` counts a
# transaction's whole life, not its idle time, and a backup reads a whole province in one
# snapshot transaction (cli/backup.py), which 20 s would cut short.
TRANSACTION_LIFETIME_SECONDS = 2 * DEFAULT_OPERATION_TIMEOUT_MS // 1000
