import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '../../../../libs/domain/src';

const PROBLEM = 'header is required: 1–200 printable ASCII characters, unique per intended write (e.g. a UUID)';

/** The request's Idempotency-Key header; missing or malformed → 400 naming the header. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().header('idempotency-key');
  if (!value || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw DomainError.validation(`Idempotency-Key: ${PROBLEM}`, [{ field: 'Idempotency-Key', problem: PROBLEM }]);
  }
  return value;
});

/** OpenAPI: documents the header on a POST. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per intended write; a retry with the same key returns the first response and writes nothing more.',
    }),
  );
