import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Remove the connection of a provisioned (or failed) request in reverse order: only what provisioning made; the request becomes removed',
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'cross-account-efs:remove',
          name: 'Remove the connection',
          input: { requestId: '${{ parameters.requestId }}' },
        },
      ],
    }),
  },
];
