/** The body of a response whose status is ERROR. */
export interface ErrorPayload {
  /** An ErrorCode. */
  code: string;
  message: string;
  /** The remote error's class name, for APPLICATION_ERROR. */
  name?: string;
  stack?: string;
  /** The thrown error itself, when it is a registered (serializable) class; revived as itself. */
  error?: unknown;
}
