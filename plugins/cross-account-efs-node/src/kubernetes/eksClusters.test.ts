import { DeleteAccessEntryCommand } from '@aws-sdk/client-eks';
import { independent, SANDBOX, SANDBOX_CONNECTION } from '@internal/sandbox';
import {
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

  it("without an access entry for the portal's role, the plan names what to grant", async () => {
    await independent(SANDBOX.eks.accountId).eks.send(
      new DeleteAccessEntryCommand({
        clusterName: SANDBOX.eks.clusterName,
        principalArn: `arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.portalRoleName}`,
      }),
    );
    const ctx = { ...sandbox.context(), kubernetes: new KubernetesClusters() };
    await expect(
      planConnection(ctx, SANDBOX_CONNECTION, {
        storageClassName: 'efs-shared',
        namespace: 'team-a',
      }),
    ).rejects.toThrow(
      /Cluster apps-cluster did not accept the portal's credentials \(401 Unauthorized\)\. Fix: give the portal's role in account 222222222222 .* an EKS access entry on apps-cluster .*aws eks create-access-entry --cluster-name apps-cluster/,
    );
  });
});
