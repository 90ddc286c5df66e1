// Organisation names for the signed-in pages (identity's memberships carry only the slug).
import { loadOrganisation } from "./organisation";

const known = new Map<string, Promise<string>>();

/** The organisation's name from its public page, or the slug when it cannot be read. */
export function organisationName(orgId: string): Promise<string> {
  let name = known.get(orgId);
  if (!name) {
    name = loadOrganisation(orgId).then(
      (org) => org.name,
      () => orgId,
    );
    known.set(orgId, name);
  }
  return name;
}
