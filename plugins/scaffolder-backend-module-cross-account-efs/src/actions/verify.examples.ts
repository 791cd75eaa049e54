import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  bothSides,
  csiDriverStep,
  iamStep,
  peeringStep,
  preflightStep,
} from './exampleSteps';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision a whole connection (NFS by CIDR), then check every layer',
    example: yaml.stringify({
      steps: [
        preflightStep,
        peeringStep,
        {
          id: 'routes',
          action: 'cross-account-efs:routes',
          input: {
            ...bothSides,
            peeringConnectionId:
              '${{ steps.peering.output.peeringConnectionId }}',
          },
        },
        {
          id: 'nfs',
          action: 'cross-account-efs:nfs-ingress',
          input: { ...bothSides, mode: 'cidr' },
        },
        { id: 'dns', action: 'cross-account-efs:dns', input: bothSides },
        iamStep,
        csiDriverStep,
        {
          id: 'kubernetes',
          action: 'cross-account-efs:kubernetes',
          input: {
            ...bothSides,
            efsAccessRoleArn: '${{ steps.iam.output.efsAccessRoleArn }}',
            storageClassName: 'efs-shared',
            namespace: 'team-a',
            verify: true,
          },
        },
        {
          id: 'verify',
          action: 'cross-account-efs:verify',
          name: 'Check every layer',
          input: {
            ...bothSides,
            efsAccessRoleArn: '${{ steps.iam.output.efsAccessRoleArn }}',
            csiDriverRoleArn: '${{ steps.iam.output.csiDriverRoleArn }}',
            storageClassName: 'efs-shared',
            namespace: 'team-a',
            nfsIngressMode: 'cidr',
          },
        },
      ],
    }),
  },
];
