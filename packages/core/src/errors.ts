import { type ZodError } from "zod";

// One error type for the whole domain. Codes are a closed set; each maps to one HTTP status and a
// public title. Messages are written for the caller; internal details never go into them.

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, title: "Bad request" },
  VALIDATION_FAILED: { status: 400, title: "Validation failed" },
  UNAUTHENTICATED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Forbidden" },
  NOT_FOUND: { status: 404, title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  CONFLICT: { status: 409, title: "Conflict" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  INTERNAL: { status: 500, title: "Internal error" },
  UNAVAILABLE: { status: 503, title: "Service unavailable" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path into the request body, e.g. "items.0.name". */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message?: string, opts: { fields?: FieldError[]; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message ?? ERROR_CODES[code].title, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = opts.fields;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  static notFound(what = "Resource"): AppError {
    return new AppError("NOT_FOUND", `${what} not found`);
  }

  static forbidden(message = "Your role does not allow this action"): AppError {
    return new AppError("FORBIDDEN", message);
  }

  static fromZod(err: ZodError, message = "The request is invalid"): AppError {
    return new AppError("VALIDATION_FAILED", message, {
      fields: err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
    });
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** RFC 9457 problem details; the body of every error answer from the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

export function toProblem(err: unknown, instance?: string): ProblemDetails {
  const e = isAppError(err) ? err : new AppError("INTERNAL", "An unexpected error occurred");
  const def = ERROR_CODES[e.code];
  return {
    type: `https://bulwark.dev/problems/${e.code.toLowerCase().replace(/_/g, "-")}`,
    title: def.title,
    status: def.status,
    code: e.code,
    detail: e.message,
    ...(instance ? { instance } : {}),
    ...(e.fields ? { errors: e.fields } : {}),
  };
}

/**
 * A unique-constraint violation, however it surfaced: Prisma's P2002 from model queries, or the driver's
 * SQLSTATE 23505 from raw queries (through the pg adapter or a plain pg connection).
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } };
  return (
    e.code === "P2002" ||
    e.code === "23505" ||
    e.meta?.code === "23505" ||
    e.meta?.driverAdapterError?.cause?.originalCode === "23505" ||
    e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation"
  );
}
