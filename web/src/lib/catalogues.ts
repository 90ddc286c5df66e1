// Every catalogue under src/i18n/<area>.<language>.ts, read at once and paired by area: for tests only
// (the app loads them per page and language, lib/i18n.ts `loadCatalogues`).
export type Catalogue = { nl: Record<string, string>; en: Record<string, string> };
type Module = { messages: Record<string, string> };

const areaOf = (path: string) => path.replace(/^.*\/(\w+)\.\w+\.ts$/, "$1");
const nl = import.meta.glob<Module>("../i18n/*.nl.ts", { eager: true });
const en = import.meta.glob<Module>("../i18n/*.en.ts", { eager: true });
const english = new Map(Object.entries(en).map(([path, module]) => [areaOf(path), module.messages]));

export const ALL_CATALOGUES: Record<string, Catalogue> = Object.fromEntries(
  Object.entries(nl).map(([path, module]) => [
    areaOf(path),
    { nl: module.messages, en: english.get(areaOf(path)) ?? {} },
  ]),
);

/** The areas with an English catalogue: the same as the Dutch ones, or one is missing. */
export const ENGLISH_AREAS = [...english.keys()].sort();
