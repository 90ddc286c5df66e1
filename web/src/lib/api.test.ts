import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("./proofOfWork", async (original) => ({
  ...(await original<typeof import("./proofOfWork")>()),
  // The widget is not mounted in a unit test: the puzzle is "solved" at once.
  solveProofOfWork: vi.fn(async () => "solved-payload"),
}));

vi.mock("../crypto/attachment", async (original) => ({
  ...(await original<typeof import("../crypto/attachment")>()),
  // The ciphertext's decryption is tested with the vectors; here only the way to it.
  decryptFile: vi.fn(async (ciphertext: Uint8Array) => ciphertext),
}));

import { ApiError, requestBytes } from "./api";
import { openMailboxAttachment } from "./replyAttachments";

const CHALLENGE = {
  detail: "Solve the puzzle first.",
  reason: "proof_of_work_required",
  challenge: { parameters: { algorithm: "PBKDF2/SHA-256" }, signature: "s" },
};

afterEach(() => vi.unstubAllGlobals());

describe("a download of bytes", () => {
  it("solves the puzzle of an organisation under pressure and asks again, as a JSON request does", async () => {
    const sent: Array<Record<string, string>> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        const headers = init.headers as Record<string, string>;
        sent.push(headers);
        return headers["X-Altcha"]
          ? new Response(new Uint8Array([1, 2, 3]), { status: 200 })
          : new Response(JSON.stringify(CHALLENGE), { status: 428 });
      }),
    );
    const bytes = await requestBytes("reports", "/v1/orgs/o/mailbox/attachments/a", { body: { secret: "x" } });
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(sent).toHaveLength(2);
    expect(sent[1]!["X-Altcha"]).toBe("solved-payload");
  });

  it("says the platform's sentence when the download is refused", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ detail: "No such mailbox." }), { status: 404 })),
    );
    const refused = requestBytes("reports", "/v1/orgs/o/mailbox/attachments/a", { body: { secret: "x" } });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 404 });
  });
});

describe("the reporter's download of a reply's file", () => {
  it("goes through the puzzle when the organisation is under pressure", async () => {
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init: RequestInit) => {
        sent.push(url);
        return (init.headers as Record<string, string>)["X-Altcha"]
          ? new Response(new Uint8Array([7, 8]), { status: 200 })
          : new Response(JSON.stringify(CHALLENGE), { status: 428 });
      }),
    );
    const ref = { attachment_id: "a-1", identity: "AGE-SECRET-KEY-1", name: "f.txt", media_type: "text/plain", size: 2 };
    const blob = await openMailboxAttachment("club", "mailbox-secret", ref);
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([7, 8]);
    // The secret travels in the body, never the address.
    expect(sent).toEqual([
      "/api/reports/v1/orgs/club/mailbox/attachments/a-1",
      "/api/reports/v1/orgs/club/mailbox/attachments/a-1",
    ]);
  });
});
