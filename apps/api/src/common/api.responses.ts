import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiPropertyOptions,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ErrorBody } from './api-error';

/**
 * Any JSON value, null included: audit records' `before` / `after`, a diff entry's values. (@nestjs/swagger
 * cannot emit the empty schema for a property; a oneOf of every JSON type says the same, and generated clients
 * read it as any JSON value.)
 */
export const ANY_JSON: ApiPropertyOptions = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
  nullable: true,
};

/** Every error of the API has this one shape (docs/api.md). */
export class ApiErrorResponse implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode: number;
  @ApiProperty({ example: 'Conflict' }) error: string;
  @ApiProperty({ example: 'submit is not possible while the request is committee' }) message: string;
  @ApiProperty({
    description: 'machine-readable: VALIDATION_FAILED, WRONG_STAGE, RULE_VIOLATION…',
    example: 'WRONG_STAGE',
  })
  code: string;
  @ApiPropertyOptional({
    description: 'what is wrong: `{ field, problem }` per field for 400, the rules broken for 422',
    type: 'array',
    items: {},
  })
  details: unknown[];
}

const ERROR_DESCRIPTIONS = {
  400: 'the request is malformed (VALIDATION_FAILED, naming the field)',
  401: 'not signed in, or the token expired (UNAUTHORIZED)',
  403: 'the role or the unit may not do this',
  404: 'no such resource, or not visible to the caller (NOT_FOUND)',
  409: 'conflicts with the current state (WRONG_STAGE, ALREADY_VOTED, IDEMPOTENCY_MISMATCH…)',
  413: 'the body is too large',
  423: 'the account is locked after too many failed sign-ins (ACCOUNT_LOCKED)',
  422: 'the change would break registry rules (RULE_VIOLATION, each rule in details)',
  429: 'too many sign-in attempts from this address (TOO_MANY_REQUESTS)',
  503: 'a backing service is unavailable or did not answer in time; retry with the same Idempotency-Key',
} as const;
export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The error answers a route can give, each with the shared error shape. */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  // JSON named explicitly: a route that answers a file (a PDF) still answers its errors in JSON.
  const content = { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorResponse) } } };
  return applyDecorators(
    ApiExtraModels(ApiErrorResponse),
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], content })),
  );
}
