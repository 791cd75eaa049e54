import { topology } from '../__testUtils__/fixtures';
import { checkMountTargets, checkVpcDns } from './networkChecks';

describe('mount target and VPC DNS checks', () => {
  it('is ok when every AZ ID of the cluster has an available mount target', () => {
    expect(checkMountTargets(topology()).map(r => r.status)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('fails an AZ ID without a mount target, with the resolver error pods see', () => {
    const t = topology({
      cluster: {
        subnets: [
          {
            subnetId: 'subnet-0bbbbbbbbbbbbbbb1',
            azId: 'usw2-az1',
            azName: 'us-west-2b',
          },
          {
            subnetId: 'subnet-0bbbbbbbbbbbbbbb3',
            azId: 'usw2-az3',
            azName: 'us-west-2c',
          },
        ],
      },
    });
    const [az1, az3] = checkMountTargets(t);
    expect(az1.status).toBe('ok');
    expect(az3).toMatchObject({
      status: 'error',
      summary: expect.stringContaining(
        'Failed to resolve "usw2-az3.fs-0123456789abcdef0.efs.us-west-2.amazonaws.com"',
      ),
      remedy: expect.stringContaining(
        'Re-running alone does not create mount targets',
      ),
    });
  });

  it('fails a mount target that is not available', () => {
    const t = topology();
    t.fileSystem.mountTargets[0].state = 'deleting';
    expect(checkMountTargets(t)[0]).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('is deleting'),
    });
  });

  it('fails a cluster VPC without DNS hostnames, saying provisioning does not fix it', () => {
    expect(checkVpcDns(topology())[0].status).toBe('ok');
    const [result] = checkVpcDns(
      topology({ cluster: { dnsHostnames: false } }),
    );
    expect(result).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('enableDnsHostnames off'),
      remedy: expect.stringContaining(
        'Provisioning does not change VPC attributes',
      ),
    });
  });
});
