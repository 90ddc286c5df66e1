// Which field of a form an API answer is about, so that it is shown beside that field.
// A 422 names its fields by name (`fields`, the request's field names, dotted when nested):
// the form maps each of its fields to the request's names and words. The services' own
// sentences (a 409, a refusal) name no field: those are matched by the words they use
// ("There is no role 'x' to apply for").
import { ApiError } from "./api";

/** The form's field a failure is about: the first of a 422's fields the form shows, else the
 * first whose words the sentence uses; null for a failure about no field. */
export function fieldOf(failure: unknown, fields: Record<string, readonly string[]>): string | null {
  if (!(failure instanceof ApiError)) return null;
  for (const named of failure.fields) {
    const top = named.split(".")[0]!;
    for (const [field, words] of Object.entries(fields)) {
      if (field === named || field === top || words.includes(named) || words.includes(top)) return field;
    }
  }
  return fieldOfDetail(failure.detail, fields);
}

export function fieldOfDetail(
  detail: string,
  fields: Record<string, readonly string[]>,
): string | null {
  const lowered = detail.toLowerCase();
  for (const field of Object.keys(fields)) {
    if (lowered.startsWith(`${field.toLowerCase()}:`)) return field;
  }
  for (const [field, words] of Object.entries(fields)) {
    if (words.some((word) => lowered.includes(word.toLowerCase()))) return field;
  }
  return null;
}
