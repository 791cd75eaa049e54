import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { sandboxSides } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that a file system can be connected to a cluster, before changing anything',
    example: yaml.stringify({
      steps: [
        {
          id: 'preflight',
          action: 'cross-account-efs:preflight',
          name: 'Preflight checks',
          input: sandboxSides,
        },
      ],
    }),
  },
];
