// Bundles the workspace part into dist/extension.js and the UI part (gord-ui)
// into extension-ui/dist/ui.js.
//   node extension/esbuild.mjs                 development build (source map)
//   node extension/esbuild.mjs --production    minified, for the VSIX
//   node extension/esbuild.mjs --watch         rebuild on change
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** @type {esbuild.BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: [
    { in: "extension/src/extension.ts", out: "dist/extension" },
    { in: "extension/src/ui/extension.ts", out: "extension-ui/dist/ui" },
  ],
  outdir: ".",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["vscode"],
  sourcemap: true,
  sourcesContent: false,
  minify: production,
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
