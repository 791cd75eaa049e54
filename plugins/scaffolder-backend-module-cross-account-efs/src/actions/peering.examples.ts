import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:peering',
  "Peer the cluster's VPC with the file system's VPC for an approved request: request, accept, wait until active",
);
