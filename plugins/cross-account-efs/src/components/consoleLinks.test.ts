import type {
  CheckResult,
  LayerId,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { consoleLinks } from './consoleLinks';

const spec = (region: string) => ({
  fileSystem: { accountId: '111111111111', region, fileSystemId: 'fs-1' },
  cluster: { accountId: '222222222222', region, clusterName: 'apps' },
});
const result = (
  layer: LayerId,
  evidence?: Record<string, unknown>,
): CheckResult => ({
  layer,
  id: layer,
  status: 'ok',
  summary: '',
  evidence,
  checkedAt: '2026-12-02T00:00:00.000Z',
});

describe('consoleLinks', () => {
  it("names each layer's resources: both roles, the zone, the file system, the cluster", () => {
    expect(
      consoleLinks(
        result('iam', {
          efsAccessRoleArn: 'arn:aws:iam::111111111111:role/efs-csi-x',
          csiDriverRoleArn: 'arn:aws:iam::222222222222:role/efs-csi-driver',
        }),
        spec('us-west-2'),
      ).map(l => l.href),
    ).toEqual([
      'https://console.aws.amazon.com/iam/home#/roles/details/efs-csi-x',
      'https://console.aws.amazon.com/iam/home#/roles/details/efs-csi-driver',
    ]);
    expect(
      consoleLinks(
        result('dns', { hostedZoneId: 'Z1', zoneName: 'usw2-az1.fs-1.efs' }),
        spec('us-west-2'),
      ),
    ).toEqual([
      {
        label: 'usw2-az1.fs-1.efs',
        href: 'https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/Z1',
      },
    ]);
    expect(consoleLinks(result('nfs-ingress'), spec('us-west-2'))[0].href).toBe(
      'https://us-west-2.console.aws.amazon.com/efs/home?region=us-west-2#/file-systems/fs-1',
    );
    expect(consoleLinks(result('kubernetes'), spec('us-west-2'))[0].href).toBe(
      'https://us-west-2.console.aws.amazon.com/eks/home?region=us-west-2#/clusters/apps',
    );
  });

  it("follows the region's partition, and links nothing it does not know", () => {
    expect(consoleLinks(result('csi-driver'), spec('cn-north-1'))[0].href).toBe(
      'https://cn-north-1.console.amazonaws.cn/eks/home?region=cn-north-1#/clusters/apps',
    );
    expect(consoleLinks(result('peering', {}), spec('us-west-2'))).toEqual([]);
    expect(consoleLinks(result('vpc-dns'), spec('us-west-2'))).toEqual([]);
  });
});
