// Counts in sentences by the language's plural rules ("1 vrijwilliger", "2 vrijwilligers"):
// a message with a count has a `_one` and an `_other` form in the catalogue.
import { translate, type Language, type MessageKey } from "./i18n";

type Counted<K extends string> = K extends `${infer Base}_one` ? Base : never;
export type CountedKey = Counted<MessageKey>;

export function plural(
  language: Language,
  key: CountedKey,
  count: number,
  params: Record<string, string | number> = {},
): string {
  const rules = new Intl.PluralRules(language === "nl" ? "nl-NL" : "en-GB");
  const form = rules.select(count) === "one" ? "one" : "other";
  return translate(language, `${key}_${form}` as MessageKey, { count, ...params });
}
