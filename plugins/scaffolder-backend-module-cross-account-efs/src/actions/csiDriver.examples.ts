import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:csi-driver',
  'Install the aws-efs-csi-driver add-on running as the driver role, and wait until it is ACTIVE',
);
