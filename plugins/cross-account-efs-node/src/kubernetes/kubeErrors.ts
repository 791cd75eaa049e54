/** The HTTP status of a @kubernetes/client-node ApiException. */
export function kubeStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Reads an object; undefined when the API server says 404. */
export async function readOptional<T>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (kubeStatus(e) === 404) return undefined;
    throw e;
  }
}

/** Creates an object; AlreadyExists (409) means a lost response or a race, and is fine. */
export async function createIdempotent(
  create: () => Promise<unknown>,
): Promise<void> {
  try {
    await create();
  } catch (e) {
    if (kubeStatus(e) !== 409) throw e;
  }
}

/** The API server's own message (the Status body), for errors users read. */
export function describeKubeError(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  try {
    const status = typeof body === 'string' ? JSON.parse(body) : body;
    if (status?.message)
      return `${status.reason ?? 'Error'}: ${status.message}`;
  } catch {
    // not a Status body
  }
  return (error as Error)?.message ?? String(error);
}
