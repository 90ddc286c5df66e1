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

/** The names of these organisations, once every one is known (null stands for none); after
 * `patienceMs` the slug stands for a name not yet read, so a page waiting on them does not
 * wait on a request that hangs. */
export async function organisationNames(
  orgIds: readonly (string | null)[],
  patienceMs = 3000,
): Promise<Record<string, string>> {
  const ids = [...new Set(orgIds.filter((id): id is string => id !== null))];
  const named = await Promise.race([
    Promise.all(ids.map(async (id) => [id, await organisationName(id)])),
    new Promise<string[][]>((settle) =>
      setTimeout(() => settle(ids.map((id) => [id, id])), patienceMs),
    ),
  ]);
  return Object.fromEntries(named);
}
