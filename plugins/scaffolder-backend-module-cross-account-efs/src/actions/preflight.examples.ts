import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

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
          input: {
            fileSystem: {
              accountId: '111111111111',
              region: 'us-west-2',
              fileSystemId: 'fs-66b4be25',
            },
            cluster: {
              accountId: '222222222222',
              region: 'us-west-2',
              clusterName: 'apps-cluster',
            },
          },
        },
      ],
    }),
  },
];
