import { topology } from '../__testUtils__/fixtures';
import { cidrContains, cidrsOverlap } from './cidr';
import { preflight } from './preflight';

function problemsFor(
  overrides: Parameters<typeof topology>[0],
  spec?: (s: any) => void,
) {
  const t = topology(overrides);
  spec?.(t.spec);
  return preflight(t.spec, t.fileSystem, t.cluster).problems.map(
    p => `${p.field}: ${p.summary}`,
  );
}

describe('preflight', () => {
  it('passes a connectable pair', () => {
    expect(problemsFor({})).toEqual([]);
  });

  it('refuses different regions, naming the cluster region', () => {
    expect(problemsFor({}, s => (s.cluster.region = 'eu-west-1'))).toEqual([
      expect.stringMatching(
        /^cluster\.region: The cluster is in eu-west-1 but the file system is in us-west-2/,
      ),
    ]);
  });

  it('refuses one account on both sides', () => {
    expect(
      problemsFor({}, s => (s.cluster.accountId = s.fileSystem.accountId)),
    ).toEqual([expect.stringMatching(/^cluster\.accountId: /)]);
  });

  it('refuses overlap in a secondary CIDR block too', () => {
    expect(
      problemsFor({ cluster: { vpcCidrs: ['10.1.0.0/16', '10.0.128.0/20'] } }),
    ).toEqual([expect.stringContaining('(10.0.128.0/20) overlaps')]);
  });

  it('refuses a file system that is not available', () => {
    expect(problemsFor({ fileSystem: { lifeCycleState: 'deleting' } })).toEqual(
      [
        expect.stringMatching(
          /^fileSystem\.fileSystemId: File system .* is deleting/,
        ),
      ],
    );
  });

  it('names every AZ id the cluster uses without an available mount target', () => {
    const t = topology();
    const problems = problemsFor({
      fileSystem: {
        mountTargets: [
          { ...t.fileSystem.mountTargets[0], state: 'creating' },
          t.fileSystem.mountTargets[1],
        ],
      },
      cluster: {
        subnets: [
          ...t.cluster.subnets,
          {
            subnetId: 'subnet-0ccccccccccccccc1',
            azId: 'usw2-az3',
            azName: 'us-west-2c',
          },
        ],
      },
    });
    expect(problems).toEqual([
      expect.stringContaining(
        'No available mount target in AZ id usw2-az1, usw2-az3',
      ),
    ]);
  });

  it('refuses a cluster VPC without DNS hostnames', () => {
    expect(problemsFor({ cluster: { dnsHostnames: false } })).toEqual([
      expect.stringContaining('has enableDnsHostnames off'),
    ]);
  });

  it('lists all problems at once', () => {
    expect(
      problemsFor({ cluster: { dnsSupport: false, vpcCidrs: ['10.0.0.0/8'] } }),
    ).toHaveLength(2);
  });
});

describe('cidr', () => {
  it.each([
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.0.0.0/16', '10.0.255.0/24', true],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['192.168.0.0/24', '192.168.1.0/24', false],
    ['10.0.0.5/16', '10.0.1.0/24', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
    expect(cidrsOverlap(b, a)).toBe(expected);
  });

  it('knows containment', () => {
    expect(cidrContains('10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(cidrContains('10.1.0.0/16', '10.0.0.0/8')).toBe(false);
  });
});
