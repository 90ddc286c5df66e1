// The sign-in link lands on /sign-in/callback#code=…: a fragment, so no server ever logs it.
// It is taken out of the address before the app even renders, so it is not left in the
// address bar, the history or a bookmark, and kept in memory until it is exchanged, once.

let pending: string | null = null;

/** The code of a fragment like `#code=abc`, or null. */
export function codeOfFragment(hash: string): string | null {
  const code = new URLSearchParams(hash.replace(/^#/, "")).get("code");
  return code && code.trim() ? code.trim() : null;
}

/** Called first thing at start-up: move a sign-in code from the URL into memory. */
export function takeCodeFromUrl(location: Location, history: History): void {
  if (!location.hash) return;
  const code = codeOfFragment(location.hash);
  if (code === null) return;
  pending = code;
  history.replaceState(history.state, "", location.pathname + location.search);
}

/** The code, handed out once. */
export function consumeCode(): string | null {
  const code = pending;
  pending = null;
  return code;
}
