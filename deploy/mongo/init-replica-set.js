// Run by the one-shot `mongo-init` service in docker-compose.yml (mongosh --file).
//
// Signs in as the root user (created by the mongo image on first start, password from the
// compose secret mongo_root_password), initiates the single-member replica set rs0 if it is
// not initiated yet, waits until this node is a writable primary, then gives each service
// its own SCRAM user with readWrite on its own database only (<database>_<service>), with
// the password from its compose secret mongo_<service>_password. Idempotent: on every later
// `docker compose up` the set exists, and the users' passwords and rights are set again.
// Any uncaught error makes mongosh exit non-zero, which keeps the services from starting.

const fs = require("fs");
const secret = (name) => fs.readFileSync(`/run/secrets/${name}`, "utf8").trim();

const SERVICES = ["identity", "intake", "policy", "reports", "notify"];
const DATABASE = process.env.SAFEHANDS_MONGO_DATABASE || "safehands";

const admin = db.getSiblingDB("admin");
admin.auth("root", secret("mongo_root_password"));

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

for (const service of SERVICES) {
  // Its own database and nothing else: indexes, transactions and change streams there.
  const roles = [{ role: "readWrite", db: `${DATABASE}_${service}` }];
  const pwd = secret(`mongo_${service}_password`);
  if (admin.getUser(service)) {
    admin.updateUser(service, { pwd, roles });
  } else {
    admin.createUser({ user: service, pwd, roles, mechanisms: ["SCRAM-SHA-256"] });
  }
}
print("service users are in place");
