// "Leave quickly": a reporter who is being watched must be able to hide the page at once, and
// leave as little as the page can remove behind in the tab's history.

/** A site that says nothing about the person who visits it. */
export const NEUTRAL_SITE = "https://www.google.com/";

/** Two presses of Escape within this many milliseconds leave the page as well. */
export const ESCAPE_WINDOW_MS = 1500;

/** What replaces each SafeHands entry on the way back: a page that shows nothing typed. */
const BLANK_ENTRY = "/";
/** If the browser does not move back in time (it may ignore history calls), leave anyway. */
const WALK_BACK_TIMEOUT_MS = 600;

/** How far this document has moved into the tab's history: the router stamps every entry it
 * pushes with its position (`{ position: n }`), the entry the document was loaded in is 0. */
export function positionIn(state: unknown): number {
  if (state && typeof state === "object" && "position" in state) {
    const position = (state as { position: unknown }).position;
    if (typeof position === "number" && Number.isInteger(position) && position > 0) {
      return Math.min(position, 200);
    }
  }
  return 0;
}

export function leaveQuickly(): void {
  // First the page's content and title go, at once, so nothing stays on screen while the
  // history is cleaned up (and a snapshot the browser keeps of this page shows nothing).
  document.title = "";
  document.body.replaceChildren();
  // What a page can do about the tab's history, and what it cannot:
  // - it cannot delete entries, nor read or change those of other documents, and it can
  //   rewrite only the entry it is on (`replaceState`, same origin only);
  // - so it walks back through the entries this document made (the router numbers them),
  //   rewriting each to the bare home address, until it reaches the one the document was
  //   loaded in, and replaces that one with the neutral site (`location.replace`: no new
  //   entry). Back then goes to whatever was before SafeHands; Forward at most to the home
  //   address, never to the report page or what was typed;
  // - SafeHands pages loaded as documents of their own before this one (a reload keeps the
  //   entry; typing the address again or following a link from elsewhere makes a new one)
  //   stay in the history as they are, as does the browser's global history of visited
  //   addresses: only a private window or clearing the history removes those.
  let steps = positionIn(safeState());
  rewriteEntry();
  if (steps === 0) {
    window.location.replace(NEUTRAL_SITE);
    return;
  }
  const timer = window.setTimeout(() => done(), WALK_BACK_TIMEOUT_MS);
  const onPop = () => {
    steps -= 1;
    if (steps > 0) {
      rewriteEntry();
      window.history.back();
    } else done();
  };
  function done() {
    window.clearTimeout(timer);
    window.removeEventListener("popstate", onPop, true);
    window.location.replace(NEUTRAL_SITE);
  }
  window.addEventListener("popstate", onPop, true);
  window.history.back();
}

function safeState(): unknown {
  try {
    return window.history.state;
  } catch {
    return null;
  }
}

function rewriteEntry(): void {
  try {
    window.history.replaceState(null, "", BLANK_ENTRY);
  } catch {
    // Some embedded browsers refuse history changes; leaving still works.
  }
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

/** Whether this device shows a keyboard hint: a fine pointer that can hover (a computer),
 * until a key press says there is a keyboard after all (a tablet with one attached). */
export const KEYBOARD_QUERY = "(hover: hover) and (pointer: fine)";
