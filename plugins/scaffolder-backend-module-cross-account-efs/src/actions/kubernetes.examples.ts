import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:kubernetes',
  "The x-account secret, the request's StorageClass and namespace, and a test claim that must bind",
);
