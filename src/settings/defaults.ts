/** Default values of the scalar settings. */

/** Defaults of every setting but `models` and `serializers` (those default to the package's classes). */
export const DEFAULT_SCALAR_SETTINGS = {
  permissionHandlerClass: null,
  eventMapper: {},
  eventHandlerClass: null,
  exceptionHandlerClass: null,
  chatConsumerClass: null,
  websocketPath: 'messaging/',
  messageSoftDelete: false,
  enableNotification: true,
  inactivityThreshold: 60,
  maxMessageLength: 10_000,
  eventRetention: 1000,
  maxMediaPerMessage: 10,
} as const;

/** Every key the settings accept. */
export const SETTING_KEYS = ['models', 'serializers', ...Object.keys(DEFAULT_SCALAR_SETTINGS)].sort();
