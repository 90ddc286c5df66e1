// Which field of a form an API sentence is about, so that it is shown beside that field.
// FastAPI's 422 sentences start with the field's name ("email: value is not a valid…");
// the services' own sentences name the thing in words ("There is no role 'x' to apply for").

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
