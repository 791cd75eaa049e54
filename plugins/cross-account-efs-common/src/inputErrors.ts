import type { ZodError } from 'zod/v3';

/**
 * Turns zod issues into one line per field: the dotted path, what is wrong
 * and what a valid value looks like.
 *
 * @public
 */
export function describeInvalidInput(error: ZodError, prefix?: string): string {
  return error.issues
    .map(issue => {
      const path = [prefix, ...issue.path]
        .filter(p => p !== undefined && p !== '')
        .join('.');
      return `${path || 'input'}: ${issue.message}`;
    })
    .join('; ');
}
