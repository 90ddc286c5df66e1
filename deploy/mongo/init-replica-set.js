// Run by the one-shot `mongo-init` service in docker-compose.yml (mongosh --file).
//
// Initiates the single-member replica set rs0 if it is not initiated yet, then waits until
// this node is a writable primary. Idempotent: on every later `docker compose up` the set
// already exists (its config lives in the mongo-data volume) and only the wait runs.
// Any uncaught error makes mongosh exit non-zero, which keeps the services from starting.

const config = {
  _id: "rs0",
  // Must be the name the services use in SAFEHANDS_MONGO_URI (Docker DNS of `mongo`).
  members: [{ _id: 0, host: "mongo:27017" }],
};

try {
  rs.status();
  print("rs0 is already initiated");
} catch (e) {
  if (e.codeName !== "NotYetInitialized" && e.code !== 94) {
    throw e;
  }
  rs.initiate(config);
  print("rs0 initiated");
}

const deadline = Date.now() + 120 * 1000;
while (!db.hello().isWritablePrimary) {
  if (Date.now() > deadline) {
    throw new Error("rs0 has no writable primary after 120 s");
  }
  sleep(1000);
}
print("rs0 primary is ready");
