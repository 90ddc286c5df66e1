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
  // Cleared once the names came: /me asks again whenever its session changes, and each
  // call's timer would otherwise wait out its patience for nothing.
  let patience: ReturnType<typeof setTimeout> | undefined;
  const named = await Promise.race([
    Promise.all(ids.map(async (id) => [id, await organisationName(id)])),
    new Promise<string[][]>((settle) => {
      patience = setTimeout(() => settle(ids.map((id) => [id, id])), patienceMs);
    }),
  ]).finally(() => clearTimeout(patience));
  return Object.fromEntries(named);
}
