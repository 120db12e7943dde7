/** Error classes of the package, re-exported for the entry point. */
export { ChatError, ValidationFailed, PermissionDenied, NotVisible, NotFound, IntegrityConflict } from './chat-error.js';
export type { FieldErrors } from './chat-error.js';
export { ChatConfigurationError } from './configuration-error.js';
export type { ConfigurationProblem } from './configuration-error.js';
