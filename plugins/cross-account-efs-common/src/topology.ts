import { z } from 'zod/v3';
import {
  accountIdSchema,
  azIdSchema,
  clusterNameSchema,
  fileSystemIdSchema,
  ipv4AddressSchema,
  ipv4CidrSchema,
  regionSchema,
  routeTableIdSchema,
  securityGroupIdSchema,
  subnetIdSchema,
  vpcIdSchema,
} from './fields';

/**
 * What discovery learns about each side. Actions pass these from step to
 * step, so each is a schema: a later step validates what it is handed.
 *
 * @public
 */
export const mountTargetSchema = z.object({
  mountTargetId: z.string(),
  azId: azIdSchema,
  azName: z.string(),
  ipAddress: ipv4AddressSchema,
  subnetId: subnetIdSchema,
  securityGroupIds: z.array(securityGroupIdSchema),
  state: z.string(),
});
/** @public */
export type MountTarget = z.infer<typeof mountTargetSchema>;

/** @public */
export const fileSystemNetworkSchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  fileSystemId: fileSystemIdSchema,
  fileSystemArn: z.string(),
  lifeCycleState: z.string(),
  vpcId: vpcIdSchema,
  vpcCidrs: z.array(ipv4CidrSchema).min(1),
  mountTargets: z.array(mountTargetSchema),
  /** Route tables of the mount targets' subnets (explicit or the VPC's main table). */
  routeTableIds: z.array(routeTableIdSchema),
});
/** @public */
export type FileSystemNetwork = z.infer<typeof fileSystemNetworkSchema>;

/** @public */
export const clusterSubnetSchema = z.object({
  subnetId: subnetIdSchema,
  azId: azIdSchema,
  azName: z.string(),
});

/** @public */
export const clusterNetworkSchema = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  clusterName: clusterNameSchema,
  kubernetesVersion: z.string().optional(),
  vpcId: vpcIdSchema,
  vpcCidrs: z.array(ipv4CidrSchema).min(1),
  clusterSecurityGroupId: securityGroupIdSchema,
  subnets: z.array(clusterSubnetSchema),
  /** Route tables of the cluster's subnets (explicit or the VPC's main table). */
  routeTableIds: z.array(routeTableIdSchema),
  oidcIssuer: z.string().optional(),
  dnsSupport: z.boolean(),
  dnsHostnames: z.boolean(),
  /**
   * The DNS servers the VPC's DHCP options hand to nodes
   * (`AmazonProvidedDNS` is the VPC resolver, which answers private zones).
   */
  dnsServers: z.array(z.string()).optional(),
});
/** @public */
export type ClusterNetwork = z.infer<typeof clusterNetworkSchema>;
