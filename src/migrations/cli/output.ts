/** Where a command writes: its result to stdout, diagnostics to stderr. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}
