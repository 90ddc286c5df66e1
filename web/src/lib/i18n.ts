// Dutch and English, written at B1 level: short sentences, everyday words, one idea each.
// The texts live in catalogues under src/i18n/, one per area, each with both languages (Dutch is
// the reference: English has exactly the same keys). Only `common` is in the entry chunk; an
// area's catalogue is its own chunk, loaded with its page (App.svelte awaits both), so a
// reporter never downloads the staff pages' texts.
import { derived, get, writable } from "svelte/store";
import * as common from "../i18n/common";

export type Language = "nl" | "en";
export const LANGUAGES: readonly Language[] = ["nl", "en"];
export const DEFAULT_LANGUAGE: Language = "nl";
export const LANGUAGE_NAMES: Record<Language, string> = { nl: "Nederlands", en: "English" };


/** Each area's catalogue, loaded on demand (a chunk of its own). */
const AREAS = {
  public: () => import("../i18n/public"),
  report: () => import("../i18n/report"),
  followup: () => import("../i18n/followup"),
  apply: () => import("../i18n/apply"),
  signin: () => import("../i18n/signin"),
  staff: () => import("../i18n/staff"),
  me: () => import("../i18n/me"),
  admin: () => import("../i18n/admin"),
  operator: () => import("../i18n/operator"),
  coordinator: () => import("../i18n/coordinator"),
  vcp: () => import("../i18n/vcp"),
} as const;
export type Area = keyof typeof AREAS;

type AreaKey<A extends Area> = keyof Awaited<ReturnType<(typeof AREAS)[A]>>["nl"];
/** Every key of every catalogue: `t()` stays typed although most texts load later. */
export type MessageKey = keyof typeof common.nl | { [A in Area]: AreaKey<A> }[Area];

/** The texts loaded so far, per language: `common` from the start, areas as their pages open. */
export const CATALOGUES: Record<Language, Partial<Record<MessageKey, string>>> = {
  nl: { ...common.nl },
  en: { ...common.en },
};

const loaded = new Map<Area, Promise<void>>();

/** Load areas' catalogues (both languages, so the language switch never waits); each loads
 * once, and a failed load may be tried again. */
export function loadCatalogues(areas: readonly Area[]): Promise<void> {
  return Promise.all(
    areas.map((area) => {
      let loading = loaded.get(area);
      if (!loading) {
        loading = AREAS[area]().then(
          (module) => {
            Object.assign(CATALOGUES.nl, module.nl);
            Object.assign(CATALOGUES.en, module.en);
          },
          (error: unknown) => {
            loaded.delete(area);
            throw error;
          },
        );
        loaded.set(area, loading);
      }
      return loading;
    }),
  ).then(() => undefined);
}

/** Every catalogue, for tests and tools that need all texts at once. */
export function loadAllCatalogues(): Promise<void> {
  return loadCatalogues(Object.keys(AREAS) as Area[]);
}

/** The locale `Intl` formats with: one place, so dates, numbers, lists and plurals agree. */
export function locale(lang: Language): string {
  return lang === "nl" ? "nl-NL" : "en-GB";
}

export function isLanguage(value: unknown): value is Language {
  return value === "nl" || value === "en";
}

/** The language to show: `?lang=` first, then the organisation's language, then Dutch. */
export function chooseLanguage(search: string, organisationLanguage?: string | null): Language {
  const asked = new URLSearchParams(search).get("lang");
  if (isLanguage(asked)) return asked;
  if (isLanguage(organisationLanguage)) return organisationLanguage;
  return DEFAULT_LANGUAGE;
}

/** Whether the visitor chose a language in the URL (then the organisation's does not apply). */
export function languageAsked(search: string): boolean {
  return isLanguage(new URLSearchParams(search).get("lang"));
}

/** `{name}` placeholders filled in; a missing parameter stays visible rather than vanishing. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  // A key from outside the catalogue (say, a role the platform added later) shows as is.
  const template: string | undefined = CATALOGUES[language][key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The same path and query with `lang` set; everything else in the URL is kept. */
export function withLanguage(pathAndQuery: string, language: Language): string {
  const url = new URL(pathAndQuery, "http://x");
  url.searchParams.set("lang", language);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A list for a sentence, by the language's own rules (`Intl.ListFormat`): "Anna",
 * "Anna en Bram", "Anna, Bram en Carla". */
export function joinNames(names: string[], lang: Language): string {
  return new Intl.ListFormat(locale(lang), { style: "long", type: "conjunction" }).format(names);
}

/** The language the visitor picked (`?lang=` or the switch); null until they pick one. */
export const chosenLanguage = writable<Language | null>(null);
/** The language of the organisation whose page is open; null on other pages. */
export const organisationLanguage = writable<string | null>(null);

export const language = derived(
  [chosenLanguage, organisationLanguage],
  ([chosen, organisation]): Language =>
    chosen ?? (isLanguage(organisation) ? organisation : DEFAULT_LANGUAGE),
);

/** `$href("/o/demo/report")`: a link of this app that keeps a language the visitor picked. */
export const href = derived(
  chosenLanguage,
  (chosen) =>
    (path: string): string =>
      chosen ? withLanguage(path, chosen) : path,
);

/** `$t("key", {…})` in components: re-renders when the language changes. */
export const t = derived(
  language,
  (current) =>
    (key: MessageKey, params?: Record<string, string | number>): string =>
      translate(current, key, params),
);

export function currentLanguage(): Language {
  return get(language);
}

/** A moment as people read it: the date and the time to the minute ("5 december 2026 om
 * 19:30"), never seconds, in the reader's time zone. */
export function formatDateTime(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

/** A date (ISO string) as people read it in the current language: "14 maart 2026". */
export function formatDate(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(date);
}
