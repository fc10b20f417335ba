// A command line or config file the program cannot take: exit code 2 and the hint to --help
// (runMain). Its message quotes what the user typed.
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the user typed, for an error message: text in quotes, a repeated flag's values one by one. */
export function typed(raw: unknown): string {
  return Array.isArray(raw) ? raw.map(typed).join(' ') : typeof raw === 'string' ? `'${raw}'` : String(raw);
}
