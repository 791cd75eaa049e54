import { provisioningExample } from './exampleSteps';

export const examples = provisioningExample(
  'cross-account-efs:iam',
  "Both roles (IRSA or Pod Identity, as requested), the cluster's OIDC provider and the file system policy statements",
);
