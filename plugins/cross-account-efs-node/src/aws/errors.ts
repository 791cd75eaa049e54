/** True when an AWS SDK error carries one of the given error codes. */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; Code?: string; code?: string };
  return codes.some(
    code => e.name === code || e.Code === code || e.code === code,
  );
}

/** The error's code and message, without request ids or credentials. */
export function describeAwsError(error: unknown): string {
  if (!error || typeof error !== 'object') return String(error);
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? ''}`.trim();
}

/** IAM's "not found", under either of the names the SDK gives it. */
export const isIamNotFound = (error: unknown) =>
  isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException');

/** IAM's "already exists", under either of the names the SDK gives it. */
export const isIamAlreadyExists = (error: unknown) =>
  isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException');
