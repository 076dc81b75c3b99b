import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorResponse } from './common/api.responses';
import { REGISTRY_EXTRA_MODELS } from './registry/registry.responses';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Parameter = NonNullable<Operation['parameters']>[number];

/**
 * `Idempotency-Key` as docs/api.md has it: optional on every POST behind sign-in (the key is scoped to the user,
 * so sign-in itself has none), once, and on nothing else. Handlers read it with `@Headers('idempotency-key')`,
 * which @nestjs/swagger would declare as a required lower-case header.
 */
const IDEMPOTENCY_KEY: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'scoped to the signed-in user: the same key with the same body returns the first answer and does nothing ' +
    'twice; another body is 409 IDEMPOTENCY_MISMATCH',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
};

function withIdempotencyKey(doc: OpenAPIObject): OpenAPIObject {
  const isKey = (p: Parameter) => 'name' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key';
  for (const item of Object.values(doc.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const) {
      const op = item[method];
      if (!op) continue;
      const rest = (op.parameters ?? []).filter((p) => !isKey(p));
      op.parameters = method === 'post' && op.security?.length ? [...rest, IDEMPOTENCY_KEY] : rest;
    }
  return doc;
}

/** The OpenAPI document served at /docs-json (and checked by test/architecture/openapi.spec.ts). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bianzhi Flow')
      .setDescription('Establishment-change requests (机构编制事项): the public HTTP API')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ApiErrorResponse, ...REGISTRY_EXTRA_MODELS] },
  );
  return withIdempotencyKey(doc);
}
