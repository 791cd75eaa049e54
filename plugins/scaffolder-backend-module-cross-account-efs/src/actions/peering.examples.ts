import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { peeringStep, preflightStep } from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      "Peer the cluster's VPC with the file system's VPC: request, accept, wait until active",
    example: yaml.stringify({ steps: [preflightStep, peeringStep] }),
  },
];
