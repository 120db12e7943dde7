/** Server-side sanitising of message content with an allow-list (the role bleach plays in the original). */
import type sanitizeHtml from 'sanitize-html';
import { lazyRequire } from '../orm/lazy-require.js';

const sanitizer = lazyRequire<typeof sanitizeHtml>('sanitize-html');

/** Tags a message may keep. */
export const ALLOWED_TAGS = ['b', 'i', 'strong', 'em', 'a', 'span', 'p', 'ul', 'ol', 'li', 'br'] as const;

/**
 * What every `id` kept in content starts with, so a message can never take the id of an element
 * of the page that shows it (DOM clobbering: `<a id="config">` shadowing `window.config`).
 */
export const CONTENT_ID_PREFIX = 'user-content-';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'title', 'target', 'rel'], '*': ['class', 'id'] },
  transformTags: {
    // A link that opens elsewhere gets no handle on the page that opened it; a rel of the sender's own is dropped.
    a: (tagName, attribs) => {
      const { rel: _rel, ...kept } = attribs;
      return { tagName, attribs: kept.target ? { ...kept, rel: 'noopener noreferrer' } : kept };
    },
    '*': (tagName, attribs) =>
      attribs.id === undefined || attribs.id.startsWith(CONTENT_ID_PREFIX) ? { tagName, attribs } : { tagName, attribs: { ...attribs, id: `${CONTENT_ID_PREFIX}${attribs.id}` } },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Disallowed tags are stripped but their text is kept, except where the text is code or markup.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'svg', 'math', 'template', 'iframe', 'object'],
};

/** Content with every tag, attribute and URL scheme outside the allow-list removed. */
export function sanitizeContent(content: string): string {
  return sanitizer()(content, OPTIONS);
}
