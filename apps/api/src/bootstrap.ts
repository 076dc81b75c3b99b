import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { createOpenApiDocument } from './openapi';

/**
 * HTTPS straight from the API when TLS_CERT_FILE and TLS_KEY_FILE name a PEM certificate (chain) and key; else
 * plain HTTP for a TLS-terminating reverse proxy in front (README, "Production").
 */
function tlsOptions(): { httpsOptions?: { cert: Buffer; key: Buffer } } {
  const cert = process.env.TLS_CERT_FILE;
  const key = process.env.TLS_KEY_FILE;
  if (!cert && !key) return {};
  if (!cert || !key) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together');
  return { httpsOptions: { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } };
}

/** Builds the API application: used by main.ts and by the end-to-end tests alike. */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: (process.env.LOG_LEVELS ?? 'log,warn,error').split(',') as never,
    bodyParser: true,
    ...tlsOptions(),
  });
  app.use(helmet({ contentSecurityPolicy: { directives: consoleCsp() } }));
  const origins = process.env.CORS_ORIGINS;
  if (origins) app.enableCors({ origin: origins.split(',') }); // closed by default
  app.useBodyParser('json', { limit: '5mb' });
  // Registry and people imports (100,000 people is about 9 MB of CSV), rosters.
  app.useBodyParser('text', { type: 'text/csv', limit: '20mb' });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  serveConsole(app);
  return app;
}

/**
 * helmet's defaults, opened just enough for the console on an intranet host over plain HTTP: no
 * upgrade-insecure-requests (it would send the browser to an https:// that is not there) unless the operator
 * says the console is behind HTTPS, and inline styles for antd's CSS-in-JS. Scripts stay 'self' only.
 */
function consoleCsp(): Record<string, string[] | null> {
  return {
    'upgrade-insecure-requests': process.env.HTTPS === '1' ? [] : null,
    'style-src': ["'self'", "'unsafe-inline'"],
    'script-src': ["'self'"],
  };
}

/** Where the console's built files are (`vite build` into dist/web), from the source tree or from dist/. */
function consoleRoot(): string | null {
  const candidates = [
    process.env.WEB_ROOT,
    path.resolve(__dirname, '../../../web'), // dist/apps/api/src → dist/web
    path.resolve(__dirname, '../../../dist/web'), // apps/api/src (tests) → dist/web
  ];
  return candidates.find((p) => p && fs.existsSync(path.join(p, 'index.html'))) ?? null;
}

const API_PATHS = /^\/(v1|docs|health)(\/|-|$)/;

/** The console at `/` (docs/architecture.md): its files, and index.html for any other page path it routes itself. */
function serveConsole(app: NestExpressApplication): void {
  const root = consoleRoot();
  if (!root) return; // an API-only build: `GET /` stays 404
  const index = path.join(root, 'index.html');
  app.useStaticAssets(root, { index: false, maxAge: '1h', immutable: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || API_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
