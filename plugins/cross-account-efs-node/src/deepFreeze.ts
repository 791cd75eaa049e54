/**
 * Freezes a value and everything it holds, for answers shared rather than
 * copied. Typed arrays (blobs) cannot be frozen; nothing we share holds one.
 */
export function deepFreeze<T>(value: T): T {
  if (
    value === null ||
    typeof value !== 'object' ||
    Object.isFrozen(value) ||
    ArrayBuffer.isView(value)
  ) {
    return value;
  }
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
