/**
 * HTML-escape text for the report (element content and double-quoted attributes).
 *
 * @example
 * escapeHtml("a < b"); // "a &lt; b"
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
