import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { bothSides, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      "One private zone per mount target AZ id, on the cluster's VPC, with the mount target's IP",
    example: yaml.stringify({
      steps: [
        preflightStep,
        {
          id: 'dns',
          action: 'cross-account-efs:dns',
          name: 'Private DNS for mount targets',
          input: bothSides,
        },
      ],
    }),
  },
];
