import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../apps/api/src/app.module';
import { createOpenApiDocument } from '../../apps/api/src/openapi';

// The OpenAPI document is what typed clients are generated from (the web console's among them): every
// operation must say what it answers. Built from the real AppModule in preview mode, which wires the
// module graph without instantiating anything, so no database or Temporal is needed.

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

function operations(doc: OpenAPIObject): { name: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, method: m, op: item[m]! })),
  );
}

/** Operations with no 2xx answer that has a JSON schema (a 204 must have no content instead). */
export function operationsWithoutSuccessSchema(doc: OpenAPIObject): string[] {
  return operations(doc)
    .filter(({ op }) => {
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (!ok.length) return true;
      return !ok.every(([status, r]) => {
        const content = r && 'content' in r ? r.content : undefined;
        if (status === '204') return !content;
        return !!content?.['application/json']?.schema;
      });
    })
    .map(({ name }) => name);
}

/** Every `$ref` in the document with the place it occurs, that names no schema the document defines. */
export function unresolvedRefs(doc: OpenAPIObject): string[] {
  const broken: string[] = [];
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}[${i}]`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const target = v
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((n, part) => (n as Record<string, unknown> | undefined)?.[part], doc);
        if (target === undefined) broken.push(`${at}: ${v}`);
      } else visit(v, `${at}.${k}`);
    }
  };
  visit(doc, '#');
  return broken;
}

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    app = await NestFactory.create(AppModule, { preview: true, logger: false });
    doc = createOpenApiDocument(app);
  });
  afterAll(() => app.close());

  it('declares a 2xx answer with a schema for every operation', () => {
    expect(operations(doc).length).toBeGreaterThan(30);
    expect(operationsWithoutSuccessSchema(doc)).toEqual([]);
  });

  it('resolves every $ref', () => {
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it('declares Idempotency-Key once and optional on every POST, and on nothing else', () => {
    const wrong = operations(doc)
      .map(({ name, method, op }) => {
        const keys = (op.parameters ?? []).filter(
          (p) => 'name' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
        );
        const expected = method === 'post' ? 1 : 0;
        const optional = keys.every((p) => 'required' in p && p.required === false);
        return keys.length === expected && optional ? null : `${name}: ${keys.length} declared`;
      })
      .filter((w) => w !== null);
    expect(wrong).toEqual([]);
  });

  it('describes errors with the one shared error shape', () => {
    const errorRef = '#/components/schemas/ApiErrorResponse';
    const other = operations(doc).flatMap(({ name, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status]) => /^[45]\d\d$/.test(status) && !(name === 'GET /health/ready' && status === '503'))
        .filter(([, r]) => {
          const schema = r && 'content' in r ? r.content?.['application/json']?.schema : undefined;
          return !schema || !('$ref' in schema) || schema.$ref !== errorRef;
        })
        .map(([status]) => `${name} ${status}`),
    );
    expect(other).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const base = { openapi: '3.0.0', info: { title: 't', version: '1' } };

  it('name an operation without a 2xx schema, and accept a 204 without content', () => {
    const doc = {
      ...base,
      paths: {
        '/a': { get: { responses: { '200': { description: 'no schema' } } } },
        '/b': { post: { responses: { '400': { description: 'only an error' } } } },
        '/c': { delete: { responses: { '204': { description: 'nothing' } } } },
        '/d': {
          get: {
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: { type: 'string' } } } },
            },
          },
        },
      },
    } as OpenAPIObject;
    expect(operationsWithoutSuccessSchema(doc)).toEqual(['GET /a', 'POST /b']);
  });

  it('name a $ref that resolves to nothing', () => {
    const doc = {
      ...base,
      paths: {},
      components: {
        schemas: {
          A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
          C: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
        },
      },
    } as OpenAPIObject;
    expect(unresolvedRefs(doc)).toEqual(['#.components.schemas.A.properties.b: #/components/schemas/B']);
  });
});
