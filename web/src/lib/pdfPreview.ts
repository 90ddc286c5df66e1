// A PDF shown in the page (issue 24), decrypted in this browser, without loosening the
// Content-Security-Policy: pdf.js (`pdfjs-dist`, pinned) draws each page into a canvas. It is
// loaded only when a PDF is previewed (a chunk of its own), its worker is served from this
// origin (`worker-src 'self'`, already allowed), it never evaluates code (`isEvalSupported:
// false`, so the policy needs no 'unsafe-eval' and a crafted font program cannot become a
// function), and it loads no fonts into the page (`disableFontFace`: glyphs are drawn as
// paths), so `font-src` and `style-src` stay as they are. Why not the browser's own viewer in
// a frame: README, "Previewing a PDF".
import type { PDFDocumentProxy } from "pdfjs-dist";

/** Pages drawn at most: a preview, not a reader (the file can always be saved). */
export const MAX_PREVIEW_PAGES = 20;

// The standard fonts a PDF may name without embedding them: hashed assets of this origin,
// fetched by pdf.js only when a PDF needs one.
const STANDARD_FONTS = import.meta.glob("../../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}", {
  query: "?url",
  import: "default",
}) as Record<string, () => Promise<string>>;

/** pdf.js's loader of binary data, asked for standard fonts only (no CMaps, no wasm here). */
class StandardFonts {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const load = Object.entries(STANDARD_FONTS).find(([path]) => path.endsWith(`/${filename}`))?.[1];
    if (kind !== "standardFontDataUrl" || !load) throw new Error(`No ${kind} data ${filename} here.`);
    const response = await fetch(await load(), { credentials: "same-origin", referrerPolicy: "no-referrer" });
    if (!response.ok) throw new Error(`The font ${filename} could not be loaded.`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

async function pdfjs() {
  const [library, worker] = await Promise.all([
    import("pdfjs-dist"),
    import("pdfjs-dist/build/pdf.worker.min.mjs?url"),
  ]);
  library.GlobalWorkerOptions.workerSrc = worker.default;
  return library;
}

/** The opened document; `destroy()` it when the preview goes. */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  const library = await pdfjs();
  return library.getDocument({
    // A copy: pdf.js hands the buffer to its worker, which detaches it.
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    useWasm: false,
    // Present so that pdf.js asks for standard fonts; StandardFonts answers from the assets.
    standardFontDataUrl: "/standard-fonts/",
    useWorkerFetch: false,
    BinaryDataFactory: StandardFonts,
    stopAtErrors: false,
  }).promise;
}

/** Draw page `number` (from 1) into `canvas`, `cssWidth` CSS pixels wide, sharp on this screen. */
export async function drawPage(document: PDFDocumentProxy, number: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const page = await document.getPage(number);
  const unscaled = page.getViewport({ scale: 1 });
  const scale = cssWidth / unscaled.width;
  const ratio = Math.min(globalThis.devicePixelRatio || 1, 2);
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  await page.render({ canvas, viewport }).promise;
  page.cleanup();
}
