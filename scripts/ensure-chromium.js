#!/usr/bin/env node
// The console's browser tests drive a system Chromium through playwright-core (never a browser download).
// `npm test` finds one (CHROMIUM_PATH, then the usual paths) and, as root on Debian, installs the distribution's
// `chromium` and `fonts-noto-cjk` (the console is in Chinese) with apt-get, as ensure-installed.js installs the
// npm packages. Elsewhere it says what to install and fails. Plain Node, no dependencies of its own.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function find() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

function main() {
  const found = find();
  if (found) return;
  const debian = fs.existsSync('/etc/debian_version');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!debian || !root || process.env.CHROMIUM_PATH) {
    console.error(
      'The browser tests need Chromium. Install it (Debian/Ubuntu: `sudo apt-get install chromium fonts-noto-cjk`) ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
    process.exit(1);
  }
  console.log('installing Chromium for the browser tests (apt-get install chromium fonts-noto-cjk)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (${r.status}); install chromium and fonts-noto-cjk by hand.`);
      process.exit(r.status ?? 1);
    }
  }
  if (!find()) {
    console.error('apt-get installed chromium but no executable was found; set CHROMIUM_PATH.');
    process.exit(1);
  }
}

main();
