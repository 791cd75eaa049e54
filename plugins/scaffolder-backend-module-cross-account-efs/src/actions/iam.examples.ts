import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { bothSides, iamStep, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      "Create both roles (IRSA), the cluster's OIDC provider and the file system policy statements",
    example: yaml.stringify({ steps: [preflightStep, iamStep] }),
  },
  {
    description:
      'Use EKS Pod Identity instead of IRSA, with named roles and root access',
    example: yaml.stringify({
      steps: [
        preflightStep,
        {
          ...iamStep,
          input: {
            ...bothSides,
            workloadIdentity: 'pod-identity',
            csiDriverRoleName: 'apps-cluster-efs-csi',
            efsAccessRoleName: 'apps-cluster-efs-access',
            rootAccess: true,
          },
        },
      ],
    }),
  },
];
