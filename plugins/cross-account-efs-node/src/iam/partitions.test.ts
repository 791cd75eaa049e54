import {
  awsDnsSuffixOf,
  awsGlobalRegionOf,
  awsPartitionOf,
  ConnectionSpec,
  fileSystemDnsName,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { efsAccessRoleArn } from '../layers/iam/read';
import {
  csiDriverRolePolicy,
  efsAccessRolePolicy,
  fileSystemPolicyStatements,
  roleArn,
} from './connectionIam';
import { Statement } from './policyDocument';

const specIn = (region: string): ConnectionSpec => ({
  fileSystem: {
    accountId: '111111111111',
    region,
    fileSystemId: 'fs-0123456789abcdef0',
  },
  cluster: { accountId: '222222222222', region, clusterName: 'apps' },
});

/** Every ARN a statement names, as resource or principal. */
const arnsOf = (statements: Statement[]) =>
  statements.flatMap(s =>
    [s.Resource, s.Principal === '*' ? [] : s.Principal?.AWS]
      .flat()
      .filter(
        (v): v is string => typeof v === 'string' && v.startsWith('arn:'),
      ),
  );

describe('partitions: nothing assumes the aws partition', () => {
  it.each([
    ['us-west-2', 'aws', 'amazonaws.com', 'us-east-1'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com', 'us-gov-west-1'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn', 'cn-north-1'],
  ])(
    '%s is in %s: endpoints under %s, IAM and Route 53 called in %s',
    (region, partition, suffix, globalRegion) => {
      expect(awsPartitionOf(region)).toBe(partition);
      expect(awsDnsSuffixOf(region)).toBe(suffix);
      expect(awsGlobalRegionOf(region)).toBe(globalRegion);
    },
  );

  it.each([
    [
      'us-gov-west-1',
      'arn:aws-us-gov:',
      'fs-0123456789abcdef0.efs.us-gov-west-1.amazonaws.com',
    ],
    [
      'cn-north-1',
      'arn:aws-cn:',
      'fs-0123456789abcdef0.efs.cn-north-1.amazonaws.com.cn',
    ],
  ])(
    'a connection in %s names its roles, file system and access points with %s ARNs, and its zones under the file system DNS name %s',
    (region, prefix, dnsName) => {
      const spec = specIn(region);
      const driverRole = roleArn(spec.cluster, 'efs-csi-driver-apps');
      const accessRole = efsAccessRoleArn(spec, {});
      expect(driverRole).toBe(
        `${prefix}iam::222222222222:role/efs-csi-driver-apps`,
      );
      expect(accessRole.startsWith(`${prefix}iam::111111111111:role/`)).toBe(
        true,
      );
      const arns = arnsOf([
        ...efsAccessRolePolicy(spec),
        ...csiDriverRolePolicy(spec, accessRole, false),
        ...fileSystemPolicyStatements(spec, driverRole, true),
      ]);
      expect(arns.length).toBeGreaterThan(3);
      expect(arns.filter(a => !a.startsWith(prefix))).toEqual([]);
      expect(fileSystemDnsName(spec.fileSystem)).toBe(dnsName);
    },
  );
});
