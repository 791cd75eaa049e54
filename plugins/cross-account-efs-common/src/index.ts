/**
 * Types, schemas and naming rules shared by every cross-account EFS package.
 *
 * @packageDocumentation
 */
export {
  accountIdSchema,
  regionSchema,
  fileSystemIdSchema,
  clusterNameSchema,
  vpcIdSchema,
  securityGroupIdSchema,
  subnetIdSchema,
  routeTableIdSchema,
  peeringConnectionIdSchema,
  azIdSchema,
  ipv4CidrSchema,
  ipv4AddressSchema,
} from './fields';
export {
  fileSystemRefSchema,
  clusterRefSchema,
  connectionSpecSchema,
  connectionKey,
} from './connection';
export type { FileSystemRef, ClusterRef, ConnectionSpec } from './connection';
export {
  mountTargetSchema,
  fileSystemNetworkSchema,
  clusterSubnetSchema,
  clusterNetworkSchema,
} from './topology';
export type {
  MountTarget,
  FileSystemNetwork,
  ClusterNetwork,
} from './topology';
export {
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
  TAG_FILE_SYSTEM,
  TAG_CLUSTER,
  NFS_PORT,
  mountTargetZoneName,
  fileSystemDnsName,
  managedTags,
  hasManagedTag,
  managedTagList,
  TAG_USED_BY_PREFIX,
  usageTag,
  otherUsers,
} from './naming';
export {
  layerIds,
  layerIdSchema,
  checkStatusSchema,
  checkResultSchema,
  overallStatus,
} from './health';
export type { LayerId, CheckStatus, CheckResult } from './health';
export { describeInvalidInput } from './inputErrors';
export {
  iamRoleNameSchema,
  namespaceSchema,
  storageClassNameSchema,
  directoryPermsSchema,
  gidRangeSchema,
  driverVersionSchema,
  workloadIdentitySchema,
  CSI_DRIVER,
} from './storage';
export type { GidRange, WorkloadIdentity } from './storage';
export {
  MIN_CROSS_ACCOUNT_DRIVER,
  parseDriverVersion,
  compareDriverVersions,
  supportsCrossAccount,
  rejectsCrossAccountMountOption,
} from './driverVersion';
export type { DriverVersion } from './driverVersion';
export {
  RESERVED_NAMESPACES,
  connectivityModes,
  connectionOptionsSchema,
  entityRefSchema,
  newRequestSchema,
  requestStatuses,
  requestOperations,
  operationStartsFrom,
} from './request';
export type {
  ConnectionOptions,
  ConnectivityMode,
  NewRequest,
  RequestStatus,
  RequestOperation,
  RequestFailure,
  PlannedChangeView,
  ConnectionRequest,
} from './request';
export {
  requestCreatePermission,
  REQUEST_RESOURCE_TYPE,
  requestApprovePermission,
  requestReadPermission,
  healthRefreshPermission,
  crossAccountEfsPermissions,
} from './permissions';
export { awsDnsSuffixOf, awsGlobalRegionOf, awsPartitionOf } from './partition';
export type { AwsPartition } from './partition';
