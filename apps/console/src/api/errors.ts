/** A problem the api reported: status, its message, and per-field details ({ field, problem }) when it gave them. */
export interface ApiProblemDetail {
  field?: string;
  problem?: string;
  row?: number;
  column?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly details: ApiProblemDetail[],
    /** The body's machine-readable `code` when the api gives one (e.g. STALE_DRAFT), finer than the status. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(response: Response, body: unknown): ApiError {
    const b = (body && typeof body === 'object' ? body : {}) as {
      message?: unknown;
      error?: unknown;
      details?: unknown;
      code?: unknown;
    };
    const message = Array.isArray(b.message)
      ? b.message.join('; ')
      : typeof b.message === 'string'
        ? b.message
        : typeof body === 'string' && body
          ? body
          : `${response.status} ${response.statusText}`;
    const details = Array.isArray(b.details) ? (b.details as ApiProblemDetail[]) : [];
    return new ApiError(
      response.status,
      message,
      typeof b.error === 'string' ? b.error : undefined,
      details,
      typeof b.code === 'string' ? b.code : undefined,
    );
  }
}
