import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { bothSides, peeringStep, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      'Route each VPC to the other through the peering connection, in every route table both sides use',
    example: yaml.stringify({
      steps: [
        preflightStep,
        peeringStep,
        {
          id: 'routes',
          action: 'cross-account-efs:routes',
          name: 'Add routes both ways',
          input: {
            ...bothSides,
            peeringConnectionId:
              '${{ steps.peering.output.peeringConnectionId }}',
          },
        },
      ],
    }),
  },
];
