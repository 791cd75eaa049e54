import { AwsCallCounter } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { SeededEmulator, startSeededEmulator } from '@internal/sandbox';
import type { JsonObject } from '@backstage/types';
import {
  PortalBackend,
  sandboxCatalog,
  startPortalBackend,
  templateOf,
  expectCompleted,
  USERS,
} from '../__testUtils__/portalBackend';

jest.setTimeout(300_000);

/** Hand-written templates a catalog user could register: forged values into mutating actions. */
const forged: Array<[string, string, JsonObject]> = [
  [
    'nfs-ingress',
    'an NFS rule open to the world',
    { cluster: { vpcCidrs: ['0.0.0.0/0'] }, mode: 'cidr' },
  ],
  [
    'iam',
    'a role of the caller choosing, with root access',
    { efsAccessRoleName: 'attacker-chosen', rootAccess: true },
  ],
  [
    'kubernetes',
    "the x-account secret pointed at another account's role",
    { efsAccessRoleArn: 'arn:aws:iam::333333333333:role/other' },
  ],
  ['remove', 'a removal of another StorageClass', { storageClassName: 'x' }],
];

const step = (action: string, input: JsonObject) => ({
  id: 'forged',
  name: 'Forged',
  action: `cross-account-efs:${action}`,
  input: { requestId: '${{ parameters.requestId }}', ...input },
});

const forgedTemplates = [
  ...forged.map(([action, , input]) =>
    templateOf(`forged-${action}`, [step(action, input)]),
  ),
  // No forged values, only someone else's request id: the initiator is judged.
  ...['peering', 'nfs-ingress', 'iam', 'kubernetes', 'remove'].map(action =>
    templateOf(`request-id-only-${action}`, [step(action, {})]),
  ),
];

const template = (name: string) =>
  sandboxCatalog(forgedTemplates).find(e => e.metadata.name === name) as any;

describe('the approval cannot be sidestepped (real scaffolder, AWS emulator, Kubernetes double)', () => {
  let emulator: SeededEmulator;
  let portal: PortalBackend;
  const counter = new AwsCallCounter();
  let requestId: string;

  /** What an attacker's run must leave as it was: no AWS call, no Kubernetes call, no change. */
  async function expectUntouched<T extends { log: string }>(
    run: () => Promise<T>,
  ): Promise<T> {
    counter.reset();
    const kubeCalls = emulator.kubernetes.requests.length;
    const kube = emulator.kubernetes.store.snapshot();
    const before = await portal.api(
      USERS.approver,
      'get',
      `/requests/${requestId}`,
    );
    const outcome = await run();
    expect(counter.calls).toEqual([]);
    expect(emulator.kubernetes.requests.length).toBe(kubeCalls);
    expect(emulator.kubernetes.store.snapshot()).toEqual(kube);
    const after = await portal.api(
      USERS.approver,
      'get',
      `/requests/${requestId}`,
    );
    expect(after.body.status).toBe(before.body.status);
    return outcome;
  }

  beforeAll(async () => {
    emulator = await startSeededEmulator();
    portal = await startPortalBackend(emulator, {
      middleware: [counter.middleware],
      extraTemplates: forgedTemplates,
    });
    const asked = await portal.api(USERS.requester, 'post', '/requests', {
      fileSystemRef: 'resource:default/shared-efs',
      clusterRef: 'resource:default/apps-cluster',
      storageClassName: 'efs-shared',
      namespace: 'team-a',
      nfsIngressMode: 'cidr',
    });
    requestId = asked.body.id;
    const provisioned = await portal.run(
      USERS.approver,
      'cross-account-efs-provision',
      { requestId },
    );
    expectCompleted(provisioned);
  });
  afterAll(() => emulator?.stop());

  it('the request was provisioned by its approver, and its requester was told', async () => {
    const request = await portal.api(
      USERS.guest,
      'get',
      `/requests/${requestId}`,
    );
    expect(request.body).toMatchObject({
      status: 'provisioned',
      approver: USERS.approver,
    });
    expect(
      portal.notifications
        .filter(n => n.recipients.entityRef === USERS.requester)
        .map(n => n.payload.title),
    ).toEqual([
      'Your cross-account EFS request was approved',
      'Your cross-account EFS request is ready',
    ]);
  });

  describe.each([
    ['a guest', USERS.guest],
    ['the requester', USERS.requester],
    ['an approver', USERS.approver],
  ])('%s', (_who, user) => {
    it.each(forged)(
      'cannot pass forged values to %s (%s), in a dry run or a real run: refused before any call',
      async (action, _what, input) => {
        const runs: Array<() => Promise<{ log: string }>> = [
          () =>
            portal.dryRun(user, template(`forged-${action}`), { requestId }),
          () => portal.run(user, `forged-${action}`, { requestId }),
        ];
        for (const run of runs) {
          const outcome = await expectUntouched(run);
          // The scaffolder's own schema check refuses first; the action's
          // parse would too, were the action called another way (badInput).
          for (const field of Object.keys(input)) {
            expect(outcome.log).toContain(
              `instance is not allowed to have the additional property "${field}"`,
            );
          }
        }
      },
    );
  });

  describe.each([
    [
      'a guest',
      USERS.guest,
      'You do not have the cross-account-efs.request.approve permission',
    ],
    [
      'the requester',
      USERS.requester,
      'You do not have the cross-account-efs.request.approve permission',
    ],
  ])('%s', (_who, user, refusal) => {
    it.each(['peering', 'nfs-ingress', 'iam', 'kubernetes', 'remove'])(
      'cannot run %s on an approved request id, in a dry run or a real run: refused before any call',
      async action => {
        const runs: Array<() => Promise<{ log: string }>> = [
          () =>
            portal.dryRun(user, template(`request-id-only-${action}`), {
              requestId,
            }),
          () => portal.run(user, `request-id-only-${action}`, { requestId }),
        ];
        for (const run of runs) {
          const outcome = await expectUntouched(run);
          expect(outcome.log).toContain(refusal);
        }
      },
    );

    it("cannot run the catalog's deprovision template: its remove step is refused before any call, and the request stays provisioned", async () => {
      const outcome = await expectUntouched(() =>
        portal.run(user, 'cross-account-efs-deprovision', { requestId }),
      );
      expect(outcome).toMatchObject({
        status: 'failed',
        steps: ['request', 'remove'],
      });
      expect(outcome.log).toContain(refusal);
    });

    it("cannot run the catalog's provisioning template (repair): refused at its first step", async () => {
      const outcome = await expectUntouched(() =>
        portal.run(user, 'cross-account-efs-provision', { requestId }),
      );
      expect(outcome.steps).toEqual(['approve']);
    });
  });

  it('an approver who is the requester cannot provision their own request, even one already approved by someone else', async () => {
    // Approver 2 asks; approver 1 approves; approver 2 then tries to provision it.
    const asked = await portal.api(USERS.approver2, 'post', '/requests', {
      fileSystemRef: 'resource:default/shared-efs',
      clusterRef: 'resource:default/apps-cluster',
      storageClassName: 'efs-own',
      nfsIngressMode: 'cidr',
    });
    const own = asked.body.id;
    expect(
      (await portal.api(USERS.approver, 'post', `/requests/${own}/approve`))
        .status,
    ).toBe(200);
    counter.reset();
    const outcome = await portal.run(
      USERS.approver2,
      'request-id-only-peering',
      { requestId: own },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.log).toContain(
      `${USERS.approver2} asked for this connection and cannot provision it: another approver must.`,
    );
    expect(counter.calls).toEqual([]);
  });

  it('an unknown request id is not found (404), before any call', async () => {
    counter.reset();
    const outcome = await portal.run(USERS.approver, 'request-id-only-iam', {
      requestId: '00000000-0000-4000-8000-000000000000',
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.log).toContain(
      '404 No connection request 00000000-0000-4000-8000-000000000000',
    );
    expect(counter.calls).toEqual([]);
  });
});
