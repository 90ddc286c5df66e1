// A section of a workspace loads its data when it is opened: at its own address
// (`/admin/roles`), or on the page of all sections once it scrolls into view. So the page's
// first view asks only for what it shows. Once the person starts working on the page, or the
// browser is idle after the first view, the other sections read theirs too, so that a list
// further down is there when they reach it (scrolled, or read by a tool that never scrolls).

/** Svelte action: calls `open` once, the first time the element is in view; `null` waits. */
export function whenOpened(node: HTMLElement, open: (() => void) | null) {
  let current = open;
  let fired = false;
  let observer: IntersectionObserver | null = null;

  function watch() {
    observer?.disconnect();
    observer = null;
    if (fired || !current) return;
    observer = new IntersectionObserver((entries) => {
      if (!fired && current && entries.some((entry) => entry.isIntersecting)) {
        fired = true;
        observer?.disconnect();
        current();
      }
    });
    observer.observe(node);
  }
  watch();
  return {
    update(next: (() => void) | null) {
      current = next;
      watch();
    },
    destroy() {
      observer?.disconnect();
    },
  };
}

/** Calls `engaged` once, when the person first works on the page: a click, a key, a field
 * changed. Programmatic focus (the router's, on the heading) is not work. */
export function onFirstWork(engaged: () => void): () => void {
  const kinds = ["pointerdown", "keydown", "input", "change"] as const;
  const stop = () => kinds.forEach((kind) => document.removeEventListener(kind, fire, true));
  function fire() {
    stop();
    engaged();
  }
  kinds.forEach((kind) => document.addEventListener(kind, fire, true));
  return stop;
}

/** Calls `settled` once the first view has stood a moment and the browser is idle; the
 * returned function cancels it. */
export function afterFirstView(settled: () => void, delayMs = 500): () => void {
  let idle: number | null = null;
  const timer = setTimeout(() => {
    if (typeof requestIdleCallback === "function") {
      idle = requestIdleCallback(() => settled(), { timeout: 1000 });
    } else settled();
  }, delayMs);
  return () => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  };
}

/** When the sections of a page open: not yet, each once in view, or all now. */
export type Opens = "not-yet" | "in-view" | "all";
