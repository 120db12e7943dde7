/** Quoting for the SQL the package writes into migrations and triggers. */

/** A PostgreSQL identifier, double-quoted. */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A PostgreSQL string literal, single-quoted. */
export const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;
