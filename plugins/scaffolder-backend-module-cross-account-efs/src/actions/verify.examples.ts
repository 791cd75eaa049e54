import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:verify',
  'Provision every layer of an approved request, then have the backend check every layer and record the request provisioned',
);
