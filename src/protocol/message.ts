/** What a request body carries, whatever the serializer. */
export interface RequestMessage {
  /** Interface (wire) name, e.g. 'com.acme.UserService'. */
  service: string;
  group: string;
  version: string;
  method: string;
  args: unknown[];
  /** One type tag per argument: 'number', 'string', 'Date', 'com.acme.User', ... (see serialization/type-tag). */
  parameterTypes: string[];
  /** String context that travels with the call (trace ids, the call id used for de-duplication). */
  attachments: Record<string, string>;
}

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
