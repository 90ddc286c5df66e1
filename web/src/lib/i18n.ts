// Dutch and English, written at B1 level: short sentences, everyday words, one idea each.
// The texts live in catalogues under src/i18n/<area>.<language>.ts, one per area and language
// (Dutch is the reference: English has exactly the same keys). Only the Dutch `common` is in
// the entry chunk; every other catalogue is a chunk of its own, loaded with its page in the
// language it shows (App.svelte awaits both), so a reporter never downloads the staff pages'
// texts, nor the language they do not read.
import { derived, get, writable } from "svelte/store";
import { messages as commonNl } from "../i18n/common.nl";

export type Language = "nl" | "en";
export const LANGUAGES: readonly Language[] = ["nl", "en"];
export const DEFAULT_LANGUAGE: Language = "nl";
export const LANGUAGE_NAMES: Record<Language, string> = { nl: "Nederlands", en: "English" };

/** Each area's Dutch catalogue, loaded on demand (a chunk of its own). */
const NL = {
  public: () => import("../i18n/public.nl"),
  report: () => import("../i18n/report.nl"),
  followup: () => import("../i18n/followup.nl"),
  apply: () => import("../i18n/apply.nl"),
  signin: () => import("../i18n/signin.nl"),
  staff: () => import("../i18n/staff.nl"),
  me: () => import("../i18n/me.nl"),
  admin: () => import("../i18n/admin.nl"),
  operator: () => import("../i18n/operator.nl"),
  coordinator: () => import("../i18n/coordinator.nl"),
  vcp: () => import("../i18n/vcp.nl"),
} as const;
export type Area = keyof typeof NL;

type Texts = { messages: Record<string, string> };
/** Every catalogue by language; the Dutch `common` is already here (the entry's). */
const CHUNKS: Record<Language, Record<Area | "common", () => Promise<Texts>>> = {
  nl: { ...NL, common: () => Promise.resolve({ messages: commonNl }) },
  en: {
    common: () => import("../i18n/common.en"),
    public: () => import("../i18n/public.en"),
    report: () => import("../i18n/report.en"),
    followup: () => import("../i18n/followup.en"),
    apply: () => import("../i18n/apply.en"),
    signin: () => import("../i18n/signin.en"),
    staff: () => import("../i18n/staff.en"),
    me: () => import("../i18n/me.en"),
    admin: () => import("../i18n/admin.en"),
    operator: () => import("../i18n/operator.en"),
    coordinator: () => import("../i18n/coordinator.en"),
    vcp: () => import("../i18n/vcp.en"),
  },
};

type AreaKey<A extends Area> = keyof Awaited<ReturnType<(typeof NL)[A]>>["messages"];
/** Every key of every catalogue: `t()` stays typed although most texts load later. */
export type MessageKey = keyof typeof commonNl | { [A in Area]: AreaKey<A> }[Area];

/** The texts loaded so far, per language: the Dutch `common` from the start, the rest as pages
 * open in a language. */
export const CATALOGUES: Record<Language, Partial<Record<MessageKey, string>>> = {
  nl: { ...commonNl },
  en: {},
};

/** Bumped when a catalogue arrives, so `$t` shows it (after a change of language). */
const arrived = writable(0);
const loaded = new Map<string, Promise<void>>();
/** The areas pages asked for: a change of language loads these in the new language. */
const wanted = new Set<Area>();

function loadOne(lang: Language, area: Area | "common"): Promise<void> {
  const id = `${lang}/${area}`;
  let loading = loaded.get(id);
  if (!loading) {
    loading = CHUNKS[lang][area]().then(
      (module) => {
        Object.assign(CATALOGUES[lang], module.messages);
        arrived.update((n) => n + 1);
      },
      (error: unknown) => {
        // A failed load may be tried again (the page's own retry).
        loaded.delete(id);
        throw error;
      },
    );
    loaded.set(id, loading);
  }
  return loading;
}

/** Load areas' catalogues in a language (the current one unless named), with that language's
 * `common`; each loads once. */
export function loadCatalogues(areas: readonly Area[], lang: Language = get(language)): Promise<void> {
  for (const area of areas) wanted.add(area);
  return Promise.all([loadOne(lang, "common"), ...areas.map((area) => loadOne(lang, area))]).then(
    () => undefined,
  );
}

/** The catalogues pages asked for so far, in `lang`: before a page turns to that language
 * (an organisation's own, or the switch), so it turns at once, without a flash of Dutch. */
export function ensureLanguage(lang: Language): Promise<void> {
  return loadCatalogues([...wanted], lang);
}

/** Every catalogue in both languages, for tests and tools that need all texts at once. */
export async function loadAllCatalogues(): Promise<void> {
  const areas = Object.keys(NL) as Area[];
  await Promise.all(LANGUAGES.map((lang) => loadCatalogues(areas, lang)));
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
  // A text whose catalogue is still on its way reads in Dutch for that moment; a key from
  // outside the catalogues (say, a role the platform added later) shows as is.
  const template: string | undefined = CATALOGUES[language][key] ?? CATALOGUES.nl[key];
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
  [language, arrived],
  ([current]) =>
    (key: MessageKey, params?: Record<string, string | number>): string =>
      translate(current, key, params),
);

// Any change of language (a link with ?lang=, the organisation's) brings its catalogues; the
// pages that can, load them before they change (OrgGate, App.svelte).
language.subscribe((lang) => {
  if (wanted.size > 0) ensureLanguage(lang).catch(() => undefined);
});

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
