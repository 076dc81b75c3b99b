import { HttpException, HttpStatus } from '@nestjs/common';

// Every error of the API has one shape (docs/api.md, "Errors"): { statusCode, error, message, code, details }.

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  details: unknown[];
}

const SHORT_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorBody(statusCode: number, code: string, message: string, details: unknown[] = []): ErrorBody {
  return { statusCode, error: SHORT_NAMES[statusCode] ?? 'Error', message, code, details };
}

export class ApiError extends HttpException {
  constructor(statusCode: number, code: string, message: string, details: unknown[] = []) {
    super(errorBody(statusCode, code, message, details), statusCode);
  }

  static validation(details: { field: string; problem: string }[]): ApiError {
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      'VALIDATION_FAILED',
      // The message names the first few; `details` holds every one (an import may have thousands).
      [
        ...details.slice(0, 10).map((d) => `${d.field}: ${d.problem}`),
        ...(details.length > 10 ? [`and ${details.length - 10} more (see details)`] : []),
      ].join('; ') || 'the request is malformed',
      details,
    );
  }

  static notFound(what = 'the resource'): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} was not found`);
  }

  static forbidden(code: string, message: string): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, code, message);
  }

  static unavailable(message: string): ApiError {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'UNAVAILABLE', message);
  }
}
