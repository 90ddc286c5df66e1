// "Leave quickly": a reporter who is being watched must be able to hide the page at once.

/** A site that says nothing about the person who visits it. */
export const NEUTRAL_SITE = "https://www.google.com/";

/** Two presses of Escape within this many milliseconds leave the page as well. */
export const ESCAPE_WINDOW_MS = 1500;

export function leaveQuickly(): void {
  // The current history entry is rewritten before it is replaced, so "back" cannot return to
  // a reporter page that was this entry; then the page's content and title go at once, in case
  // the browser keeps a snapshot of it, and the neutral site replaces it without a new entry.
  try {
    window.history.replaceState(null, "", "/");
  } catch {
    // Some embedded browsers refuse history changes; leaving still works.
  }
  document.title = "";
  document.body.replaceChildren();
  window.location.replace(NEUTRAL_SITE);
}

/** A keydown listener that calls `leave` on the second Escape within the window. */
export function escapeTwice(leave: () => void, now: () => number = Date.now) {
  let last = -Infinity;
  return (event: { key: string }) => {
    if (event.key !== "Escape") return;
    const at = now();
    if (at - last <= ESCAPE_WINDOW_MS) {
      last = -Infinity;
      leave();
    } else {
      last = at;
    }
  };
}
