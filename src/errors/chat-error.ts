/** The base error of the package: every failure has a stable `code` that HTTP, WebSocket and CLI map in one place each. */

/** Field-level problems, keyed by the wire name of the field. */
export type FieldErrors = Record<string, string[]>;

/** Base class of every error the package throws on purpose. */
export class ChatError extends Error {
  /** Stable machine-readable code, e.g. `validation_failed`. */
  readonly code: string;
  /** Structured details a client can act on (field errors, the offending id...). */
  readonly details?: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input that breaks a rule of the data model: bad fields, a violated signal rule, a limit. */
export class ValidationFailed extends ChatError {
  declare readonly details: FieldErrors | undefined;

  constructor(message: string, fieldErrors?: FieldErrors) {
    super('validation_failed', message, fieldErrors);
  }

  /** Errors on individual fields, as a serializer reports them. */
  static fromFields(fieldErrors: FieldErrors): ValidationFailed {
    const fields = Object.keys(fieldErrors).sort();
    return new ValidationFailed(`Invalid input: ${fields.map(f => `${f} (${fieldErrors[f]!.join('; ')})`).join(', ')}`, fieldErrors);
  }

  /** A rule that concerns the object as a whole, with the original package's message. */
  static rule(message: string): ValidationFailed {
    return new ValidationFailed(message, { non_field_errors: [message] });
  }
}

/** The acting user may not do this to this object. */
export class PermissionDenied extends ChatError {
  constructor(message = 'You do not have permission to perform this action') {
    super('permission_denied', message);
  }
}

/**
 * The acting user is not a member of the room the object belongs to, so may not even learn that
 * it exists: REST answers 404 `not_found`, exactly as for an object that does not exist; the
 * WebSocket protocol keeps the original package's 4002 with `message`.
 */
export class NotVisible extends PermissionDenied {
  constructor(
    /** What was asked for: `Room`, `Message`. */
    readonly what: string,
    /** Its id (or ids). */
    readonly id: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** The object does not exist, or the acting user may not know it exists. */
export class NotFound extends ChatError {
  /** The id that was not found, when one was named. */
  declare readonly details: { readonly id: unknown } | undefined;

  constructor(what: string, id?: unknown) {
    super('not_found', id === undefined ? `${what} not found` : `${what} ${String(id)} not found`, id === undefined ? undefined : { id });
  }
}

/** The write conflicts with data already stored (a unique pair, an existing chat). */
export class IntegrityConflict extends ChatError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}
