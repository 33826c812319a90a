#!/usr/bin/env -S node --max-old-space-size=192 --max-semi-space-size=4
// Dossier's command line. The core is TypeScript run through Node's built-in type stripping,
// which needs the Node major the app ships with (24); `npx dossier` and npm scripts provide it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `dossier needs Node 24 or newer (this is ${process.version}). Run it as "npx dossier …" from the checkout, which uses the project's Node 24.\n`,
  );
  process.exit(1);
}
// Node keeps the type-stripped and compiled modules between runs (in the OS temp folder, or
// $NODE_COMPILE_CACHE): it halves the start-up of every command after the first.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
