import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:routes',
  'Route each VPC to the other through the peering connection, in every route table both sides use',
);
