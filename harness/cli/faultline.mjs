#!/usr/bin/env node
// Plain JavaScript on purpose: it must run (and explain itself) on an old Node before any
// TypeScript is parsed. Faultline's sources are TypeScript run by Node 24's type stripping.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `[faultline] this is Node ${process.versions.node}; Faultline needs Node 24 or newer.\n` +
      '  hint: run `npm ci` in the Faultline folder (it installs Node 24 as a dev dependency), then use\n' +
      '        `npx faultline ...` or `npm run faultline -- ...`, which put that Node first on PATH.\n',
  );
  process.exit(2);
}
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
