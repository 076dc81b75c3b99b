import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { createOpenApiDocument } from './openapi';

/** Builds the API application: used by main.ts and by the end-to-end tests alike. */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: (process.env.LOG_LEVELS ?? 'log,warn,error').split(',') as never,
    bodyParser: true,
  });
  app.use(helmet());
  const origins = process.env.CORS_ORIGINS;
  if (origins) app.enableCors({ origin: origins.split(',') }); // closed by default
  app.useBodyParser('json', { limit: '5mb' });
  app.useBodyParser('text', { type: 'text/csv', limit: '10mb' }); // registry import
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const doc = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  return app;
}
