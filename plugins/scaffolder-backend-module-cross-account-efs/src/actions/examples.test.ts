import { AwsCallCounter } from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import yaml from 'yaml';
import {
  expectCompleted,
  portalPerTest,
  sandboxCatalog,
  templateOf,
  USERS,
} from '../__testUtils__/portalBackend';
import { actionsForListing } from '../__testUtils__/actionsForListing';

jest.setTimeout(300_000);

const all = actionsForListing();
const cases = all.flatMap(action =>
  (action.examples ?? []).map((example, i) => ({
    id: action.id,
    description: example.description,
    steps: yaml.parse(example.example).steps as Array<{
      id: string;
      action: string;
    }>,
    template: `example-${action.id.replace(/:/g, '-')}-${i}`,
  })),
);

/** Each example as a catalog template; its output is every step's output. */
const exampleTemplates = cases.map(c => ({
  ...templateOf(c.template, c.steps),
  spec: {
    ...(templateOf(c.template, c.steps).spec as object),
    output: Object.fromEntries(
      c.steps.map(s => [s.id, `\${{ steps['${s.id}'].output | dump }}`]),
    ),
  },
}));

/**
 * Requests use the CIDR NFS rule: the emulator refuses a security group
 * reference across accounts, and the backend's own health check must see
 * the rule for real (the layer's tests cover the group mode with a double).
 */
describe('action examples (run by the real scaffolder on the AWS emulator and the Kubernetes double)', () => {
  const counter = new AwsCallCounter();
  const sandbox = portalPerTest(
    () => ({
      middleware: [counter.middleware],
      extraTemplates: exampleTemplates,
    }),
    () => counter.reset(),
  );
  const newRequest = () => sandbox.portal.ask();

  it('gives every action at least one example', () => {
    expect(new Set(cases.map(c => c.id))).toEqual(new Set(all.map(a => a.id)));
    expect(sandboxCatalog(exampleTemplates).length).toBeGreaterThan(
      cases.length,
    );
  });

  it.each(cases.map(c => [c.id, c.description, c] as const))(
    '%s: %s',
    async (_id, _description, c) => {
      const requestId = await newRequest();
      if (c.id === 'cross-account-efs:remove') {
        const provisioned = await sandbox.portal.run(
          USERS.approver,
          'cross-account-efs-provision',
          { requestId },
        );
        expectCompleted(provisioned);
      }
      const user =
        c.id === 'cross-account-efs:request:create'
          ? USERS.requester
          : USERS.approver;
      const outcome = await sandbox.portal.run(user, c.template, { requestId });
      expectCompleted(outcome);
      expect(outcome.steps).toEqual(c.steps.map(s => s.id));

      const request = await sandbox.portal.api(
        USERS.requester,
        'get',
        `/requests/${requestId}`,
      );
      const expected: Record<string, string> = {
        'cross-account-efs:verify': 'provisioned',
        'cross-account-efs:remove': 'removed',
        'cross-account-efs:request:create': 'pending',
        'cross-account-efs:request:get': 'pending',
        'cross-account-efs:efs:discover': 'pending',
        'cross-account-efs:eks:discover': 'pending',
        'cross-account-efs:preflight': 'pending',
        'cross-account-efs:request:approve': 'approved',
      };
      expect(request.body.status).toBe(expected[c.id] ?? 'provisioning');
    },
  );

  it('a dry run of the whole provisioning template plans every layer and changes nothing', async () => {
    const requestId = await newRequest();
    const before = sandbox.emulator.kubernetes.store.snapshot();
    const provision = sandboxCatalog().find(
      e => e.metadata.name === 'cross-account-efs-provision',
    )!;
    const run = await sandbox.portal.dryRun(USERS.approver, provision as any, {
      requestId,
    });
    expectCompleted(run);
    expect(counter.mutating).toEqual([]);
    expect(sandbox.emulator.kubernetes.store.snapshot()).toEqual(before);
    const planned = run.log
      .split('\n')
      .filter(l => / would (create|update|delete) /.test(l))
      .map(l => l.split(' ')[0]);
    expect([...new Set(planned)]).toEqual([
      'iam',
      'csiDriver',
      'peering',
      'routes',
      'nfs',
      'dns',
      'kubernetes',
    ]);
    const request = await sandbox.portal.api(
      USERS.requester,
      'get',
      `/requests/${requestId}`,
    );
    expect(request.body.status).toBe('pending');
  });
});
