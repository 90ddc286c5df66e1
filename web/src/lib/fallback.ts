// The regional centre's fallback contacts (policy `GET/PUT /v1/fallback-contacts`): where a
// reporter can turn while an organisation has no confidential contact person with a key.
import { getJson } from "./api";
import { call } from "./workspace";

export type FallbackKind = "national_line" | "centre_contact";

export interface FallbackContact {
  name: string;
  kind: FallbackKind;
  phone: string | null;
  url: string | null;
  hours: string;
}

export const loadFallbackContacts = () =>
  getJson<{ contacts: FallbackContact[] }>("policy", "/v1/fallback-contacts").then(
    (answer) => answer.contacts,
  );

export const saveFallbackContacts = (contacts: FallbackContact[]) =>
  call<{ contacts: FallbackContact[] }>("policy", "/v1/fallback-contacts", "PUT", { contacts });

/** A phone number as a `tel:` link dials it: digits and a leading "+" only. */
export const dialable = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

/** The centre's own people first, then the national lines, each in the operator's order. */
export function centreFirst(contacts: readonly FallbackContact[]): FallbackContact[] {
  return [
    ...contacts.filter((c) => c.kind === "centre_contact"),
    ...contacts.filter((c) => c.kind === "national_line"),
  ];
}
