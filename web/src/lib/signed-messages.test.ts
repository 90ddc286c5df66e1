// The reporter's page shows a VCP message only with a valid signature of the current VCP it
// names (signatureHolds), checked on the Python-signed vectors of tests/vectors.

import { describe, expect, it } from "vitest";

import type { Envelope } from "../crypto";
import { readVectors } from "../crypto/test-support";
import { signatureHolds, type VcpKey } from "./reporting";

interface SigningCase {
  suite: string;
  signing_key: string;
  other_signing_key: string;
  org_id: string;
  report_id: string;
  message_id: string;
  envelope: Envelope;
  signature: string;
}

const [c] = readVectors<{ cases: SigningCase[] }>("signed-message-v1.json").cases;
const message = {
  message_id: c!.message_id,
  from: "vcp" as const,
  at: "2026-12-05T12:00:00Z",
  envelope: c!.envelope,
  signature: c!.signature,
  signed_by: "vera",
};
const key = (vcpId: string, signingKey: string | null): VcpKey => ({
  vcp_id: vcpId,
  public_key: { suite: "X25519", key: "" },
  fingerprint: "",
  signing_key: signingKey,
  name: null,
  since: null,
  introduction: null,
  centre: false,
});
const holds = (m: typeof message, keys: VcpKey[]) => signatureHolds(c!.org_id, c!.report_id, m, keys);

describe("signatureHolds", () => {
  it("accepts the message signed by the key of the VCP it names", () => {
    expect(holds(message, [key("bram", c!.other_signing_key), key("vera", c!.signing_key)])).toBe(true);
  });

  it("refuses a tampered message, another VCP's key, and a missing or unnamed signature", () => {
    const tampered = { ...message, envelope: { ...message.envelope, nonce: "AAAAAAAAAAAAAAAA" } };
    expect(holds(tampered, [key("vera", c!.signing_key)])).toBe(false);
    expect(holds(message, [key("vera", c!.other_signing_key)])).toBe(false);
    expect(holds({ ...message, signed_by: "bram" }, [key("bram", c!.other_signing_key), key("vera", c!.signing_key)])).toBe(false);
    expect(holds({ ...message, signature: "" }, [key("vera", c!.signing_key)])).toBe(false);
    // Naming a VCP without a signing key does not get past the check while others sign.
    expect(holds({ ...message, signed_by: "old" }, [key("old", null), key("vera", c!.signing_key)])).toBe(false);
  });

  it("shows an unsigned message only while no current VCP has a signing key", () => {
    expect(holds({ ...message, signature: "" }, [key("vera", null)])).toBe(true);
  });
});
