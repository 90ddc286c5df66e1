// The VCP's key file kept in this browser, if they choose so: IndexedDB holds the file
// exactly as downloaded, still encrypted under their passphrase and recovery code. Never the
// passphrase, never the unlocked key. One file per organisation and VCP.
import { readKeyFile, type KeyFile } from "../crypto";

const DATABASE = "safehands-vcp";
const STORE = "key-files";

function database(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error ?? new Error("IndexedDB cannot be opened."));
  });
}

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const asked = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(asked.result);
      transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB failed."));
      transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB failed."));
    });
  } finally {
    db.close();
  }
}

const slot = (org: string, vcpId: string) => `${org}/${vcpId}`;

/** The kept key file, checked; null when none is kept (or IndexedDB is not available). */
export async function storedKeyFile(org: string, vcpId: string): Promise<KeyFile | null> {
  let text: unknown;
  try {
    // Only looking must not create the database: a VCP who never kept a file leaves none.
    if (typeof indexedDB.databases === "function") {
      const existing = await indexedDB.databases();
      if (!existing.some((db) => db.name === DATABASE)) return null;
    }
    text = await inStore("readonly", (store) => store.get(slot(org, vcpId)));
  } catch {
    return null;
  }
  if (typeof text !== "string") return null;
  return readKeyFile(text);
}

/** Keep (or replace) the encrypted key file; its text as `safehands vcp keygen` writes it. */
export async function storeKeyFile(org: string, vcpId: string, fileText: string): Promise<void> {
  await inStore("readwrite", (store) => store.put(fileText, slot(org, vcpId)));
}

export async function removeKeyFile(org: string, vcpId: string): Promise<void> {
  await inStore("readwrite", (store) => store.delete(slot(org, vcpId)));
}
