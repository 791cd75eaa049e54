import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  ListAssociatedAccessPoliciesCommand,
} from '@aws-sdk/client-eks';
import {
  TAG_MANAGED_BY,
  TAG_MANAGED_BY_VALUE,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { independent, SANDBOX, SANDBOX_CONNECTION } from '@internal/sandbox';
import {
  connectCluster,
  disconnectCluster,
  EmulatorEngine,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { planConnection } from '../engine/planConnection';
import { KubernetesClusters } from './KubernetesClusters';

jest.setTimeout(120_000);

describe('an EKS cluster reached as EKS is (sandbox cluster: TLS, EKS tokens checked against the emulator STS and access entries)', () => {
  let sandbox: EmulatorEngine;
  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  afterAll(() => sandbox?.stop());

  it('needs no Kubernetes config: endpoint and CA from DescribeCluster, an EKS token of the portal role, no stored token', async () => {
    const ctx = sandbox.context();
    const apis = await new KubernetesClusters().forCluster(
      SANDBOX_CONNECTION.cluster,
      ctx.aws,
    );
    expect(apis).toMatchObject({
      server: sandbox.emulator.kubernetes.url,
      authProvider: 'aws',
    });
    const { items } = await apis.core.listNamespace();
    expect(items.map(n => n.metadata?.name)).toContain('kube-system');
  });

  const clusterName = SANDBOX.eks.clusterName;
  const portalRoleArn = `arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.portalRoleName}`;
  const eksAdmin = () => independent(SANDBOX.eks.accountId).eks;
  const options = { storageClassName: 'efs-shared', namespace: 'team-a' };

  /** The cluster as a portal meets it before anyone granted it access. */
  async function withoutPortalAccessEntry() {
    await eksAdmin()
      .send(
        new DeleteAccessEntryCommand({
          clusterName,
          principalArn: portalRoleArn,
        }),
      )
      .catch(e => {
        if (e.name !== 'ResourceNotFoundException') throw e;
      });
  }

  const portalAccessEntry = () =>
    eksAdmin()
      .send(
        new DescribeAccessEntryCommand({
          clusterName,
          principalArn: portalRoleArn,
        }),
      )
      .then(r => r.accessEntry)
      .catch(e => {
        if (e.name === 'ResourceNotFoundException') return undefined;
        throw e;
      });

  it("without an access entry for the portal's role, the plan is blocked with the two commands that grant it, before any mutation", async () => {
    await withoutPortalAccessEntry();
    const ctx = { ...sandbox.context(), kubernetes: new KubernetesClusters() };
    sandbox.counter.reset();
    const plan = await planConnection(ctx, SANDBOX_CONNECTION, options);
    expect(plan.blockers).toEqual([
      expect.objectContaining({
        layer: 'kubernetes',
        summary: `Cluster ${clusterName} does not let the portal in: ${portalRoleArn} has no EKS access entry (authentication mode API_AND_CONFIG_MAP).`,
        remedy: expect.stringContaining(
          `aws eks create-access-entry --cluster-name ${clusterName} --principal-arn ${portalRoleArn}, then aws eks associate-access-policy --cluster-name ${clusterName} --principal-arn ${portalRoleArn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster; or let the plan create it: crossAccountEfs.kubernetes.manageAccessEntries: true.`,
        ),
      }),
    ]);
    expect(plan.changes.map(c => c.resource)).not.toContain('eks-access-entry');
    expect(sandbox.counter.mutating).toEqual([]);
  });

  it('with manageAccessEntries, the plan creates the access entry, provisioning then reaches the cluster, and removing the last connection deletes the entry', async () => {
    await withoutPortalAccessEntry();
    const ctx = {
      ...sandbox.context(),
      kubernetes: new KubernetesClusters([], { manageAccessEntries: true }),
    };
    const plan = await planConnection(ctx, SANDBOX_CONNECTION, options);
    expect(plan.blockers).toEqual([]);
    expect(
      plan.changes.filter(c => c.layer === 'kubernetes').map(c => c.resource),
    ).toEqual(['eks-access-entry', 'kubernetes-objects']);
    expect(await portalAccessEntry()).toBeUndefined();

    await connectCluster(ctx, SANDBOX_CONNECTION, options);
    expect(await portalAccessEntry()).toMatchObject({
      tags: { [TAG_MANAGED_BY]: TAG_MANAGED_BY_VALUE },
    });
    const { associatedAccessPolicies } = await eksAdmin().send(
      new ListAssociatedAccessPoliciesCommand({
        clusterName,
        principalArn: portalRoleArn,
      }),
    );
    expect(associatedAccessPolicies).toEqual([
      expect.objectContaining({
        policyArn:
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'cluster' },
      }),
    ]);
    const k8s = await ctx.kubernetes.forCluster(
      SANDBOX_CONNECTION.cluster,
      ctx.aws,
    );
    await expect(
      k8s.storage.readStorageClass({ name: 'efs-shared' }),
    ).resolves.toBeDefined();
    // A re-run changes nothing: the entry is there and used.
    const again = await planConnection(ctx, SANDBOX_CONNECTION, options);
    expect(again.changes.map(c => c.resource)).not.toContain(
      'eks-access-entry',
    );

    const removal = await disconnectCluster(ctx, SANDBOX_CONNECTION, options);
    expect(removal.map(c => c.resource)).toContain('eks-access-entry');
    expect(await portalAccessEntry()).toBeUndefined();
    await expect(k8s.core.listNamespace()).rejects.toMatchObject({
      code: 401,
    });
  });

  it('keeps an access entry it did not create when the last connection goes', async () => {
    await withoutPortalAccessEntry();
    await eksAdmin().send(
      new CreateAccessEntryCommand({
        clusterName,
        principalArn: portalRoleArn,
      }),
    );
    await eksAdmin().send(
      new AssociateAccessPolicyCommand({
        clusterName,
        principalArn: portalRoleArn,
        policyArn:
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'cluster' },
      }),
    );
    const ctx = {
      ...sandbox.context(),
      kubernetes: new KubernetesClusters([], { manageAccessEntries: true }),
    };
    await connectCluster(ctx, SANDBOX_CONNECTION, options);
    const removal = await disconnectCluster(ctx, SANDBOX_CONNECTION, options);
    expect(removal.map(c => c.resource)).not.toContain('eks-access-entry');
    expect(await portalAccessEntry()).toBeDefined();
  });
});
