// The regional centre's trainings (policy, docs/api.md "trainings"): the operator publishes
// them and marks attendance; a member of any organisation registers themself and cancels.
import { downloadFile } from "./files";
import { call } from "./workspace";

export type Audience = "vcps" | "coordinators" | "admins" | "volunteers";
export const AUDIENCES: readonly Audience[] = ["vcps", "coordinators", "admins", "volunteers"];
export type RegistrationStatus = "confirmed" | "waiting" | "cancelled";

export interface Training {
  training_id: string;
  title: string;
  description: string;
  audience: Audience[];
  starts_at: string;
  ends_at: string;
  place: string | null;
  online_link: string | null;
  seats: number;
  seats_left: number;
  waiting: number;
}

export interface NewTraining {
  title: string;
  description: string;
  audience: Audience[];
  starts_at: string;
  ends_at: string;
  place: string | null;
  online_link: string | null;
  seats: number;
}

export interface Registration {
  registration_id: string;
  training_id: string;
  member_org: string;
  status: RegistrationStatus;
  registered_at: string;
  position: number | null;
  attended: boolean | null;
}

export interface MyRegistration extends Registration {
  title: string;
  starts_at: string;
}

export interface RegistrationRow extends Registration {
  name: string;
  email: string;
  organisation: string;
}

export interface OrganisationCount {
  member_org: string;
  organisation: string;
  confirmed: number;
  waiting: number;
  attended: number;
}

export interface TrainingRegistrations {
  training: Training;
  registrations: RegistrationRow[];
  per_organisation: OrganisationCount[];
}

const enc = encodeURIComponent;

export const loadTrainings = () => call<Training[]>("policy", "/v1/trainings");

export const publishTraining = (training: NewTraining) =>
  call<Training>("policy", "/v1/trainings", "POST", training);

export const loadRegistrations = (trainingId: string) =>
  call<TrainingRegistrations>("policy", `/v1/trainings/${enc(trainingId)}/registrations`);

export const markAttendance = (trainingId: string, registrationId: string, attended: boolean) =>
  call<Registration>(
    "policy",
    `/v1/trainings/${enc(trainingId)}/registrations/${enc(registrationId)}/attendance`,
    "PUT",
    { attended },
  );

export const loadMyRegistrations = (org: string) =>
  call<MyRegistration[]>("policy", `/v1/orgs/${enc(org)}/training-registrations`);

export const register = (
  org: string,
  trainingId: string,
  body: { name: string; email: string; language: "nl" | "en" },
) =>
  call<Registration>(
    "policy",
    `/v1/orgs/${enc(org)}/trainings/${enc(trainingId)}/registrations`,
    "POST",
    body,
  );

export const cancelRegistration = (org: string, registrationId: string) =>
  call<Registration>(
    "policy",
    `/v1/orgs/${enc(org)}/training-registrations/${enc(registrationId)}`,
    "DELETE",
  );

/** A file name for a training's calendar file, as the server names it. */
export function icsName(title: string, suffix = ""): string {
  const stem =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "training";
  return `${stem}${suffix}.ics`;
}

export const downloadTrainingIcs = (training: Training) =>
  downloadFile("policy", `/v1/trainings/${enc(training.training_id)}/calendar.ics`, icsName(training.title));

export const downloadRegistrationIcs = (org: string, registration: MyRegistration) =>
  downloadFile(
    "policy",
    `/v1/orgs/${enc(org)}/training-registrations/${enc(registration.registration_id)}/calendar.ics`,
    icsName(registration.title, "-registration"),
  );

/** A local date and time input's value ("2027-03-10T09:00") as an ISO moment with its zone. */
export function localToIso(local: string): string {
  return new Date(local).toISOString();
}
