// Which catalogues (src/i18n/<area>.ts) each page needs beside the shell's `common`, which is
// in the entry chunk. App.svelte loads them together with the page's chunk and renders the page
// only when both are here, so a page never shows a key or shifts when its texts arrive.
// lib/pageTexts.test.ts checks that every key a page's components use is in one of these.
import type { Area } from "./i18n";
import type { Route } from "./router";

export const PAGE_TEXTS: Record<Route["name"], readonly Area[]> = {
  home: ["public"],
  org: ["public"],
  report: ["report"],
  "follow-up": ["followup"],
  apply: ["apply"],
  coordinator: ["staff", "coordinator"],
  "sign-in": ["staff", "signin"],
  "sign-in-callback": ["staff", "signin"],
  me: ["staff", "me"],
  vcp: ["staff", "vcp", "followup"],
  admin: ["staff", "admin"],
  "admin-log": ["staff", "admin"],
  operator: ["staff", "operator"],
  vacancies: ["public"],
  "not-found": ["public"],
};
