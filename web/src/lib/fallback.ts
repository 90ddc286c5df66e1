// The regional centre's fallback contacts (policy `GET/PUT /v1/fallback-contacts`): where a
// reporter can turn while an organisation has no confidential contact person with a key.
// Typed from policy's OpenAPI document (lib/client.ts).
import { answer, client, type PolicyTypes } from "./client";
import { accessToken } from "./session";

export type FallbackContact = PolicyTypes["schemas"]["FallbackContact"];
export type FallbackKind = FallbackContact["kind"];

export const loadFallbackContacts = () =>
  answer(client("policy").GET("/v1/fallback-contacts")).then((found) => found.contacts);

export const saveFallbackContacts = (contacts: FallbackContact[]) =>
  answer(client("policy", accessToken).PUT("/v1/fallback-contacts", { body: { contacts } }));

/** A phone number as a `tel:` link dials it: digits and a leading "+" only. */
export const dialable = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

/** The centre's own people first, then the national lines, each in the operator's order. */
export function centreFirst(contacts: readonly FallbackContact[]): FallbackContact[] {
  return [
    ...contacts.filter((c) => c.kind === "centre_contact"),
    ...contacts.filter((c) => c.kind === "national_line"),
  ];
}
