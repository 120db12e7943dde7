/** The closed vocabularies of the data model: media types, MIME types, notification types. */

/** What kind of media an attachment is. */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'file'] as const;
/** A media type. */
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The 27 MIME types an attachment may declare (enforced by a check constraint). */
export const ALLOWED_MIME_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/heic',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/opus',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/ogg',
  'video/x-msvideo',
  'video/x-matroska',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
] as const;
/** An allowed MIME type. */
export type AllowedMimeType = (typeof ALLOWED_MIME_TYPES)[number];

/** Why a notification exists. */
export const NOTIFICATION_TYPES = ['REACTION', 'NEW_MESSAGE', 'REPLY'] as const;
/** A notification type. */
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
