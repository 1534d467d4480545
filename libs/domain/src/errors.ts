/** Problems the domain reports; the api maps each code to one HTTP status (apps/api/src/common/domain-error.filter.ts). */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  InvalidState = 'INVALID_STATE',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  Unavailable = 'UNAVAILABLE',
}

/** One problem with one field: `field` is a path such as `stages[1].steps[0].due` or `rows[3].email`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(message: string, details: FieldProblem[]) {
    return new DomainError(ErrorCode.ValidationFailed, message, details);
  }

  static notFound(what: string) {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }
}
