import { expect, test } from '@playwright/test';
import { BACKEND, requestIdOf, runTemplate, tokenOf } from './sandboxApi';

/**
 * The whole flow through the real scaffolder backend and the real templates
 * against the sandbox, as two users; then the security rules around it.
 */
test.describe.configure({ mode: 'serial' });

const values = {
  fileSystemRef: 'resource:default/shared-efs',
  clusterRef: 'resource:default/apps-cluster',
  storageClassName: 'efs-api',
  namespace: 'team-api',
  directoryPerms: '770',
  nfsIngressMode: 'cidr',
  workloadIdentity: 'irsa',
};

let requestId: string;

test('requests and the requests API refuse unauthenticated calls (401)', async ({
  request,
}) => {
  for (const [method, path] of [
    ['get', '/requests'],
    ['post', '/requests'],
    ['post', '/preflight'],
  ] as const) {
    const res = await request[method](
      `${BACKEND}/api/cross-account-efs${path}`,
      { data: {} },
    );
    expect(res.status(), `${method} ${path}`).toBe(401);
  }
});

test('request as the requester, approve and provision as the approver, provision again, then remove', async ({
  request,
}) => {
  test.setTimeout(180_000);
  const requester = await tokenOf(request, 'sandbox-requester');
  const approver = await tokenOf(request, 'sandbox-approver');

  const asked = await runTemplate(
    request,
    requester,
    'cross-account-efs-request',
    values,
  );
  expect(asked.status).toBe('completed');
  requestId = requestIdOf(asked);

  // Not even the requester's own run of the provisioning template gets past the approval.
  const own = await runTemplate(
    request,
    requester,
    'cross-account-efs-provision',
    { requestId },
  );
  expect(own.status).toBe('failed');
  expect(own.steps).toEqual(['approve']);
  expect(own.logs.join('\n')).toContain('403');

  const provisioned = await runTemplate(
    request,
    approver,
    'cross-account-efs-provision',
    { requestId },
  );
  expect(provisioned.status, provisioned.logs.join('\n')).toBe('completed');
  expect(provisioned.steps).toEqual([
    'approve',
    'iam',
    'csiDriver',
    'peering',
    'routes',
    'nfs',
    'dns',
    'kubernetes',
    'verify',
  ]);
  expect(JSON.stringify(provisioned.output)).toContain('Health: **ok**');
  // eslint-disable-next-line no-console
  console.log(
    `end to end: request ${asked.seconds}s, approve + provision + verify ${provisioned.seconds}s`,
  );

  const recorded = await (
    await request.get(
      `${BACKEND}/api/cross-account-efs/requests/${requestId}`,
      { headers: { authorization: `Bearer ${requester}` } },
    )
  ).json();
  expect(recorded).toMatchObject({
    status: 'provisioned',
    requester: 'user:default/requester',
    approver: 'user:default/approver',
  });

  const again = await runTemplate(
    request,
    approver,
    'cross-account-efs-provision',
    { requestId },
  );
  expect(again.status).toBe('completed');
  // Every mutating layer found nothing to change.
  expect(again.logs.filter(l => l.includes('nothing to change'))).toHaveLength(
    7,
  );

  const removed = await runTemplate(
    request,
    approver,
    'cross-account-efs-deprovision',
    { requestId },
  );
  expect(removed.status, removed.logs.join('\n')).toBe('completed');
  expect(removed.logs.join('\n')).toContain('delete storage-class');
  const after = await (
    await request.get(
      `${BACKEND}/api/cross-account-efs/requests/${requestId}`,
      { headers: { authorization: `Bearer ${approver}` } },
    )
  ).json();
  expect(after.status).toBe('removed');
});

test('an approver cannot approve their own request', async ({ request }) => {
  const approver = await tokenOf(request, 'sandbox-approver');
  const asked = await runTemplate(
    request,
    approver,
    'cross-account-efs-request',
    { ...values, storageClassName: 'efs-own' },
  );
  expect(asked.status).toBe('completed');
  const ownId = requestIdOf(asked);
  const own = await runTemplate(
    request,
    approver,
    'cross-account-efs-provision',
    { requestId: ownId },
  );
  expect(own.status).toBe('failed');
  expect(own.steps).toEqual(['approve']);
  expect(own.logs.join('\n')).toContain(
    'cannot approve it: another approver must',
  );
});

test('the provisioning actions refuse an unapproved request, before any AWS call', async ({
  request,
}) => {
  const requester = await tokenOf(request, 'sandbox-requester');
  const approver = await tokenOf(request, 'sandbox-approver');
  const asked = await runTemplate(
    request,
    requester,
    'cross-account-efs-request',
    { ...values, storageClassName: 'efs-pending' },
  );
  const pendingId = requestIdOf(asked);
  // Deprovisioning has no approval step: its remove action has the backend check the request itself.
  const removal = await runTemplate(
    request,
    approver,
    'cross-account-efs-deprovision',
    {
      requestId: pendingId,
    },
  );
  expect(removal.status).toBe('failed');
  expect(removal.steps).toEqual(['request', 'remove']);
  expect(removal.logs.join('\n')).toContain(
    `Request ${pendingId} is pending and not approved; remove runs only for a request that is approved, provisioned, failed, removing.`,
  );
});
