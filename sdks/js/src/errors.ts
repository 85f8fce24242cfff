/** An RFC 9457 problem document as the CloudNexus API returns it (`application/problem+json`). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: Array<{ field?: string; message?: string; valid_values?: unknown[]; [k: string]: unknown }>;
  [k: string]: unknown;
}

/** Base class of every error the SDK throws. */
export class CloudNexusError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The API answered with a non-2xx status. Carries the problem details, the status and the request id. */
export class APIError extends CloudNexusError {
  readonly status: number;
  readonly problem: Problem;
  readonly requestId: string | undefined;
  readonly headers: Headers;

  constructor(status: number, problem: Problem, headers: Headers, message?: string) {
    const requestId = headers.get('x-request-id') ?? (typeof problem.request_id === 'string' ? problem.request_id : undefined);
    super(
      message ??
        `${status} ${problem.title ?? 'error'}${problem.detail ? `: ${problem.detail}` : ''}${requestId ? ` (request ${requestId})` : ''}`,
    );
    this.status = status;
    this.problem = problem;
    this.requestId = requestId;
    this.headers = headers;
  }

  get type(): string | undefined { return this.problem.type; }
  get title(): string | undefined { return this.problem.title; }
  get detail(): string | undefined { return this.problem.detail; }
  get errors(): Problem['errors'] { return this.problem.errors; }

  static from(status: number, problem: Problem, headers: Headers): APIError {
    const Cls =
      status === 400 ? BadRequestError
      : status === 401 ? AuthenticationError
      : status === 403 ? PermissionDeniedError
      : status === 404 ? NotFoundError
      : status === 409 ? ConflictError
      : status === 422 ? UnprocessableEntityError
      : status === 429 ? RateLimitError
      : status >= 500 ? InternalServerError
      : APIError;
    return new Cls(status, problem, headers);
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {
  /** Seconds the API asked to wait (`Retry-After`), if it said. */
  get retryAfter(): number | undefined {
    const v = this.headers.get('retry-after');
    return v == null || isNaN(Number(v)) ? undefined : Number(v);
  }
}
export class InternalServerError extends APIError {}

/** The API could not be reached (connection refused, reset, DNS...). */
export class APIConnectionError extends CloudNexusError {}
/** No answer within the client's `timeout`. */
export class APITimeoutError extends APIConnectionError {}
/** A webhook's signature did not verify, was missing, or is older than the tolerance. */
export class WebhookVerificationError extends CloudNexusError {}
