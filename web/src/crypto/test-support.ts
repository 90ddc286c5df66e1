// Helpers for the crypto tests (not imported by the app).

import { readFileSync } from "node:fs";

/** Parse a JSON file under the repository's tests/vectors/. */
export function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../tests/vectors/${name}`, import.meta.url), "utf-8")) as T;
}
