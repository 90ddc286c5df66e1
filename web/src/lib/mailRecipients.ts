// Who receives which of the organisation's mails (services/notify/domain/mail_facts.py
// `staff_addresses`): the members of that role, unless the contact addresses name some of
// that kind, which then stand in for them (a shared club address).

export type StaffKind = "coordinators" | "admins";

export interface StaffMember {
  email: string;
  name: string;
  roles: string[];
}

export interface Recipients {
  kind: StaffKind;
  // Where the mails go, and whether that is the contact addresses' override.
  addresses: string[];
  override: boolean;
}

const ROLE: Record<StaffKind, string> = { coordinators: "coordinator", admins: "admin" };

/** The mails of each kind, as notify sends them (docs/notify.md). */
export const MAILS_OF: Record<StaffKind, string[]> = {
  coordinators: ["new_application", "vog_received", "volunteer_back_to_pending"],
  admins: ["staff_member_added", "code_published_without_vcp", "advice_answered", "webhook_disabled"],
};

export function recipientsOf(
  kind: StaffKind,
  members: StaffMember[],
  contacts: Record<StaffKind, string[]>,
): Recipients {
  const override = contacts[kind].filter((address) => address.trim() !== "");
  if (override.length > 0) return { kind, addresses: override, override: true };
  const addresses = members.filter((m) => m.roles.includes(ROLE[kind])).map((m) => m.email);
  return { kind, addresses, override: false };
}
