/** Wire names are snake_case (what the original package's clients send); entity properties are camelCase. */

/** `readReceipts` → `read_receipts`. */
export function toWireName(property: string): string {
  return property.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
}

/** `read_receipts` → `readReceipts`. */
export function toPropertyName(wireName: string): string {
  return wireName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `read_receipts` → `ReadReceipts`, for the `get…` / `validate…` method conventions. */
export function toMethodSuffix(wireName: string): string {
  const property = toPropertyName(wireName);
  return property.charAt(0).toUpperCase() + property.slice(1);
}
