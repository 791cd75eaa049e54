import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteAccessEntryCommand } from '@aws-sdk/client-eks';
import { evaluateIam, independent, SANDBOX } from '@internal/sandbox';
import { KubernetesClusters } from '../kubernetes/KubernetesClusters';
import {
  CallRecorder,
  iamRequestsOf,
  RecordedCall,
} from '../__testUtils__/iamRequests';
import {
  connectCluster,
  connectNetwork,
  disconnectCluster,
  disconnectNetwork,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { checkConnection } from './planConnection';
import { prepareConnection } from './prepareConnection';

jest.setTimeout(180_000);

function documented(file: string) {
  return JSON.parse(
    readFileSync(join(__dirname, '../../../../docs/iam', file), 'utf8'),
  );
}

const POLICY: Record<string, unknown> = {
  [SANDBOX.efs.accountId]: documented('portal-role-file-system-account.json'),
  [SANDBOX.eks.accountId]: documented('portal-role-cluster-account.json'),
};

/** Calls every identity may make, whatever its policies say. */
const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];

describe('the portal role policies in docs/iam, evaluated per call by an independent IAM evaluator (AWS emulator; EKS add-ons: sandbox gateway)', () => {
  it("allow every AWS call a full provision (the portal's access entry included), check and removal makes, in each account, on the resources it names", async () => {
    const sandbox = await startEmulatorEngine();
    const recorder = new CallRecorder();
    try {
      // The cluster does not let the portal in yet: the plan gives its role
      // an access entry, and removal takes it away again.
      await independent(SANDBOX.eks.accountId).eks.send(
        new DeleteAccessEntryCommand({
          clusterName: SANDBOX.eks.clusterName,
          principalArn: `arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.portalRoleName}`,
        }),
      );
      const ctx = {
        ...sandbox.context([recorder.middleware]),
        kubernetes: new KubernetesClusters([], { manageAccessEntries: true }),
      };
      const options = {
        storageClassName: 'efs-shared',
        namespace: 'team-a',
        verify: true,
      };
      await connectNetwork(ctx, sandboxSpec, { nfsIngressMode: 'cidr' });
      await connectCluster(ctx, sandboxSpec, options);
      const t = await prepareConnection(ctx, sandboxSpec);
      await checkConnection(ctx, t, options);
      await disconnectCluster(ctx, sandboxSpec, options);
      await disconnectNetwork(ctx, sandboxSpec, { nfsIngressMode: 'cidr' });

      const denied: string[] = [];
      const evaluated = new Set<string>();
      for (const call of recorder.calls) {
        if (ALWAYS_ALLOWED.includes(`${call.service}:${call.command}`))
          continue;
        const principal = `arn:aws:iam::${call.accountId}:role/${SANDBOX.portalRoleName}`;
        for (const request of iamRequestsOf(call, principal)) {
          const key = JSON.stringify([call.accountId, request]);
          if (evaluated.has(key)) continue;
          evaluated.add(key);
          const decision = await evaluateIam(
            { principal, ...request },
            {
              identity: [
                { name: 'portal-role', policy: POLICY[call.accountId] },
              ],
            },
          );
          if (decision !== 'Allowed') {
            denied.push(
              `${call.accountId} ${request.action} on ${request.resource}: ${decision}`,
            );
          }
        }
      }
      expect(recorder.calls.map(c => c.command)).toEqual(
        expect.arrayContaining([
          'CreateAccessEntry',
          'AssociateAccessPolicy',
          'DeleteAccessEntry',
        ]),
      );
      const accounts = new Set(recorder.calls.map(c => c.accountId));
      expect([...accounts].sort()).toEqual(
        [SANDBOX.efs.accountId, SANDBOX.eks.accountId].sort(),
      );
      expect(evaluated.size).toBeGreaterThan(60);
      expect(denied).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it("deny what they should: a role outside efs-csi-*, a peering the portal did not tag, another principal's access entry", async () => {
    const eks = SANDBOX.eks.accountId;
    const principal = `arn:aws:iam::${eks}:role/${SANDBOX.portalRoleName}`;
    const identity = [{ name: 'portal-role', policy: POLICY[eks] }];
    const decide = (call: Omit<RecordedCall, 'accountId' | 'region'>) =>
      Promise.all(
        iamRequestsOf(
          { ...call, accountId: eks, region: SANDBOX.region },
          principal,
        ).map(r => evaluateIam({ principal, ...r }, { identity })),
      );
    expect(
      await decide({
        service: 'iam',
        command: 'DeleteRole',
        input: { RoleName: 'admin' },
      }),
    ).toEqual(['ImplicitlyDenied']);
    expect(
      await decide({
        service: 'ec2',
        command: 'DeleteVpcPeeringConnection',
        input: { VpcPeeringConnectionId: 'pcx-0123456789abcdef0' },
        resourceTags: { owner: 'network-team' },
      }),
    ).toEqual(['ImplicitlyDenied']);
    expect(
      await decide({
        service: 'eks',
        command: 'CreateAccessEntry',
        input: {
          clusterName: SANDBOX.eks.clusterName,
          principalArn: `arn:aws:iam::${eks}:role/someone-else`,
        },
      }),
    ).toEqual(['ImplicitlyDenied']);
  });
});
