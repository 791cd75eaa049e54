import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:dns',
  "One private zone per mount target AZ id, associated with the cluster's VPC, holding the mount target's IP",
);
