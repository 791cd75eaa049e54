import { SANDBOX } from './layout';

/**
 * The sandbox's file system and clusters as catalog entities, as
 * examples/sandbox-resources.yaml describes them: for tests whose catalog is
 * a double.
 */
const resource = (
  name: string,
  type: string,
  owner: string,
  annotations: Record<string, string>,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, owner },
});

/** The seeded file system (default name shared-efs). */
export function sandboxFileSystemEntity(
  options: { name?: string; owner?: string } = {},
) {
  return resource(
    options.name ?? 'shared-efs',
    'efs-file-system',
    options.owner ?? 'group:default/platform-team',
    {
      'aws.amazon.com/account-id': SANDBOX.efs.accountId,
      'aws.amazon.com/region': SANDBOX.region,
      'aws.amazon.com/efs-file-system-id': SANDBOX.efs.fileSystemId,
    },
  );
}

/** A seeded cluster, named as its EKS cluster (default apps-cluster). */
export function sandboxClusterEntity(
  clusterName: string = SANDBOX.eks.clusterName,
) {
  return resource(
    clusterName,
    'kubernetes-cluster',
    'group:default/platform-team',
    {
      'aws.amazon.com/account-id': SANDBOX.eks.accountId,
      'aws.amazon.com/region': SANDBOX.region,
      'aws.amazon.com/eks-cluster-name': clusterName,
    },
  );
}
