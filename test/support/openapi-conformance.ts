import type { OpenAPIObject } from '@nestjs/swagger';

// Checks answers against the OpenAPI document, the way a generated client reads them: OpenAPI 3.0's subset
// of JSON Schema as @nestjs/swagger writes it ($ref, nullable, allOf / oneOf, enum, type, format, properties,
// required, additionalProperties, items). A lenient reader would hide a wrong schema; this one names the path.

type Schema = Record<string, unknown>;

const FORMATS: Record<string, (v: string) => boolean> = {
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'date-time': (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d\d-\d\d$/.test(v),
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Where `value` breaks `schema` (empty when it conforms), each problem with its JSON path. */
export function schemaErrors(doc: OpenAPIObject, schema: Schema, value: unknown, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((n, part) => (n as Record<string, unknown> | undefined)?.[part], doc);
    if (!target) return [`${at}: unresolved ${schema.$ref}`];
    return schemaErrors(doc, target as Schema, value, at);
  }
  if (value === null) return schema.nullable ? [] : [`${at}: null where the schema is not nullable`];
  const errors: string[] = [];
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) errors.push(...schemaErrors(doc, sub, value, at));
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((s) => !schemaErrors(doc, s, value, at).length).length;
    if (matching !== 1) errors.push(`${at}: matches ${matching} of oneOf's schemas, not exactly one`);
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const actual = typeOf(value);
  const type = schema.type as string | undefined;
  if (type && !(type === actual || (type === 'number' && actual === 'integer')))
    return [...errors, `${at}: ${actual} where the schema says ${type}`];
  if (typeof value === 'string' && typeof schema.format === 'string' && FORMATS[schema.format]?.(value) === false)
    errors.push(`${at}: ${JSON.stringify(value)} is not a ${schema.format}`);
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => errors.push(...schemaErrors(doc, schema.items as Schema, v, `${at}[${i}]`)));
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const name of (schema.required as string[] | undefined) ?? [])
      if (!(name in obj)) errors.push(`${at}.${name}: required but absent`);
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) errors.push(...schemaErrors(doc, props[name], v, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${name}: not in the schema`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(doc, schema.additionalProperties as Schema, v, `${at}.${name}`));
    }
  }
  return errors;
}

/** The document's operation for a method and a concrete path, e.g. `POST /v1/change-requests/{id}/submit`. */
export function operationFor(doc: OpenAPIObject, method: string, path: string): string | undefined {
  const m = method.toLowerCase();
  return Object.keys(doc.paths).find(
    (template) =>
      new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path) &&
      (doc.paths[template] as Record<string, unknown>)[m] !== undefined,
  );
}

/** What is wrong with one answer: an undeclared status, or a body that breaks the declared schema. */
export function answerErrors(
  doc: OpenAPIObject,
  method: string,
  path: string,
  status: number,
  body: unknown,
  /** The answer's media type, when it is not JSON (a CSV the operation also offers). */
  mediaType?: string,
): string[] {
  const template = operationFor(doc, method, path);
  if (!template) return [`${method} ${path}: no such operation in the document`];
  const op = (doc.paths[template] as Record<string, { responses: Record<string, Schema> }>)[method.toLowerCase()];
  const name = `${method} ${template} ${status}`;
  const declared = op.responses[String(status)];
  if (!declared) return [`${name}: status not declared`];
  const content = (declared.content ?? {}) as Record<string, { schema?: Schema }>;
  // An operation answering JSON or, on request, another media type (a CSV) is checked against the one it sent.
  const sent = mediaType?.split(';')[0].trim();
  if (sent && sent !== 'application/json' && content[sent]) return [];
  const schema = content['application/json']?.schema;
  // A file (a declared binary media type) is checked for its status only: its bytes have no schema to break.
  const file = Object.entries(content).some(([media, m]) => media !== 'application/json' && !!m.schema);
  if (!schema) return status === 204 || body === null || file ? [] : [`${name}: a body where none is declared`];
  return schemaErrors(doc, schema, body).map((e) => `${name}: ${e}`);
}
