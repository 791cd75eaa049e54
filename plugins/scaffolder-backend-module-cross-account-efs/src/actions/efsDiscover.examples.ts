import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Find the mount targets, VPC and CIDRs of a file system in the shared-services account',
    example: yaml.stringify({
      steps: [
        {
          id: 'discover-efs',
          action: 'cross-account-efs:efs:discover',
          name: 'Discover the file system',
          input: {
            fileSystem: {
              accountId: '111111111111',
              region: 'us-west-2',
              fileSystemId: 'fs-66b4be25',
            },
          },
        },
      ],
    }),
  },
];
