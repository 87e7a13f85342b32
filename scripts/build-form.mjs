// Builds the reporting form's script for browsers (npm run build): form/page.js with
// age-encryption bundled in, as one self-contained file, dist/form/page.js, that `coc form`
// inlines into the page.
import { build } from "esbuild";

await build({
  entryPoints: ["form/page.js"],
  outfile: "dist/form/page.js",
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["chrome110", "firefox115", "safari16"],
  minify: true,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
});
