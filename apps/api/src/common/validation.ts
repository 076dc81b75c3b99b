import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiError } from './api-error';

/** Flattens class-validator's tree into `{ field: "payload.lines[0].count", problem }` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): { field: string; problem: string }[] {
  const out: { field: string; problem: string }[] = [];
  for (const e of errors) {
    const isIndex = /^\d+$/.test(e.property);
    const field = prefix ? (isIndex ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    for (const problem of Object.values(e.constraints ?? {})) out.push({ field, problem });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => ApiError.validation(flattenValidationErrors(errors)),
  });
}

/** Validates a nested value against a DTO class, naming fields under `prefix` (e.g. the typed payload). */
export async function validateAs<T extends object>(cls: new () => T, value: unknown, prefix: string): Promise<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ApiError.validation([{ field: prefix, problem: `${prefix} must be an object` }]);
  const instance = plainToInstance(cls, value);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length) throw ApiError.validation(flattenValidationErrors(errors, prefix));
  return instance;
}
