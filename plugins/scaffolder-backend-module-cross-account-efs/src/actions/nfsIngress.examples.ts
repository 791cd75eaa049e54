import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:nfs-ingress',
  "Allow NFS (TCP 2049) into the mount targets' security group from the cluster, as the request's NFS rule source says",
);
