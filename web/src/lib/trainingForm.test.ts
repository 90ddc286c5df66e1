import { describe, expect, it } from "vitest";
import { bodyOf, emptyTrainingForm, formOf, isoToLocal, localToIso } from "./trainingForm";
import type { Training } from "./trainings";

const TRAINING: Training = {
  training_id: "t1",
  title: "Basistraining VCP",
  description: "De basis.",
  audience: ["vcps", "admins"],
  starts_at: "2027-03-10T08:00:00Z",
  ends_at: "2027-03-10T11:30:00Z",
  place: null,
  online_link: "https://meet.example.org/vcp",
  seats: 12,
  seats_left: 3,
  waiting: 0,
  cancelled_at: null,
  changed_at: null,
};

describe("the training form", () => {
  it("shows a stored moment as the local time the field takes, and sends it back unchanged", () => {
    const local = isoToLocal(TRAINING.starts_at);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localToIso(local)).toBe(new Date(TRAINING.starts_at).toISOString());
  });

  it("takes a published training to be changed, and sends the same training again", () => {
    const form = formOf(TRAINING);
    expect(form).toMatchObject({ title: "Basistraining VCP", place: "", seats: 12 });
    const body = bodyOf(form);
    expect(body).toEqual({
      title: TRAINING.title,
      description: TRAINING.description,
      audience: ["vcps", "admins"],
      starts_at: "2027-03-10T08:00:00.000Z",
      ends_at: "2027-03-10T11:30:00.000Z",
      place: null,
      online_link: "https://meet.example.org/vcp",
      seats: 12,
    });
    // The form's audience is its own copy: ticking a box does not change the listed training.
    form.audience.push("volunteers");
    expect(TRAINING.audience).toEqual(["vcps", "admins"]);
  });

  it("sends blanks as nothing and trims what was typed", () => {
    const body = bodyOf({ ...emptyTrainingForm(), title: "  Intake ", place: "  ", start: "2027-01-01T10:00", end: "2027-01-01T12:00" });
    expect(body.title).toBe("Intake");
    expect(body.place).toBeNull();
    expect(body.online_link).toBeNull();
  });
});
