import {
  AwsCallCounter,
  AwsClients,
  ClientMiddleware,
  KubernetesClusters,
} from '@internal/plugin-cross-account-efs-node';
import {
  SANDBOX,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import yaml from 'yaml';
import { runSteps, Step } from '../__testUtils__/runSteps';
import { sandboxConfig } from '../__testUtils__/sandboxConfig';
import { createCrossAccountEfsActions } from '.';

jest.setTimeout(120_000);

/**
 * The emulator rejects a security group rule that references a group in
 * another account (InvalidGroup.NotFound); AWS accepts it across a peering.
 * This double answers that one call as AWS does and records what was asked.
 */
function crossAccountGroupReferenceDouble(recorded: any[]): ClientMiddleware {
  return () => ({
    applyToStack: stack =>
      stack.add(
        (next, context) => async args => {
          const input = args.input as any;
          const foreign = input?.IpPermissions?.some((p: any) =>
            p.UserIdGroupPairs?.some(
              (g: any) => g.UserId && g.UserId !== SANDBOX.efs.accountId,
            ),
          );
          if (
            context.commandName === 'AuthorizeSecurityGroupIngressCommand' &&
            foreign
          ) {
            recorded.push(input);
            return { output: { Return: true, $metadata: {} } } as any;
          }
          return next(args);
        },
        { step: 'initialize', name: 'crossAccountGroupReferenceDouble' },
      ),
  });
}

const OUTPUT_KEYS: Record<string, string[]> = {
  'cross-account-efs:efs:discover': ['fileSystem'],
  'cross-account-efs:eks:discover': ['cluster'],
  'cross-account-efs:preflight': ['cluster', 'fileSystem'],
  'cross-account-efs:peering': ['peeringConnectionId', 'plan'],
  'cross-account-efs:routes': ['plan', 'routes'],
  'cross-account-efs:nfs-ingress': ['plan', 'securityGroupIds'],
  'cross-account-efs:dns': ['plan', 'zones'],
  'cross-account-efs:iam': [
    'csiDriverRoleArn',
    'efsAccessRoleArn',
    'oidcProviderArn',
    'plan',
  ],
  'cross-account-efs:csi-driver': ['driverVersion', 'plan', 'status'],
  'cross-account-efs:verify': ['checks', 'status'],
  'cross-account-efs:remove': ['plan'],
  'cross-account-efs:kubernetes': ['driverVersion', 'plan', 'storageClassName'],
};

/** What each step must hand on, given its input. */
function outputKeys(step: Step): string[] {
  const keys = OUTPUT_KEYS[step.action];
  if (step.input.workloadIdentity === 'pod-identity') {
    return keys.filter(k => k !== 'oidcProviderArn');
  }
  if (step.action === 'cross-account-efs:kubernetes' && step.input.verify) {
    return [...keys, 'testClaim'].sort();
  }
  return keys;
}

describe('action examples (run against the AWS emulator)', () => {
  let emulator: SeededEmulator;
  const counter = new AwsCallCounter();
  const groupReferences: any[] = [];
  const actions = () =>
    createCrossAccountEfsActions({
      aws: AwsClients.fromConfig(sandboxConfig(), {
        middleware: [
          counter.middleware,
          crossAccountGroupReferenceDouble(groupReferences),
        ],
      }),
      kubernetes: KubernetesClusters.fromConfig(
        sandboxConfig(emulator.kubernetes),
      ),
    });

  beforeAll(async () => {
    emulator = await startSeededEmulator();
  });
  beforeEach(async () => {
    await emulator.reset();
    counter.reset();
    groupReferences.length = 0;
  });
  afterAll(() => emulator?.stop());

  const all = createCrossAccountEfsActions({
    aws: AwsClients.fromConfig(sandboxConfig()),
  });
  const cases = all.flatMap(action =>
    (action.examples ?? []).map(
      example => [action.id, example.description, example.example] as const,
    ),
  );

  it('gives every action at least one example', () => {
    expect(new Set(cases.map(c => c[0]))).toEqual(new Set(all.map(a => a.id)));
  });

  it.each(cases)(
    '%s: %s (cross-account group references: SDK double)',
    async (_id, _description, example) => {
      const { steps } = yaml.parse(example) as { steps: Step[] };
      const outputs = await runSteps(actions(), steps);

      // Each step hands the next what it needs.
      expect(
        Object.fromEntries(
          steps.map(s => [s.id, Object.keys(outputs[s.id]).sort()]),
        ),
      ).toEqual(Object.fromEntries(steps.map(s => [s.id, outputKeys(s)])));
      // The security-group mode asks for <cluster account>/<cluster group> on TCP 2049.
      const groupModeSteps = steps.filter(
        s => s.action === 'cross-account-efs:nfs-ingress' && !s.input.mode,
      );
      const clusterGroup = (outputs.preflight?.cluster as any)
        ?.clusterSecurityGroupId;
      expect(groupReferences.map(i => i.IpPermissions)).toEqual(
        groupModeSteps.map(() => [
          expect.objectContaining({
            IpProtocol: 'tcp',
            FromPort: 2049,
            ToPort: 2049,
            UserIdGroupPairs: [
              expect.objectContaining({
                UserId: SANDBOX.eks.accountId,
                GroupId: clusterGroup,
              }),
            ],
          }),
        ]),
      );
    },
  );

  it('a dry run of the whole network plan lists every change and mutates nothing', async () => {
    const steps: Step[] = [
      ...(yaml.parse(
        all.find(a => a.id === 'cross-account-efs:routes')!.examples![0]
          .example,
      ).steps as Step[]),
      {
        id: 'nfs',
        action: 'cross-account-efs:nfs-ingress',
        input: {
          fileSystem: '${{ steps.preflight.output.fileSystem }}',
          cluster: '${{ steps.preflight.output.cluster }}',
        },
      },
      {
        id: 'dns',
        action: 'cross-account-efs:dns',
        input: {
          fileSystem: '${{ steps.preflight.output.fileSystem }}',
          cluster: '${{ steps.preflight.output.cluster }}',
        },
      },
    ];
    const outputs = await runSteps(actions(), steps, { isDryRun: true });
    expect(counter.mutating).toEqual([]);
    const plan = ['peering', 'routes', 'nfs', 'dns'].flatMap(
      id => outputs[id].plan as any[],
    );
    expect(
      plan.map(c => `${c.layer} ${c.action} ${c.resource} ${c.accountId}`),
    ).toEqual([
      `peering create vpc-peering-connection ${SANDBOX.eks.accountId}`,
      `peering update vpc-peering-connection ${SANDBOX.efs.accountId}`,
      `routes create route ${SANDBOX.eks.accountId}`,
      `routes create route ${SANDBOX.efs.accountId}`,
      `nfs-ingress create security-group-rule ${SANDBOX.efs.accountId}`,
      ...[1, 2, 3].flatMap(() => [
        `dns create route53-private-hosted-zone ${SANDBOX.efs.accountId}`,
        `dns create route53-vpc-association ${SANDBOX.eks.accountId}`,
      ]),
    ]);
  });

  it('a dry run of the IAM, add-on and cluster steps plans every change and mutates nothing', async () => {
    const steps: Step[] = yaml.parse(
      all.find(a => a.id === 'cross-account-efs:kubernetes')!.examples![1]
        .example,
    ).steps;
    const before = emulator.kubernetes.store.snapshot();
    const outputs = await runSteps(actions(), steps, { isDryRun: true });
    expect(counter.mutating).toEqual([]);
    expect(emulator.kubernetes.store.snapshot()).toEqual(before);
    const plan = ['iam', 'csiDriver', 'kubernetes'].flatMap(
      id => outputs[id].plan as any[],
    );
    expect(
      plan.map(c => `${c.layer} ${c.action} ${c.resource} ${c.accountId}`),
    ).toEqual([
      `iam create iam-oidc-provider ${SANDBOX.eks.accountId}`,
      `iam create iam-role ${SANDBOX.eks.accountId}`,
      `iam create iam-role-policy ${SANDBOX.eks.accountId}`,
      `iam create iam-role ${SANDBOX.efs.accountId}`,
      `iam create iam-role-policy ${SANDBOX.efs.accountId}`,
      `iam create efs-file-system-policy ${SANDBOX.efs.accountId}`,
      `csi-driver create eks-addon ${SANDBOX.eks.accountId}`,
      `kubernetes create kubernetes-secret ${SANDBOX.eks.accountId}`,
      `kubernetes create storage-class ${SANDBOX.eks.accountId}`,
      `kubernetes create namespace ${SANDBOX.eks.accountId}`,
      `kubernetes create persistent-volume-claim ${SANDBOX.eks.accountId}`,
      `kubernetes create pod ${SANDBOX.eks.accountId}`,
    ]);
  });
});
