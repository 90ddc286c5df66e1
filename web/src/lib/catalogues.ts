// Every catalogue under src/i18n/, read at once: for tests only (the app loads them per page,
// lib/i18n.ts `loadCatalogues`). Importing this module pulls all texts into one chunk.
export type Catalogue = { nl: Record<string, string>; en: Record<string, string> };

export const ALL_CATALOGUES: Record<string, Catalogue> = Object.fromEntries(
  Object.entries(import.meta.glob<Catalogue>("../i18n/*.ts", { eager: true })).map(
    ([path, module]) => [path.replace(/^.*\/(\w+)\.ts$/, "$1"), module],
  ),
);
