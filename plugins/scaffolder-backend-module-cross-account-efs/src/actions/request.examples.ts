import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const requestId = '${{ parameters.requestId }}';

export const createExamples: TemplateExample[] = [
  {
    description:
      'Ask for the shared file system on a cluster: the request is recorded with its plan, and the approvers are told',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          action: 'cross-account-efs:request:create',
          name: 'Record the request and its plan',
          input: {
            fileSystemRef: 'resource:default/shared-efs',
            clusterRef: 'resource:default/apps-cluster',
            storageClassName: 'efs-team-a',
            namespace: 'team-a',
            directoryPerms: '770',
          },
        },
      ],
    }),
  },
];

export const getExamples: TemplateExample[] = [
  {
    description: 'Read a request as recorded, for a template that acts on it',
    example: yaml.stringify({
      steps: [
        {
          id: 'request',
          action: 'cross-account-efs:request:get',
          name: 'Read the request',
          input: { requestId },
        },
      ],
    }),
  },
];

export const approveExamples: TemplateExample[] = [
  {
    description:
      "Approve a pending request as the task's initiator (never its requester)",
    example: yaml.stringify({
      steps: [
        {
          id: 'approve',
          action: 'cross-account-efs:request:approve',
          name: 'Approve (four eyes)',
          input: { requestId },
        },
      ],
    }),
  },
];
