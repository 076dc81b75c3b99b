import 'reflect-metadata';
import * as fs from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { createOpenApiDocument } from './openapi';

// Writes the OpenAPI document without a database or Temporal: Nest's preview mode builds the module graph
// without instantiating providers, which is all the Swagger scanner needs. `npm run gen:api` turns it into the
// console's typed client (apps/web/src/api/schema.d.ts).

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'dist/openapi.json';
  const app = await NestFactory.create(AppModule, { preview: true, logger: ['error'] });
  fs.writeFileSync(out, JSON.stringify(createOpenApiDocument(app), null, 2) + '\n');
  await app.close();
  console.log(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
