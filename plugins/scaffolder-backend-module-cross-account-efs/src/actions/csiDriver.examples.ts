import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { csiDriverStep, iamStep, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      "Install the aws-efs-csi-driver add-on (EKS's default version) running as the driver role, and wait until it is ACTIVE",
    example: yaml.stringify({ steps: [preflightStep, iamStep, csiDriverStep] }),
  },
  {
    description: 'Pin the add-on to a v2 driver',
    example: yaml.stringify({
      steps: [
        preflightStep,
        iamStep,
        {
          ...csiDriverStep,
          input: { ...csiDriverStep.input, driverVersion: 'v2.2.0-eksbuild.1' },
        },
      ],
    }),
  },
];
