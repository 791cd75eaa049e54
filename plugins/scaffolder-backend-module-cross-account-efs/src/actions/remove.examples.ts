import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { preflightStep } from './exampleSteps';
import { examples as provisioned } from './verify.examples';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision a connection, then remove it in reverse order (the seeded resources stay)',
    example: yaml.stringify({
      steps: [
        ...yaml.parse(provisioned[0].example).steps,
        {
          id: 'remove',
          action: 'cross-account-efs:remove',
          name: 'Remove the connection',
          input: {
            ...preflightStep.input,
            storageClassName: 'efs-shared',
            namespace: 'team-a',
            nfsIngressMode: 'cidr',
          },
        },
      ],
    }),
  },
];
