// Bundles src/cli.ts into dist/ with esbuild: one file for the commands that
// show no UI, and a separate chunk (loaded on demand) for Ink and React.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

// commander loads node:child_process when it loads, for subcommands that are
// separate executables, which this app does not have. Loading it costs about
// 5 ms of every start (`list`, `--version`), so commander gets an empty stand-in.
const commanderWithoutChildProcess = {
  name: "commander-without-child-process",
  setup(build) {
    build.onResolve(
      { filter: /^node:child_process$/ },
      (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
          ? { path: "child_process", namespace: "commander-stub" }
          : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "commander-stub" }, () => ({ contents: "module.exports = {};" }));
  },
};
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist/tracer", { recursive: true });
copyFileSync("src/runner/tracer/tracer.py", "dist/tracer/tracer.py");
copyFileSync("src/trace/calls.json", "dist/tracer/calls.json"); // the tracer reads the registry beside it

await build({
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: false,
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  define: { __VERSION__: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' },
  // Ink loads react-devtools-core only when DEV=true; it is not shipped.
  external: ["react-devtools-core"],
  // The shebang's heap limits keep the TUI's memory flat (about 95 MB with 1 x
  // or 10 x the data, against 130-180 MB with V8's defaults, which let the
  // heap grow on the garbage of 20 frames a second; the live heap is 12-46 MB).
  // env -S splits the line (coreutils 8.30+, macOS, the BSDs; npm's Windows
  // shims read it too). Deno ignores the shebang.
  banner: {
    // Some bundled dependencies are CommonJS and call require() for Node builtins.
    js:
      "#!/usr/bin/env -S node --max-old-space-size=128 --max-semi-space-size=2\nimport { createRequire as __socketLessonsRequire } from 'node:module';\nconst require = __socketLessonsRequire(import.meta.url);",
  },
  jsx: "automatic",
  logLevel: "warning",
  plugins: [commanderWithoutChildProcess],
});
// The bin runs directly too (npx in this folder, ./dist/cli.js).
chmodSync("dist/cli.js", 0o755);
// The shipped lessons, validated once here instead of at every start.
execFileSync(process.execPath, ["--import", "tsx", "scripts/index-lessons.ts"], { stdio: "inherit" });
