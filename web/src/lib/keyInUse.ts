// Work that has started with the VCP's key (a reply being sealed and signed, a case being
// handed over) finishes before the key is forgotten. The VCP who presses "Lock" right after
// "Send" means both: the page locks at once, and the key goes as soon as that work has
// signed what it was sending, instead of the reply failing half-way (the files uploaded, the
// reply never posted) with nothing left on screen to say so. The key stays only in that
// work's own memory meanwhile, and never longer than IN_USE_LIMIT_MS.
import { forgetPrivateKey, type PrivateKey } from "../crypto";

/** Longer than a reply with files takes on a slow connection; the key is gone by then. */
export const IN_USE_LIMIT_MS = 60_000;

const users = new Map<PrivateKey, number>();
const toForget = new Map<PrivateKey, ReturnType<typeof setTimeout>>();

function forgetNow(key: PrivateKey): void {
  clearTimeout(toForget.get(key));
  toForget.delete(key);
  forgetPrivateKey(key);
}

/** Run `work` with `key`; a lock meanwhile forgets the key once `work` has ended. */
export async function whileInUse<T>(key: PrivateKey, work: () => Promise<T>): Promise<T> {
  users.set(key, (users.get(key) ?? 0) + 1);
  try {
    return await work();
  } finally {
    const left = (users.get(key) ?? 1) - 1;
    if (left > 0) users.set(key, left);
    else {
      users.delete(key);
      if (toForget.has(key)) forgetNow(key);
    }
  }
}

/** Forget `key` now, or, while work uses it, when that work ends (at the latest after `limitMs`). */
export function forgetWhenDone(key: PrivateKey, limitMs = IN_USE_LIMIT_MS): void {
  if (!users.has(key)) forgetNow(key);
  else if (!toForget.has(key)) toForget.set(key, setTimeout(() => forgetNow(key), limitMs));
}
