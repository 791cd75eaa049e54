import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  bothSides,
  csiDriverStep,
  iamStep,
  preflightStep,
} from './exampleSteps';

const kubernetesStep = {
  id: 'kubernetes',
  action: 'cross-account-efs:kubernetes',
  name: 'Secret and StorageClass',
  input: {
    ...bothSides,
    efsAccessRoleArn: '${{ steps.iam.output.efsAccessRoleArn }}',
    driverVersion: '${{ steps.csiDriver.output.driverVersion }}',
    storageClassName: 'efs-shared',
  },
};

export const examples: TemplateExample[] = [
  {
    description:
      'Write the x-account secret and a StorageClass for the installed driver',
    example: yaml.stringify({
      steps: [preflightStep, iamStep, csiDriverStep, kubernetesStep],
    }),
  },
  {
    description:
      'Also create the team namespace, and prove it works: a test claim that must bind and a pod that writes to it',
    example: yaml.stringify({
      steps: [
        preflightStep,
        iamStep,
        csiDriverStep,
        {
          ...kubernetesStep,
          input: {
            ...kubernetesStep.input,
            namespace: 'team-a',
            directoryPerms: '770',
            gidRange: { start: 50000, end: 60000 },
            verify: true,
          },
        },
      ],
    }),
  },
];
