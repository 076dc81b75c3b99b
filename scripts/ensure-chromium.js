#!/usr/bin/env node
// The console's browser tests drive a system Chromium through playwright-core (never a browser download), and the
// official documents (公文) are set in Noto CJK. `npm test` finds both (CHROMIUM_PATH, then the usual paths) and,
// as root on Debian, installs the distribution's `chromium` and `fonts-noto-cjk` with apt-get, as
// ensure-installed.js installs the npm packages; `npm start` (`--fonts-only`) does the same for the fonts alone.
// Elsewhere it says what to install and fails (the tests) or warns (the start). Plain Node, no dependencies.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
// The faces libs/documents/src/render.ts looks for first (Debian's fonts-noto-cjk).
const NOTO = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';
const fontsOnly = process.argv.includes('--fonts-only');

function findChromium() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** Fonts are there when Debian's Noto CJK is, or the office named its own folders. */
const hasFonts = () => fs.existsSync(NOTO) || !!process.env.DOCUMENT_FONT_DIRS;

function main() {
  const packages = [...(fontsOnly || findChromium() ? [] : ['chromium']), ...(hasFonts() ? [] : ['fonts-noto-cjk'])];
  if (!packages.length) return;
  const debian = fs.existsSync('/etc/debian_version');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!debian || !root || process.env.CHROMIUM_PATH) {
    const what = `Install ${packages.join(' and ')} (Debian/Ubuntu: \`sudo apt-get install ${packages.join(' ')}\`)`;
    if (fontsOnly) {
      console.warn(`${what}: official documents need a CJK font (or set DOCUMENT_FONT_DIRS); they wait until then.`);
      return;
    }
    console.error(`${what}, or set CHROMIUM_PATH to a Chromium or Chrome executable.`);
    process.exit(1);
  }
  console.log(`installing ${packages.join(' and ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (${r.status}); install ${packages.join(' ')} by hand.`);
      // The start goes on without the fonts: documents wait (stalled, for the office to retry) until they are there.
      if (fontsOnly) return;
      process.exit(r.status ?? 1);
    }
  }
  if (!fontsOnly && !findChromium()) {
    console.error('apt-get installed chromium but no executable was found; set CHROMIUM_PATH.');
    process.exit(1);
  }
}

main();
