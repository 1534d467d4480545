import { ArgumentsHost, Catch, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError, ErrorCode, ErrorReason } from '../../../../libs/domain/src';
import { isDatabaseBusy } from '../../../../libs/persistence/src/db';

/** Seconds a client waits before retrying a 503 (pool busy, Temporal unreachable or slow). */
export const RETRY_AFTER_SECONDS = 2;

/** The HTTP status of each error class; a Record, so a new ErrorCode does not compile until it is mapped here. */
const STATUS_OF: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.InvalidState]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

export function statusOf(code: ErrorCode): HttpStatus {
  const status = STATUS_OF[code];
  if (status === undefined) throw new Error(`unmapped error code ${String(code)}`);
  return status;
}

/**
 * Renders every DomainError as `{ statusCode, error, code, message, details: [{ field, problem }] }`: `error` is the
 * HTTP class (ErrorCode), `code` the precise machine-readable reason (ErrorReason, else the ErrorCode). A busy
 * database (no pool connection in time, statement or lock timeout) is a 503 DATABASE_BUSY; every 503 carries
 * Retry-After. Anything else goes to Nest's own handling.
 */
@Catch()
export class DomainErrorFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost) {
    const domain = error instanceof DomainError ? error : isDatabaseBusy(error) ? busy(error as Error) : undefined;
    if (!domain) return super.catch(error, host);
    const status = statusOf(domain.code);
    const response = host.switchToHttp().getResponse<Response>();
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json({
      statusCode: status,
      error: domain.code,
      code: domain.reason ?? domain.code,
      message: domain.message,
      details: domain.details,
    });
  }
}

const busy = (error: Error) =>
  DomainError.unavailable(
    `the database is busy (${error.message}); retry in ${RETRY_AFTER_SECONDS} s`,
    ErrorReason.DatabaseBusy,
  );
