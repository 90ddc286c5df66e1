import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// During development (`npm run dev`, `npm run preview`) the services run on their own ports
// (`safehands up`: 8081…8085); this proxy plays the gateway's part, `/api/<service>/…` →
// that service without the prefix. SAFEHANDS_DEV_API_PORT_BASE moves them (base + 1 … + 5).
const SERVICES = ["intake", "policy", "reports", "notify", "identity"];
const portBase = Number(process.env.SAFEHANDS_DEV_API_PORT_BASE ?? 8080);
const proxy = Object.fromEntries(
  SERVICES.map((service, i) => [
    `/api/${service}/`,
    {
      target: `http://127.0.0.1:${portBase + i + 1}`,
      rewrite: (path: string) => path.slice(`/api/${service}`.length),
    },
  ]),
);

// What every public page (/, /o/<org>, its report, follow-up and apply pages, /vacatures) is
// built on: one chunk with Svelte's runtime, the texts and the router (their dependencies,
// which rolldown takes along), instead of a dozen small ones. One file compresses better and
// is one request: the report page's first load went from 44.5 to 41.4 KB gzipped, in 4
// requests instead of 13 (README, "The reporter's first load"). Signed-in pages load it too,
// with their own chunks beside it.
const PUBLIC_PARTS = [
  "lib/api.ts",
  "lib/attachmentLimits.ts",
  "lib/client.ts",
  "lib/leave.ts",
  "lib/organisation.ts",
  "lib/proofOfWork.ts",
  "lib/reportDraft.ts",
  "components/FormField.svelte",
  "components/LanguageSwitch.svelte",
  "components/LazyFallbackContacts.svelte",
  "components/OrgGate.svelte",
  "components/ProofOfWorkSlot.svelte",
  "components/Shell.svelte",
  "components/Title.svelte",
];
const isPublicPart = (id: string) =>
  PUBLIC_PARTS.some((part) => id.replaceAll("\\", "/").endsWith(`/src/${part}`)) ||
  /node_modules[\\/]openapi-fetch[\\/]/.test(id);

// One single-page app for every page; the gateway serves dist/ and falls back to index.html.
export default defineConfig({
  plugins: [svelte()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline script or style: the gateway's Content-Security-Policy forbids both.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: "app", test: isPublicPart }] } },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
