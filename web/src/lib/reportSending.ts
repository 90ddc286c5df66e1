// What the report page needs only to send: the crypto (lib/reporting, about 90 KB gzipped)
// and the receipt's view. The page loads them once the reporter starts on the form (focus or
// typing), not with itself (issue 26): the first paint waits for none of it, and by the time
// they send it is there. A failed load (a dropped connection) is tried again next time.
export type SendingParts = [
  typeof import("./reporting"),
  typeof import("../components/ReceiptView.svelte"),
];

let loading: Promise<SendingParts> | null = null;

export function loadSending(): Promise<SendingParts> {
  loading ??= Promise.all([import("./reporting"), import("../components/ReceiptView.svelte")]).catch(
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
