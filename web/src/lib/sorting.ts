// Sorting a table by one column: the header's button chooses the column, a second press
// turns the order around; `aria-sort` tells a screen reader which column and which way.

export type Direction = "ascending" | "descending";
export interface SortState<K extends string> {
  key: K;
  direction: Direction;
}

/** The order after pressing `key`'s header: the same column turns around, another starts
 * ascending. */
export function nextSort<K extends string>(current: SortState<K> | null, key: K): SortState<K> {
  if (current?.key === key) {
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { key, direction: "ascending" };
}

export function ariaSort<K extends string>(
  current: SortState<K> | null,
  key: K,
): Direction | "none" {
  return current?.key === key ? current.direction : "none";
}

/** `rows` in the order of `state` (a copy; equal values keep their order, empty ones go
 * last either way); text compared as people read it ("2" before "10", case ignored). */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  state: SortState<K> | null,
  value: (row: T, key: K) => string | number | null | undefined,
  language: string,
): T[] {
  if (!state) return [...rows];
  const collator = new Intl.Collator(language, { numeric: true, sensitivity: "base" });
  const sign = state.direction === "ascending" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row, state.key) }))
    .sort((a, b) => {
      const emptyA = a.key === null || a.key === undefined || a.key === "";
      const emptyB = b.key === null || b.key === undefined || b.key === "";
      if (emptyA || emptyB) return emptyA === emptyB ? a.index - b.index : emptyA ? 1 : -1;
      const order =
        typeof a.key === "number" && typeof b.key === "number"
          ? a.key - b.key
          : collator.compare(String(a.key), String(b.key));
      return order * sign || a.index - b.index;
    })
    .map((entry) => entry.row);
}
