// The operator's form of a training (components/operator/OperatorTrainings.svelte): what
// it holds while being filled in, a published training put back into it to be changed,
// and the body POST and PUT /v1/trainings… take from it. Dates are the browser's local
// time in the form (a datetime-local field) and ISO moments with their zone on the wire.
import type { Audience, NewTraining, Training } from "./trainings";

export interface TrainingForm {
  title: string;
  description: string;
  audience: Audience[];
  start: string;
  end: string;
  place: string;
  link: string;
  seats: number;
}

export const emptyTrainingForm = (): TrainingForm => ({
  title: "",
  description: "",
  audience: [],
  start: "",
  end: "",
  place: "",
  link: "",
  seats: 12,
});

/** A local date and time input's value ("2027-03-10T09:00") as an ISO moment with its zone. */
export function localToIso(local: string): string {
  return new Date(local).toISOString();
}

/** An ISO moment as a datetime-local field's value, in the browser's time zone, to the minute. */
export function isoToLocal(iso: string): string {
  const moment = new Date(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}` +
    `T${two(moment.getHours())}:${two(moment.getMinutes())}`
  );
}

/** A published training in the form, to be changed. */
export function formOf(training: Training): TrainingForm {
  return {
    title: training.title,
    description: training.description,
    audience: [...training.audience],
    start: isoToLocal(training.starts_at),
    end: isoToLocal(training.ends_at),
    place: training.place ?? "",
    link: training.online_link ?? "",
    seats: training.seats,
  };
}

/** What the form sends, to publish or to change. */
export function bodyOf(form: TrainingForm): NewTraining {
  return {
    title: form.title.trim(),
    description: form.description.trim(),
    audience: form.audience,
    starts_at: localToIso(form.start),
    ends_at: localToIso(form.end),
    place: form.place.trim() || null,
    online_link: form.link.trim() || null,
    seats: Number(form.seats),
  };
}
