// Every request with an OpenAPI operation goes through the typed client (lib/client.ts), and
// its answer's type comes from the generated documents (src/lib/openapi/*.d.ts), so that a
// changed field breaks the build, not a page (issue 26 item 2). This fails when a lib file
// outside ALLOWED calls lib/api.ts's request functions (or fetch) with a service's URL by
// hand, or declares an interface that is not on the list of the app's own shapes below.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const LIB = __dirname;

// The files that may still ask a service by hand, and why (each also says so in a comment).
const ALLOWED: Record<string, string> = {
  // The client itself, and the request underneath it (proof of work, errors).
  "api.ts": "the request the typed client goes through",
  "client.ts": "the typed client",
  // Bytes, not JSON: the typed client reads JSON answers only.
  "files.ts": "binary downloads (docx, pdf, xlsx, ics) saved from memory",
  "attachments.ts": "age-encrypted pieces uploaded as bytes",
  "replyAttachments.ts": "age-encrypted pieces uploaded and downloaded as bytes",
  // A stream of server-sent events, read with fetch so the token is a header, not in a URL.
  "live.ts": "server-sent events (text/event-stream)",
  // The browser's WebAuthn options and answers are free-form JSON the service passes through
  // from py_webauthn; the contract types them as objects only.
  "passkeys.ts": "WebAuthn options and credentials, which the contract leaves free-form",
  // The session's cookie-mode requests send a header the typed client cannot add per call.
  "session.ts": "cookie-mode requests with the X-Session-Cookie header",
};

// Interfaces a lib file may declare: shapes of the app's own (never an answer of a service),
// such as what a page keeps in memory or what a function returns after combining answers.
const OWN_SHAPES = new Set([
  // Combined or derived in the browser.
  "CodeState",
  "NewsSettings",
  "ListQuery",
  "PreparedReport",
  "PreparedFile",
  "Reserved",
  "Mailbox",
  "MailboxAccess",
  "MailboxMessage",
  "CaseMessage",
  "OpenedCase",
  "ReportContent",
  "Handover",
  "ReportDraft",
  // trainingForm.ts: the operator's form of a training while it is filled in.
  "TrainingForm",
  "SignInResult",
  "Session",
  "Active",
  "Recipients",
  // mailRecipients.ts: what it needs of a member (any list of people with these fields).
  "StaffMember",
  "AuditFilter",
  // Not about a service at all.
  "Challenge",
  "PendingProof",
  "DiffLine",
  "Change",
  "ServerEvent",
  "SortState",
  "ReplyTexts",
  "Unlocked",
  "Place",
  "SignatureReceipt",
  "ApiRequest",
  "AddProblem",
  "AuditQuery",
  "Catalogue",
  "Module",
  "ServicePaths",
  "Texts",
]);

// The app's own shapes that happen to share a schema's name (not copies of it): the opened
// mailbox (intake's Mailbox is the lookup and reply key a report carries; reports'
// MailboxAccess is the secret sent to read it).
const SAME_NAME = new Set(["Mailbox", "MailboxAccess"]);

// Answers the contract still leaves an object of any fields (reports' case and mailbox
// routes, read with client.ts's untypedAnswer; identity's passkeys and devices), named here
// until their service types them.
const UNTYPED_ANSWERS = new Set([
  "CaseSummary",
  "RawCase",
  "RawMessage",
  "OrganisationCases",
  "MailboxAnswer",
  "Passkey",
  "Device",
]);

const sources = () =>
  readdirSync(LIB)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts"))
    .map((name) => ({ name, text: readFileSync(join(LIB, name), "utf8") }));

// `request("policy", …)`, `call<X>("reports", …)`, `getJson(\n "identity", …)`, `fetch(\`/api/…`.
const BY_HAND =
  /\b(?:request|requestBytes|call|getJson|postJson)\s*(?:<[^()]*?>)?\s*\(\s*["'`](?:intake|policy|reports|notify|identity)["'`]|\bfetch\s*\(\s*[`"']\/api\//g;

// The schema names of every service's document: a lib interface of that name is a copy.
function schemaNames(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(join(LIB, "openapi"))) {
    const text = readFileSync(join(LIB, "openapi", file), "utf8");
    const start = text.indexOf("    schemas: {");
    const end = text.indexOf("\n    responses:", start);
    for (const match of text.slice(start, end).matchAll(/^ {8}(\w+): /gm)) names.add(match[1] ?? "");
  }
  return names;
}

describe("requests through the typed client", () => {
  it("reads the lib files and the generated schemas", () => {
    expect(sources().length).toBeGreaterThan(40);
    expect(schemaNames().has("PublicPage")).toBe(true);
  });

  it("asks a service by hand only in the allowed files", () => {
    const byHand = sources()
      .filter(({ name }) => !(name in ALLOWED))
      .flatMap(({ name, text }) => [...text.matchAll(BY_HAND)].map((m) => `${name}: ${m[0]}`));
    expect(byHand).toEqual([]);
  });

  it("declares no hand-written answer type", () => {
    const schemas = schemaNames();
    const declared = sources().flatMap(({ name, text }) =>
      [...text.matchAll(/^(?:export )?(?:interface (\w+)|type (\w+)\s*=\s*\{)/gm)].map((m) => ({
        name,
        type: m[1] ?? m[2] ?? "",
      })),
    );
    const copies = declared
      .filter(({ type }) => !UNTYPED_ANSWERS.has(type))
      .filter(({ type }) => (schemas.has(type) && !SAME_NAME.has(type)) || !OWN_SHAPES.has(type))
      .map(({ name, type }) => `${name}: ${type}`);
    expect(copies).toEqual([]);
  });

  it("keeps the allowed files' reasons in their own comments", () => {
    for (const name of Object.keys(ALLOWED)) {
      expect(readFileSync(join(LIB, name), "utf8")).toMatch(/\/\/|\/\*/);
    }
  });
});
