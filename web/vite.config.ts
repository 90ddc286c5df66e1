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
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
