/** Server-side sanitising of message content with an allow-list (the role bleach plays in the original). */
import sanitizeHtml from 'sanitize-html';

/** Tags a message may keep. */
export const ALLOWED_TAGS = ['b', 'i', 'strong', 'em', 'a', 'span', 'p', 'ul', 'ol', 'li', 'br'] as const;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'title', 'target'], '*': ['class', 'id'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Disallowed tags are stripped but their text is kept, except where the text is code or markup.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'svg', 'math', 'template', 'iframe', 'object'],
};

/** Content with every tag, attribute and URL scheme outside the allow-list removed. */
export function sanitizeContent(content: string): string {
  return sanitizeHtml(content, OPTIONS);
}
