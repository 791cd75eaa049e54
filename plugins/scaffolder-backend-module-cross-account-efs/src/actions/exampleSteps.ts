import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Every step of a provisioning template takes the request id, and only that. */
const input = { requestId: '${{ parameters.requestId }}' };

/** The provisioning template's steps, in order: an example runs them up to its own. */
const provisioningSteps = [
  {
    id: 'approve',
    action: 'cross-account-efs:request:approve',
    name: 'Approve (four eyes)',
  },
  {
    id: 'iam',
    action: 'cross-account-efs:iam',
    name: 'IAM roles and file system policy',
  },
  {
    id: 'csiDriver',
    action: 'cross-account-efs:csi-driver',
    name: 'EFS CSI driver add-on (the kubernetes step waits for it)',
  },
  { id: 'peering', action: 'cross-account-efs:peering', name: 'Peer the VPCs' },
  {
    id: 'routes',
    action: 'cross-account-efs:routes',
    name: 'Routes both ways',
  },
  {
    id: 'nfs',
    action: 'cross-account-efs:nfs-ingress',
    name: 'Open NFS to the mount targets',
  },
  {
    id: 'dns',
    action: 'cross-account-efs:dns',
    name: 'Private zones per AZ id',
  },
  {
    id: 'kubernetes',
    action: 'cross-account-efs:kubernetes',
    name: 'Secret, StorageClass and a test claim',
  },
  {
    id: 'verify',
    action: 'cross-account-efs:verify',
    name: 'Check every layer',
  },
].map(step => ({ ...step, input }));

/**
 * The example of one provisioning action: a template opened from an
 * approved request (`parameters.requestId`) that runs the provisioning
 * steps up to and including this action's.
 */
export function provisioningExample(
  action: string,
  description: string,
): TemplateExample[] {
  const upTo = provisioningSteps.findIndex(s => s.action === action);
  return [
    {
      description,
      example: yaml.stringify({
        steps: provisioningSteps.slice(0, upTo + 1),
      }),
    },
  ];
}

/** The first step of the examples of the read-only actions: both sides of the sandbox connection. */
export const sandboxSides = {
  fileSystem: {
    accountId: '111111111111',
    region: 'us-west-2',
    fileSystemId: 'fs-66b4be25',
  },
  cluster: {
    accountId: '222222222222',
    region: 'us-west-2',
    clusterName: 'apps-cluster',
  },
};
