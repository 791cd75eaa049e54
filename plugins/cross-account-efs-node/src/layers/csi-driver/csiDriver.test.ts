import {
  CreateAddonCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  EKSClient,
  ResourceNotFoundException,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { offlineEngine, topology } from '../../__testUtils__/fixtures';
import { runPlan } from '../../engine/runPlan';
import { csiDriver } from '.';
import { waitForAddonActive } from './wait';

jest.setTimeout(20_000);

const eks = mockClient(EKSClient);
const roleArn = 'arn:aws:iam::222222222222:role/efs-csi-driver-apps';
const notFound = () =>
  new ResourceNotFoundException({ message: 'No addon', $metadata: {} });

function offers(...versions: string[]) {
  eks.on(DescribeAddonVersionsCommand).resolves({
    addons: [
      {
        addonName: 'aws-efs-csi-driver',
        addonVersions: versions.map((addonVersion, i) => ({
          addonVersion,
          compatibilities: [
            { clusterVersion: '1.33', defaultVersion: i === 0 },
          ],
        })),
      },
    ],
  });
}

const addon = (status: string, addonVersion: string, extra: object = {}) => ({
  addon: {
    addonName: 'aws-efs-csi-driver',
    status: status as any,
    addonVersion,
    serviceAccountRoleArn: roleArn,
    ...extra,
  },
});

describe('CSI driver add-on layer (SDK double: the emulator has no EKS add-ons)', () => {
  beforeEach(() => {
    eks.reset();
    offers('v3.0.1-eksbuild.1', 'v2.2.0-eksbuild.1', 'v1.7.7-eksbuild.1');
  });

  it("installs EKS's default version with the driver role and goes on while EKS makes it ACTIVE; waiting goes through CREATING to ACTIVE", async () => {
    eks.on(DescribeAddonCommand).rejects(notFound());
    eks.on(CreateAddonCommand).resolves({});
    const ctx = offlineEngine();
    const outcome = await runPlan(
      ctx,
      await csiDriver.plan(ctx, topology(), {}),
    );
    expect(outcome).toMatchObject({
      dryRun: false,
      result: { addonVersion: 'v3.0.1-eksbuild.1', status: 'CREATING' },
    });
    expect(eks.commandCalls(CreateAddonCommand)[0].args[0].input).toMatchObject(
      {
        clusterName: 'apps',
        addonName: 'aws-efs-csi-driver',
        addonVersion: 'v3.0.1-eksbuild.1',
        serviceAccountRoleArn: roleArn,
        resolveConflicts: 'NONE',
      },
    );
    eks.reset();
    eks
      .on(DescribeAddonCommand)
      .resolvesOnce(addon('CREATING', 'v3.0.1-eksbuild.1'))
      .resolves(addon('ACTIVE', 'v3.0.1-eksbuild.1'));
    await waitForAddonActive(ctx, topology(), { minPollSeconds: 1 });
    expect(eks.commandCalls(DescribeAddonCommand)).toHaveLength(2);
  });

  it('plans nothing for an add-on already on its way to what is wanted (an earlier run made it)', async () => {
    eks
      .on(DescribeAddonCommand)
      .resolves(addon('CREATING', 'v3.0.1-eksbuild.1'));
    const plan = await csiDriver.plan(offlineEngine(), topology(), {});
    expect(plan.changes).toEqual([]);
    expect(plan.blockers).toEqual([]);
  });

  it('upgrades an installed driver that cannot mount cross-account, preserving its configuration', async () => {
    eks
      .on(DescribeAddonCommand)
      .resolvesOnce(addon('ACTIVE', 'v1.7.7-eksbuild.1'))
      .resolves(addon('ACTIVE', 'v3.0.1-eksbuild.1'));
    eks.on(UpdateAddonCommand).resolves({});
    const ctx = offlineEngine();
    const plan = await csiDriver.plan(ctx, topology(), {});
    expect(plan.changes.map(c => c.summary)).toEqual([
      expect.stringContaining(
        'v1.7.7-eksbuild.1 (ACTIVE) -> v3.0.1-eksbuild.1',
      ),
    ]);
    await runPlan(ctx, plan);
    expect(eks.commandCalls(UpdateAddonCommand)[0].args[0].input).toMatchObject(
      {
        addonVersion: 'v3.0.1-eksbuild.1',
        resolveConflicts: 'PRESERVE',
      },
    );
  });

  it('keeps an installed version that can mount cross-account and plans nothing', async () => {
    eks.on(DescribeAddonCommand).resolves(addon('ACTIVE', 'v2.2.0-eksbuild.1'));
    const plan = await csiDriver.plan(offlineEngine(), topology(), {});
    expect(plan.changes).toEqual([]);
    expect(plan.blockers).toEqual([]);
  });

  it('refuses, before any mutation, a version that cannot pass an external id', async () => {
    eks.on(DescribeAddonCommand).rejects(notFound());
    const ctx = offlineEngine();
    const plan = await csiDriver.plan(ctx, topology(), {
      driverVersion: 'v1.7.7-eksbuild.1',
    });
    await expect(runPlan(ctx, plan)).rejects.toThrow(
      /v1\.7\.7-eksbuild\.1 cannot mount across accounts.*Choose driverVersion from: v3\.0\.1-eksbuild\.1, v2\.2\.0-eksbuild\.1/s,
    );
    expect(eks.commandCalls(CreateAddonCommand)).toHaveLength(0);
  });

  it('refuses while EKS is updating the add-on to something else, or deleting it', async () => {
    eks
      .on(DescribeAddonCommand)
      .resolves(addon('UPDATING', 'v2.2.0-eksbuild.1'));
    const plan = await csiDriver.plan(offlineEngine(), topology(), {
      driverVersion: 'v3.0.1-eksbuild.1',
    });
    expect(plan.blockers.map(b => b.summary)).toEqual([
      'The aws-efs-csi-driver add-on is UPDATING.',
    ]);
    eks
      .on(DescribeAddonCommand)
      .resolves(addon('DELETING', 'v3.0.1-eksbuild.1'));
    const deleting = await csiDriver.plan(offlineEngine(), topology(), {});
    expect(deleting.blockers.map(b => b.summary)).toEqual([
      'The aws-efs-csi-driver add-on is DELETING.',
    ]);
  });

  it('waiting fails with the health issues EKS reports when the add-on turns DEGRADED', async () => {
    eks.on(DescribeAddonCommand).resolves(
      addon('DEGRADED', 'v3.0.1-eksbuild.1', {
        health: {
          issues: [
            {
              code: 'InsufficientNumberOfReplicas',
              message:
                'The add-on is unhealthy because it does not have the desired number of replicas.',
              resourceIds: ['efs-csi-controller'],
            },
          ],
        },
      }),
    );
    await expect(
      waitForAddonActive(offlineEngine(), topology(), {}),
    ).rejects.toThrow(
      'did not become ACTIVE (FAILURE): DEGRADED - InsufficientNumberOfReplicas: The add-on is unhealthy because it does not have the desired number of replicas. (efs-csi-controller)',
    );
  });

  it('re-applies a CREATE_FAILED add-on and reports its issues in the plan', async () => {
    eks.on(DescribeAddonCommand).resolves(
      addon('CREATE_FAILED', 'v3.0.1-eksbuild.1', {
        health: {
          issues: [
            {
              code: 'ConfigurationConflict',
              message:
                'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode.',
            },
          ],
        },
      }),
    );
    const plan = await csiDriver.plan(offlineEngine(), topology(), {});
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      summary: expect.stringContaining('CREATE_FAILED - ConfigurationConflict'),
    });
  });

  it('check: error for a missing, degraded, too old or mis-wired add-on; ok when ACTIVE with the role', async () => {
    const verdict = async () =>
      (
        await csiDriver.check(offlineEngine(), topology(), {
          csiDriverRoleName: 'efs-csi-driver-apps',
        })
      )[0];
    eks.on(DescribeAddonCommand).rejects(notFound());
    expect(await verdict()).toMatchObject({
      status: 'error',
      remedy: expect.stringContaining('installs the add-on'),
    });
    eks
      .on(DescribeAddonCommand)
      .resolves(addon('DEGRADED', 'v3.0.1-eksbuild.1'));
    expect(await verdict()).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('DEGRADED'),
    });
    eks.on(DescribeAddonCommand).resolves(addon('ACTIVE', 'v2.1.4-eksbuild.1'));
    expect(await verdict()).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('cannot mount across accounts'),
    });
    eks.on(DescribeAddonCommand).resolves(
      addon('ACTIVE', 'v3.0.1-eksbuild.1', {
        serviceAccountRoleArn: 'arn:aws:iam::222222222222:role/other',
      }),
    );
    expect(await verdict()).toMatchObject({
      status: 'error',
      summary: expect.stringContaining(
        'runs as arn:aws:iam::222222222222:role/other',
      ),
    });
    eks.on(DescribeAddonCommand).resolves(addon('ACTIVE', 'v3.0.1-eksbuild.1'));
    expect(await verdict()).toMatchObject({ status: 'ok' });
  });
});
