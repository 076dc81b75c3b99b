#!/usr/bin/env node
// Finds or builds the Temporal server itself (not the CLI's dev server) and its schema tool, for
// `npm run start:cluster`, the cluster test and the benchmark's second topology (docs/architecture.md,
// "Topologies"). Built from the Go module proxy with `go install` (≈ 7 minutes on 2 cores the first time, seconds
// with Go's build cache) into the git-ignored .tools/temporal-server/, beside the module's own files the server
// needs at run time: the configuration template the official `temporalio/server` image uses (config/docker.yaml)
// and the PostgreSQL schema (schema/postgresql/v12). TEMPORAL_SERVER_HOME points at a directory of the same layout
// instead. Reused when present.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { has, isExecutable } = require('./temporal-cli.js');

const ROOT = path.resolve(__dirname, '..');
const VERSION = 'v1.29.1'; // the same as docker/compose.yaml's temporalio/server image
const MODULE = 'go.temporal.io/server';
const HOME = path.join(ROOT, '.tools', 'temporal-server');

function log(msg) {
  process.stderr.write(`[temporal-server] ${msg}\n`);
}

/** The layout start:cluster reads: binaries, the configuration template, the schema. */
function layout(home) {
  return {
    home,
    version: VERSION,
    server: path.join(home, 'temporal-server'),
    sqlTool: path.join(home, 'temporal-sql-tool'),
    configDir: path.join(home, 'config'),
    schemaDir: path.join(home, 'schema', 'postgresql', 'v12'),
  };
}

function complete(l) {
  return (
    isExecutable(l.server) &&
    isExecutable(l.sqlTool) &&
    fs.existsSync(path.join(l.configDir, 'docker.yaml')) &&
    fs.existsSync(path.join(l.schemaDir, 'temporal', 'versioned')) &&
    fs.existsSync(path.join(l.schemaDir, 'visibility', 'versioned'))
  );
}

function build(l) {
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-server-'));
  const env = { ...process.env, GOBIN: gobin, GOFLAGS: process.env.GOFLAGS ?? '-trimpath' };
  for (const [pkg, name] of [
    ['cmd/server', 'temporal-server'],
    ['cmd/tools/sql', 'temporal-sql-tool'],
  ]) {
    log(`go install ${MODULE}/${pkg}@${VERSION} (a few minutes the first time)`);
    execFileSync('go', ['install', `${MODULE}/${pkg}@${VERSION}`], { stdio: ['ignore', 'inherit', 'inherit'], env });
    fs.mkdirSync(l.home, { recursive: true });
    fs.copyFileSync(path.join(gobin, path.basename(pkg)), l[name === 'temporal-server' ? 'server' : 'sqlTool']);
    fs.chmodSync(l[name === 'temporal-server' ? 'server' : 'sqlTool'], 0o755);
  }
  fs.rmSync(gobin, { recursive: true, force: true });
  const modDir = path.join(
    execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(),
    `${MODULE}@${VERSION}`,
  );
  fs.mkdirSync(l.configDir, { recursive: true });
  fs.copyFileSync(path.join(modDir, 'config', 'docker.yaml'), path.join(l.configDir, 'docker.yaml'));
  fs.cpSync(path.join(modDir, 'schema', 'postgresql', 'v12'), l.schemaDir, { recursive: true });
  // The module cache is read-only; the copies need not be.
  for (const f of fs.readdirSync(l.home, { recursive: true })) fs.chmodSync(path.join(l.home, String(f)), 0o755);
  fs.writeFileSync(path.join(l.home, 'VERSION'), `${VERSION}\n`);
}

/**
 * The server's layout, building it when `build` and Go is here; null (with the reason in `why`) when it cannot be
 * had. Never downloads anything but Go modules.
 */
function ensureTemporalServer({ build: mayBuild = true } = {}) {
  if (process.env.TEMPORAL_SERVER_HOME) {
    const l = layout(path.resolve(process.env.TEMPORAL_SERVER_HOME));
    if (!complete(l)) throw new Error(`TEMPORAL_SERVER_HOME=${l.home} lacks the server, the schema tool or its files`);
    return l;
  }
  const l = layout(HOME);
  const built = fs.existsSync(path.join(HOME, 'VERSION')) && fs.readFileSync(path.join(HOME, 'VERSION'), 'utf8').trim();
  if (complete(l) && built === VERSION) return l;
  if (!mayBuild) return null;
  if (!has('go', ['version'])) {
    ensureTemporalServer.why = 'no Go toolchain to build the Temporal server (and TEMPORAL_SERVER_HOME is not set)';
    return null;
  }
  // Built aside and moved into place whole, so that two builds at once (two test files on a fresh clone) or one cut
  // short never leave a half-made layout where a server is looked for.
  const aside = layout(`${HOME}.building-${process.pid}`);
  try {
    fs.rmSync(aside.home, { recursive: true, force: true });
    build(aside);
    try {
      fs.renameSync(aside.home, HOME);
    } catch {
      // Another build finished first, or an older layout is in the way.
      const there = fs.existsSync(path.join(HOME, 'VERSION')) && fs.readFileSync(path.join(HOME, 'VERSION'), 'utf8');
      if (!(complete(l) && there.trim() === VERSION)) {
        fs.rmSync(HOME, { recursive: true, force: true });
        fs.renameSync(aside.home, HOME);
      }
    }
  } catch (err) {
    ensureTemporalServer.why = `building the Temporal server failed: ${err.message}`;
    log(ensureTemporalServer.why);
    return null;
  } finally {
    fs.rmSync(aside.home, { recursive: true, force: true });
  }
  return complete(l) ? l : null;
}

module.exports = { ensureTemporalServer, TEMPORAL_SERVER_VERSION: VERSION };

if (require.main === module) {
  const l = ensureTemporalServer();
  if (!l) {
    log(ensureTemporalServer.why ?? 'the Temporal server could not be had');
    process.exit(1);
  }
  process.stdout.write(`${l.server}\n`);
}
