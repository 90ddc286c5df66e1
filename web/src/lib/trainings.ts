// The regional centre's trainings (policy, docs/api.md "trainings"): the operator publishes
// them and marks attendance; a member of any organisation registers themself and cancels.
// Typed from policy's OpenAPI document (lib/client.ts).
import { answer, client, type PolicyTypes } from "./client";
import { downloadFile } from "./files";
import { accessToken } from "./session";

export type Audience = "vcps" | "coordinators" | "admins" | "volunteers";
export const AUDIENCES: readonly Audience[] = ["vcps", "coordinators", "admins", "volunteers"];
export type RegistrationStatus = "confirmed" | "waiting" | "cancelled";

type Schemas = PolicyTypes["schemas"];
export type Training = Schemas["Training"];
export type ChangedTraining = Schemas["ChangedTraining"];
export type NewTraining = Schemas["NewTraining"];
export type Registration = Schemas["Registration"];
export type MyRegistration = Schemas["MyRegistration"];
export type RegistrationRow = Schemas["TrainingRegistrations"]["registrations"][number];
export type OrganisationCount = Schemas["TrainingRegistrations"]["per_organisation"][number];
export type TrainingRegistrations = Schemas["TrainingRegistrations"];

const policy = client("policy", accessToken);
// File downloads (calendar files) are not JSON: they go through lib/files.ts.
const enc = encodeURIComponent;

export const loadTrainings = () => answer(policy.GET("/v1/trainings"));

export const publishTraining = (training: NewTraining) =>
  answer(policy.POST("/v1/trainings", { body: training }));

export const loadRegistrations = (trainingId: string) =>
  answer(
    policy.GET("/v1/trainings/{training_id}/registrations", {
      params: { path: { training_id: trainingId } },
    }),
  );

export const markAttendance = (trainingId: string, registrationId: string, attended: boolean) =>
  answer(
    policy.PUT("/v1/trainings/{training_id}/registrations/{registration_id}/attendance", {
      params: { path: { training_id: trainingId, registration_id: registrationId } },
      body: { attended },
    }),
  );

/** The centre changes a training before it starts; when its time, end, place or online link
 * changed, every registration is mailed (the answer says how many). */
export const changeTraining = (trainingId: string, training: NewTraining) =>
  answer(
    policy.PUT("/v1/trainings/{training_id}", {
      params: { path: { training_id: trainingId } },
      body: training,
    }),
  );

/** The centre cancels a training before it starts; each registered member is mailed. */
export const cancelTraining = (trainingId: string) =>
  answer(
    policy.POST("/v1/trainings/{training_id}/cancellation", {
      params: { path: { training_id: trainingId } },
    }),
  );

export const loadMyRegistrations = (org: string) =>
  answer(policy.GET("/v1/orgs/{org}/training-registrations", { params: { path: { org } } }));

export const register = (org: string, trainingId: string, body: Schemas["NewRegistration"]) =>
  answer(
    policy.POST("/v1/orgs/{org}/trainings/{training_id}/registrations", {
      params: { path: { org, training_id: trainingId } },
      body,
    }),
  );

export const cancelRegistration = (org: string, registrationId: string) =>
  answer(
    policy.DELETE("/v1/orgs/{org}/training-registrations/{registration_id}", {
      params: { path: { org, registration_id: registrationId } },
    }),
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

