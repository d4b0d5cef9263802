// Vite's configuration for the bundler test app (run.mjs builds it with Vite's API).
// "kickwire" resolves to the built package, wasm/pkg/kickwire.js (bash wasm/build.sh), as it
// would from node_modules: an alias, because wasm/pkg is built after `npm ci` runs here.
// KICKWIRE_WASM_PKG picks another build of the package (as in tests/tests/browser_api.rs).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
const pkg = process.env.KICKWIRE_WASM_PKG
  ? resolve(process.env.KICKWIRE_WASM_PKG)
  : resolve(here, "../../wasm/pkg");

export default defineConfig({
  root: here,
  // Relative asset URLs: the page works wherever dist/ is served.
  base: "./",
  logLevel: "warn",
  resolve: {
    alias: { kickwire: resolve(pkg, "kickwire.js") },
  },
  build: {
    outDir: resolve(here, "dist"),
    emptyOutDir: true,
  },
});
