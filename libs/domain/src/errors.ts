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

/**
 * Why the unit workflow refused an Update. Its validators throw ApplicationFailure of type STEP_REQUEST_REJECTED
 * with the reason as the first detail, so callers read a machine-readable reason instead of parsing the message.
 * Pure constants: the workflow bundle imports this file.
 */
export const StepRejection = {
  UnknownStep: 'UNKNOWN_STEP',
  StepNotOpen: 'STEP_NOT_OPEN',
  AlreadySubmitted: 'ALREADY_SUBMITTED',
  AlreadyDecided: 'ALREADY_DECIDED',
  NotAwaitingReview: 'NOT_AWAITING_REVIEW',
  SubmissionMismatch: 'SUBMISSION_MISMATCH',
  UnitNotLive: 'UNIT_NOT_LIVE',
  InvalidRequest: 'INVALID_REQUEST',
} as const;
export type StepRejection = (typeof StepRejection)[keyof typeof StepRejection];
export const STEP_REQUEST_REJECTED = 'StepRequestRejected';

/**
 * The precise, machine-readable reason of an error (the body's `code`), finer than the HTTP class of ErrorCode:
 * every workflow refusal reason, plus the api's own.
 */
export const ErrorReason = {
  ...StepRejection,
  /** The unit's workflow refused for a reason this api version does not know (an older worker): see the message. */
  WorkflowRefused: 'WORKFLOW_REFUSED',
  WorkflowNotRunning: 'WORKFLOW_NOT_RUNNING',
  WorkflowUnavailable: 'WORKFLOW_UNAVAILABLE',
  /** The pool had no free connection in time, or a statement hit statement_timeout: retry after Retry-After. */
  DatabaseBusy: 'DATABASE_BUSY',
  /** The draft was saved by someone else since the If-Match revision was read. */
  StaleDraft: 'STALE_DRAFT',
  /** The Idempotency-Key was used before for another request (route or canonical body). */
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  /** An earlier request with this Idempotency-Key is still being completed (its workflow call): retry shortly. */
  RequestInProgress: 'REQUEST_IN_PROGRESS',
  /** The submission's step was decided on the office's road (waived, cancelled, accepted by a drive tool). */
  StepClosed: 'STEP_CLOSED',
} as const;
export type ErrorReason = (typeof ErrorReason)[keyof typeof ErrorReason];

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
    /** The precise reason (the body's `code`); absent: the body's `code` is `code`. */
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** 503: try again after a moment (the answer carries Retry-After). */
  static unavailable(message: string, reason: ErrorReason) {
    return new DomainError(ErrorCode.Unavailable, message, [], reason);
  }

  static validation(message: string, details: FieldProblem[]) {
    return new DomainError(ErrorCode.ValidationFailed, message, details);
  }

  static notFound(what: string) {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }
}
