import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../apps/api/src/app.module';
import { createOpenApiDocument } from '../../apps/api/src/openapi';
import { answerErrors, schemaErrors } from '../support/openapi-conformance';

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
        // JSON answers, and files (a binary schema under their media type, e.g. an attachment's download).
        return Object.values(content ?? {}).some((media) => !!media?.schema);
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

  it('declares Idempotency-Key once and optional on every POST behind sign-in, and on nothing else', () => {
    const wrong = operations(doc)
      .map(({ name, method, op }) => {
        const keys = (op.parameters ?? []).filter(
          (p) => 'name' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
        );
        const expected = method === 'post' && op.security?.length ? 1 : 0;
        const optional = keys.every((p) => 'required' in p && p.required === false);
        return keys.length === expected && optional ? null : `${name}: ${keys.length} declared`;
      })
      .filter((w) => w !== null);
    expect(wrong).toEqual([]);
    const posts = operations(doc).filter(({ method }) => method === 'post');
    expect(posts.filter(({ op }) => !op.security?.length).map(({ name }) => name)).toEqual(['POST /v1/auth/login']);
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

  it("name where an answer breaks the document's schema (used by test/openapi.e2e-spec.ts)", async () => {
    const app = await NestFactory.create(AppModule, { preview: true, logger: false });
    const doc = createOpenApiDocument(app);
    await app.close();
    const unit: Record<string, unknown> = UNIT;
    const view = { $ref: '#/components/schemas/UnitView' };
    expect(schemaErrors(doc, view, unit)).toEqual([]);
    expect(schemaErrors(doc, view, { ...unit, parentId: 7, mergedInto: null })).toEqual([
      '$.parentId: integer where the schema says string',
    ]);
    expect(schemaErrors(doc, view, { ...unit, kind: 'CLUB' })).toEqual([
      expect.stringContaining('$.kind: "CLUB" is not one of'),
    ]);
    const { quotas: _q, ...noQuotas } = unit;
    expect(schemaErrors(doc, view, noQuotas)).toEqual(['$.quotas: required but absent']);
    expect(schemaErrors(doc, view, { ...unit, funding: null, creditCode: null })).toEqual([]);
    expect(schemaErrors(doc, view, { ...unit, name: null })).toEqual(['$.name: null where the schema is not nullable']);
    expect(answerErrors(doc, 'GET', '/v1/units/0e7c5c4e-2f7b-4a39-9d43-5b1d6f0c7a11', 200, unit)).toEqual([]);
    expect(answerErrors(doc, 'GET', '/v1/units/x', 418, {})).toEqual(['GET /v1/units/{id} 418: status not declared']);
    expect(
      answerErrors(doc, 'GET', '/v1/units/x', 404, {
        statusCode: 404,
        error: 'Not Found',
        message: 'm',
        code: 'NOT_FOUND',
        details: [],
      }),
    ).toEqual([]);
    expect(answerErrors(doc, 'GET', '/v1/units/x', 404, { statusCode: '404' })).toEqual([
      'GET /v1/units/{id} 404: $.error: required but absent',
      'GET /v1/units/{id} 404: $.message: required but absent',
      'GET /v1/units/{id} 404: $.code: required but absent',
      'GET /v1/units/{id} 404: $.statusCode: string where the schema says integer',
    ]);
  });
});

/** A unit as the API answers it (what registry.service's unitView returns). */
const COUNTS = { ADMIN: 1, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const UNIT = {
  id: '0e7c5c4e-2f7b-4a39-9d43-5b1d6f0c7a11',
  name: '县住房和城乡建设局',
  kind: 'GOVERNMENT',
  grade: 'SECTION',
  parentId: null,
  funding: 'FULL',
  creditCode: null,
  status: 'active',
  mergedInto: null,
  quotas: COUNTS,
  occupied: COUNTS,
  pending: COUNTS,
  loaned: COUNTS,
  leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
  sections: ['办公室'],
  namePlates: [],
  vacant: COUNTS,
  actualVacant: COUNTS,
  corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: null },
};
