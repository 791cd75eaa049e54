import { z } from 'zod/v3';

/**
 * Inputs of the IAM, CSI driver and Kubernetes layers: one schema per field,
 * each message saying what a valid value looks like.
 */

/**
 * IAM role names: 1-64 of letters, digits and `+ = , . @ _ -`
 *
 * @public
 */
export const iamRoleNameSchema = z
  .string()
  .regex(
    /^[\w+=,.@-]{1,64}$/,
    'must be an IAM role name: 1-64 letters, digits or + = , . @ _ -',
  );

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Kubernetes namespaces are DNS-1123 labels.
 *
 * @public
 */
export const namespaceSchema = z
  .string()
  .max(63, 'must be at most 63 characters (a Kubernetes namespace name)')
  .regex(
    dns1123Label,
    'must be a Kubernetes namespace name: lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as team-a',
  );

/**
 * StorageClass and other object names are DNS-1123 subdomains.
 *
 * @public
 */
export const storageClassNameSchema = z
  .string()
  .max(253, 'must be at most 253 characters (a Kubernetes object name)')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a Kubernetes object name: lower-case letters, digits, hyphens and dots, such as efs-shared',
  );

/**
 * Mode of the directory the driver creates per volume. A string of octal
 * digits: YAML reads an unquoted 700 as the number seven hundred.
 *
 * @public
 */
export const directoryPermsSchema = z
  .string({
    invalid_type_error:
      'must be a quoted string of octal digits, such as "775" (YAML reads an unquoted 775 as a decimal number)',
  })
  .regex(
    /^0?[0-7]{3}$/,
    'must be three octal digits (0-7 each), such as "775"',
  );

const GID_MAX = 2_147_483_647;

/**
 * The POSIX group ids the driver hands out, one per access point.
 *
 * @public
 */
export const gidRangeSchema = z
  .object({
    start: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1 (gid 0 is root)')
      .max(GID_MAX, `must be at most ${GID_MAX}`),
    end: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(GID_MAX, `must be at most ${GID_MAX}`),
  })
  .refine(r => r.start <= r.end, {
    message:
      'start must not be greater than end, such as { start: 50000, end: 7000000 }',
    path: ['end'],
  });
/** @public */
export type GidRange = z.infer<typeof gidRangeSchema>;

/**
 * An EFS CSI driver version as EKS names add-on versions: v2.1.4-eksbuild.1.
 *
 * @public
 */
export const driverVersionSchema = z
  .string()
  .regex(
    /^v?\d+\.\d+\.\d+(-eksbuild\.\d+)?$/,
    'must be an EFS CSI driver version, such as v2.2.0-eksbuild.1 or 2.2.0',
  );

/**
 * How the CSI driver's pods get their AWS identity in the EKS account.
 *
 * @public
 */
export const workloadIdentitySchema = z.enum(['irsa', 'pod-identity'], {
  errorMap: () => ({ message: "must be 'irsa' or 'pod-identity'" }),
});
/** @public */
export type WorkloadIdentity = z.infer<typeof workloadIdentitySchema>;

/**
 * The namespace and service accounts of the managed add-on (and the Helm chart).
 *
 * @public
 */
export const CSI_DRIVER = {
  addonName: 'aws-efs-csi-driver',
  provisioner: 'efs.csi.aws.com',
  namespace: 'kube-system',
  controllerServiceAccount: 'efs-csi-controller-sa',
  nodeServiceAccount: 'efs-csi-node-sa',
  controllerDeployment: 'efs-csi-controller',
  nodeDaemonSet: 'efs-csi-node',
  /** The only secret name the driver's controller RBAC can read. */
  secretName: 'x-account',
  /** Tag the driver's controller puts on access points it creates. */
  accessPointTag: 'efs.csi.aws.com/cluster',
} as const;
