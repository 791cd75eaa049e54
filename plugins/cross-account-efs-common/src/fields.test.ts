import { connectionSpecSchema } from './connection';
import { describeInvalidInput } from './inputErrors';

const valid = {
  fileSystem: {
    accountId: '111111111111',
    region: 'us-west-2',
    fileSystemId: 'fs-0123456789abcdef0',
  },
  cluster: {
    accountId: '222222222222',
    region: 'us-west-2',
    clusterName: 'apps-cluster',
  },
};

function errorFor(patch: (spec: any) => void): string {
  const spec = JSON.parse(JSON.stringify(valid));
  patch(spec);
  const result = connectionSpecSchema.safeParse(spec);
  if (result.success) return '';
  return describeInvalidInput(result.error);
}

describe('connectionSpecSchema', () => {
  it('accepts long and short file system ids', () => {
    expect(errorFor(() => {})).toBe('');
    expect(errorFor(s => (s.fileSystem.fileSystemId = 'fs-66b4be25'))).toBe('');
  });

  it.each([
    [
      'fileSystem.accountId',
      (s: any) => (s.fileSystem.accountId = '11111111111'),
      '12-digit',
    ],
    [
      'cluster.accountId',
      (s: any) => (s.cluster.accountId = 'arn:aws:iam::2'),
      '12-digit',
    ],
    [
      'fileSystem.region',
      (s: any) => (s.fileSystem.region = 'us-west'),
      'region name',
    ],
    [
      'cluster.region',
      (s: any) => (s.cluster.region = 'US-WEST-2'),
      'region name',
    ],
    [
      'fileSystem.fileSystemId',
      (s: any) => (s.fileSystem.fileSystemId = 'fs-xyz'),
      'fs- followed by',
    ],
    [
      'cluster.clusterName',
      (s: any) => (s.cluster.clusterName = '-apps'),
      'EKS cluster name',
    ],
    [
      'cluster.clusterName',
      (s: any) => (s.cluster.clusterName = 'a'.repeat(101)),
      'EKS cluster name',
    ],
  ])('names %s and its fix when it is malformed', (field, patch, fix) => {
    const message = errorFor(patch);
    expect(message).toContain(`${field}: `);
    expect(message).toContain(fix);
  });
});
