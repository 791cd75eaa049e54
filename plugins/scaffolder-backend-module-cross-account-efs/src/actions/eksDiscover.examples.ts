import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Find an EKS cluster's VPC, CIDRs, cluster security group, subnets and route tables",
    example: yaml.stringify({
      steps: [
        {
          id: 'discover-eks',
          action: 'cross-account-efs:eks:discover',
          name: 'Discover the cluster',
          input: {
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
