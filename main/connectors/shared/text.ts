/**
 * Whether a string is well-formed UTF-16: no lone surrogate. A lone surrogate cannot be percent-encoded (encodeURIComponent
 * throws URIError) nor sent as UTF-8, so text from an answer that holds one is refused as unreadable, by name.
 * (String.prototype.isWellFormed is ES2024; this project targets ES2023.)
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
