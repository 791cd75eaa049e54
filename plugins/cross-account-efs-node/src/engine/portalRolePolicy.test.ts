import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX } from '@internal/sandbox';
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

/** The IAM action prefix of each SDK client the engine makes. */
const PREFIX: Record<string, string> = {
  ec2: 'ec2',
  efs: 'elasticfilesystem',
  eks: 'eks',
  iam: 'iam',
  route53: 'route53',
  sts: 'sts',
};

/** Calls every identity may make, whatever its policies say. */
const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];

function documentedActions(file: string): Set<string> {
  const doc = JSON.parse(
    readFileSync(join(__dirname, '../../../../docs/iam', file), 'utf8'),
  );
  return new Set(doc.Statement.flatMap((s: any) => [s.Action].flat()));
}

describe('the portal role policies in docs/iam (AWS emulator; EKS add-ons: sandbox gateway)', () => {
  it('allow every AWS call a full provision, check and removal makes, in each account', async () => {
    const sandbox = await startEmulatorEngine();
    try {
      const options = {
        storageClassName: 'efs-shared',
        namespace: 'team-a',
        verify: true,
      };
      await connectNetwork(sandbox.context(), sandboxSpec, {
        nfsIngressMode: 'cidr',
      });
      await connectCluster(sandbox.context(), sandboxSpec, options);
      const t = await prepareConnection(sandbox.context(), sandboxSpec);
      await checkConnection(sandbox.context(), t, options);
      await disconnectCluster(sandbox.context(), sandboxSpec, options);
      await disconnectNetwork(sandbox.context(), sandboxSpec, {
        nfsIngressMode: 'cidr',
      });

      const called = (accountId: string) => [
        ...new Set(
          sandbox.counter.calls
            .filter(c => c.accountId === accountId)
            .map(c => `${PREFIX[c.service]}:${c.command}`)
            .filter(a => !ALWAYS_ALLOWED.includes(a)),
        ),
      ];
      const fileSystemAccount = called(SANDBOX.efs.accountId);
      const clusterAccount = called(SANDBOX.eks.accountId);
      expect(fileSystemAccount.length).toBeGreaterThan(15);
      expect(clusterAccount.length).toBeGreaterThan(25);
      const efsPolicy = documentedActions(
        'portal-role-file-system-account.json',
      );
      const eksPolicy = documentedActions('portal-role-cluster-account.json');
      expect(fileSystemAccount.filter(a => !efsPolicy.has(a))).toEqual([]);
      expect(clusterAccount.filter(a => !eksPolicy.has(a))).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });
});
