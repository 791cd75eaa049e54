/**
 * What each EFS CSI driver version can do across accounts (DOMAIN.md):
 * the `externalId` secret key needs v2.2.0+; from v3.0.0 the driver rejects
 * `crossaccount` as a StorageClass mount option (it belongs in the secret).
 *
 * @public
 */
export interface DriverVersion {
  major: number;
  minor: number;
  patch: number;
  /** As given, e.g. v2.1.4-eksbuild.1. */
  raw: string;
}

/** @public */
export const MIN_CROSS_ACCOUNT_DRIVER = '2.2.0';

/** @public */
export function parseDriverVersion(raw: string): DriverVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(raw.trim());
  return m ? { major: +m[1], minor: +m[2], patch: +m[3], raw } : undefined;
}

/** @public */
export function compareDriverVersions(
  a: DriverVersion,
  b: DriverVersion,
): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Can this version mount cross-account with the role and external id in the secret?
 *
 * @public
 */
export function supportsCrossAccount(raw: string): boolean {
  const v = parseDriverVersion(raw);
  return (
    !!v &&
    compareDriverVersions(v, parseDriverVersion(MIN_CROSS_ACCOUNT_DRIVER)!) >= 0
  );
}

/**
 * v3+ refuses `crossaccount` in mountOptions: "cannot be set manually".
 *
 * @public
 */
export function rejectsCrossAccountMountOption(raw: string): boolean {
  return (parseDriverVersion(raw)?.major ?? 0) >= 3;
}
