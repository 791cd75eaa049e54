import { expect, test } from '@playwright/test';
import {
  BACKEND,
  requestIdOf,
  runTemplate,
  kubectl,
  tokenOf,
} from './sandboxApi';
import { signInAs } from './signIn';

const shots = 'test-output/screenshots';

test('the file system page shows each connection healthy, then the broken layer with its remedy', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const requester = await tokenOf(request, 'sandbox-requester');
  const approver = await tokenOf(request, 'sandbox-approver');
  const storageClassName = `efs-card-${Date.now().toString(36)}`;
  const values = {
    fileSystemRef: 'resource:default/shared-efs',
    clusterRef: 'resource:default/apps-cluster',
    storageClassName,
    namespace: 'team-card',
    directoryPerms: '700',
    nfsIngressMode: 'cidr',
  };
  const asked = await runTemplate(
    request,
    requester,
    'cross-account-efs-request',
    values,
  );
  const requestId = requestIdOf(asked);
  const provision = () =>
    runTemplate(request, approver, 'cross-account-efs-provision', {
      requestId,
    });
  expect((await provision()).status).toBe('completed');
  const refresh = async () => {
    const res = await request.post(
      `${BACKEND}/api/cross-account-efs/health/${requestId}/refresh`,
      {
        headers: { authorization: `Bearer ${approver}` },
      },
    );
    expect(res.ok()).toBeTruthy();
    return (await res.json()).snapshot;
  };
  expect((await refresh()).status).toBe('ok');

  await signInAs(page, 'Approver');
  await page.goto('/catalog/default/resource/shared-efs');
  const card = page
    .getByText('Cross-account EFS connections')
    .locator('xpath=ancestor::*[contains(@class,"MuiCard-root")][1]');
  const row = card
    .getByTestId('connection-resource:default/apps-cluster')
    .filter({ hasText: storageClassName });
  await expect(row).toContainText('ok');
  await row.getByText('resource:default/apps-cluster').click();
  await expect(row).toContainText('Secret x-account names');
  await row.screenshot({ path: `${shots}/health-card-healthy.png` });

  // The seed's own check (step 11.4), with real kubectl against the cluster:
  // the class and the test claim Bound to its volume (the pod that wrote to
  // it is gone once it succeeded).
  const seen = kubectl(['get', 'sc,pvc,pv,pods', '-n', 'team-card']);
  expect(seen).toMatch(
    new RegExp(
      `storageclass.storage.k8s.io/${storageClassName}\\s+efs.csi.aws.com`,
    ),
  );
  expect(seen).toMatch(
    /persistentvolumeclaim\/cross-account-efs-check\s+Bound\s+pvc-/,
  );
  expect(seen).toMatch(
    /persistentvolume\/pvc-\S+\s+1Mi\s+RWX\s+(Delete|Retain)\s+Bound\s+team-card\/cross-account-efs-check/,
  );
  await page.screenshot({
    path: `${shots}/health-card-page.png`,
    fullPage: true,
  });

  // Break one thing: the driver's secret goes.
  kubectl(['delete', 'secret', 'x-account', '-n', 'kube-system']);
  const broken = await refresh();
  expect(
    broken.results
      .filter((r: any) => r.status === 'error')
      .map((r: any) => r.layer),
  ).toEqual(['kubernetes']);

  await page.reload();
  const brokenRow = page
    .getByTestId('connection-resource:default/apps-cluster')
    .filter({ hasText: storageClassName });
  await expect(brokenRow).toContainText('error');
  await brokenRow.getByText('resource:default/apps-cluster').click();
  await expect(brokenRow).toContainText('x-account is missing');
  await expect(brokenRow).toContainText('Fix: Re-run provisioning');
  await brokenRow.screenshot({ path: `${shots}/health-card-broken.png` });

  // As the remedy says: provisioning again repairs it.
  expect((await provision()).status).toBe('completed');
  expect((await refresh()).status).toBe('ok');

  // The cluster's page lists the same connection, by its file system.
  await page.goto('/catalog/default/resource/apps-cluster');
  const clusterRow = page
    .getByTestId('connection-resource:default/shared-efs')
    .filter({ hasText: storageClassName });
  await expect(clusterRow).toContainText('ok');
  await clusterRow.screenshot({ path: `${shots}/health-card-cluster.png` });
});
