// Counts in sentences by the language's plural rules ("1 vrijwilliger", "2 vrijwilligers"):
// a message with a count has a `_one` and an `_other` form in the catalogue.
import { locale, translate, type Language, type MessageKey } from "./i18n";

type Counted<K extends string> = K extends `${infer Base}_one` ? Base : never;
export type CountedKey = Counted<MessageKey>;

export function plural(
  language: Language,
  key: CountedKey,
  count: number,
  params: Record<string, string | number> = {},
): string {
  const rules = new Intl.PluralRules(locale(language));
  const form = rules.select(count) === "one" ? "one" : "other";
  return translate(language, `${key}_${form}` as MessageKey, { count, ...params });
}

// Placeholders that stand for a number of things: a text with one of these must come in a
// `_one` and an `_other` form, or "1 vrijwilligers" slips back in (i18n.test.ts checks it).
const COUNT_PLACEHOLDER = /\{(count|days|years|months|minutes|hours|number|total|n)\}/;
const FORM = /_(one|other)$/;

/** The keys of `catalogue` whose text has a count but no plural form: a key without a
 * `_one`/`_other` ending, or one of the pair missing. Empty when all is well. */
export function missingPluralForms(catalogue: Record<string, string>): string[] {
  const wrong = new Set<string>();
  for (const [key, text] of Object.entries(catalogue)) {
    const form = FORM.exec(key);
    if (form) {
      const base = key.slice(0, form.index);
      const partner = `${base}_${form[1] === "one" ? "other" : "one"}`;
      // "category_other" is a word, not a form: only a count makes it one of a pair.
      if (!(partner in catalogue) && COUNT_PLACEHOLDER.test(text)) wrong.add(key);
    } else if (COUNT_PLACEHOLDER.test(text)) {
      wrong.add(key);
    }
  }
  return [...wrong].sort();
}
