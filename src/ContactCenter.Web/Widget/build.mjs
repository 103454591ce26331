// Bundles the chat widget (and the @microsoft/signalr browser client) into one minified IIFE:
// ../wwwroot/widget.js, served at GET /widget.js. Run by ContactCenter.Web.csproj on build.
//
//   node build.mjs            one build
//   node build.mjs --watch    rebuild on change (while working on the widget)
//   node build.mjs --outfile=PATH
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outArg = args.find((a) => a.startsWith("--outfile="));
const outfile = outArg ? resolve(outArg.slice("--outfile=".length)) : resolve(here, "../wwwroot/widget.js");
const watch = args.includes("--watch");

const signalrVersion = JSON.parse(readFileSync(resolve(here, "node_modules/@microsoft/signalr/package.json"), "utf8")).version;

/** @type {import("esbuild").BuildOptions} */
const options = {
  absWorkingDir: here,
  entryPoints: ["src/index.js"],
  outfile,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  loader: { ".css": "text" },
  // The SignalR client reaches for Node-only modules (ws, node-fetch, …) only when it runs on
  // Node, through an indirect require; in a browser bundle they are never needed.
  external: ["ws", "eventsource", "node-fetch", "fetch-cookie", "tough-cookie", "abort-controller"],
  banner: {
    js: `/*! ContactCenter chat widget | bundles @microsoft/signalr ${signalrVersion} (MIT, (c) .NET Foundation) */`,
  },
  logLevel: "warning",
};

if (watch) {
  const context = await esbuild.context({ ...options, logLevel: "info" });
  await context.watch();
  console.log(`Watching the widget sources; writing ${outfile}`);
} else {
  await esbuild.build(options);
  console.log(`widget bundle -> ${outfile}`);
}
