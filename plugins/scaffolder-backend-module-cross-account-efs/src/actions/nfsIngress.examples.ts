import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { bothSides, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      "Allow NFS from the cluster's security group (referenced across accounts through the peering)",
    example: yaml.stringify({
      steps: [
        preflightStep,
        {
          id: 'nfs',
          action: 'cross-account-efs:nfs-ingress',
          name: 'Open NFS',
          input: bothSides,
        },
      ],
    }),
  },
  {
    description:
      "Allow NFS from the cluster VPC's CIDR blocks, for a Transit Gateway without security group referencing",
    example: yaml.stringify({
      steps: [
        preflightStep,
        {
          id: 'nfs',
          action: 'cross-account-efs:nfs-ingress',
          name: 'Open NFS by CIDR',
          input: { ...bothSides, mode: 'cidr' },
        },
      ],
    }),
  },
];
