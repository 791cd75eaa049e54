import { expect, Page, test } from '@playwright/test';
import {
  BACKEND,
  requestIdOf,
  runTemplate,
  kubectl,
  tokenOf,
} from './sandboxApi';
import { signInAs } from './signIn';

const shots = 'test-output/screenshots';

/** Opens the provisioning template from the request's row, reviews and creates it, and waits for the task's healthy end. */
async function provisionFromRow(page: Page, button: string) {
  await page.getByRole('link', { name: button }).click();
  // The scaffolder's pages load slowly in the development server.
  await expect(page.getByTestId('request-review')).toBeVisible({
    timeout: 120_000,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText(/Health:/).first()).toBeVisible({
    timeout: 120_000,
  });
}

test('a request whose provisioning failed shows where and why, Retry finishes it, Repair is offered once provisioned, and Remove reviews the removal plan', async ({
  page,
  request,
}) => {
  test.setTimeout(600_000);
  const requester = await tokenOf(request, 'sandbox-requester');
  const approver = await tokenOf(request, 'sandbox-approver');
  const storageClassName = `efs-retry-${Date.now().toString(36)}`;
  const asked = await runTemplate(
    request,
    requester,
    'cross-account-efs-request',
    {
      fileSystemRef: 'resource:default/shared-efs',
      clusterRef: 'resource:default/apps-cluster',
      storageClassName,
      namespace: 'team-retry',
      directoryPerms: '700',
      nfsIngressMode: 'cidr',
    },
  );
  const requestId = requestIdOf(asked);
  const statusOf = async (id: string) =>
    (
      await (
        await request.get(`${BACKEND}/api/cross-account-efs/requests/${id}`, {
          headers: { authorization: `Bearer ${approver}` },
        })
      ).json()
    ).status;

  // Someone made a StorageClass of that name by hand: the plan gate refuses
  // provisioning before its first change, and the request records why.
  kubectl(
    ['create', '--validate=false', '-f', '-'],
    JSON.stringify({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: storageClassName },
      provisioner: 'example.com/other',
    }),
  );
  const refused = await runTemplate(
    request,
    approver,
    'cross-account-efs-provision',
    { requestId },
  );
  expect(refused.status).toBe('failed');
  expect(refused.steps).toEqual(['approve', 'iam']);

  await signInAs(page, 'Approver');
  await page.goto(`/cross-account-efs/requests?id=${requestId}`);
  const row = page.getByRole('row').filter({ hasText: storageClassName });
  await expect(row).toContainText('failed');
  await expect(row).toContainText('at iam');
  await page.screenshot({
    path: `${shots}/requests-failed.png`,
    fullPage: true,
  });
  await expect(row.getByRole('link', { name: 'Retry' })).toBeVisible();
  await expect(row.getByRole('link', { name: 'Remove' })).toBeVisible();

  // The blocker goes; Retry resumes provisioning from the request.
  kubectl(['delete', 'storageclass', storageClassName]);
  await provisionFromRow(page, 'Retry');
  await page.screenshot({ path: `${shots}/retry-task.png`, fullPage: true });
  await expect
    .poll(() => statusOf(requestId), { timeout: 120_000 })
    .toBe('provisioned');

  await page.goto(`/cross-account-efs/requests?id=${requestId}`);
  const done = page.getByRole('row').filter({ hasText: storageClassName });
  await expect(done).toContainText('provisioned');
  await expect(done.getByRole('link', { name: 'Repair' })).toBeVisible();
  await page.screenshot({
    path: `${shots}/requests-provisioned.png`,
    fullPage: true,
  });

  // Repair: provisioning again from the request changes nothing that is healthy.
  await provisionFromRow(page, 'Repair');
  await expect
    .poll(() => statusOf(requestId), { timeout: 120_000 })
    .toBe('provisioned');
  const after = await runTemplate(
    request,
    approver,
    'cross-account-efs-provision',
    { requestId },
  );
  expect(after.status).toBe('completed');
  expect(after.logs.filter(l => l.includes('nothing to change'))).toHaveLength(
    7,
  );

  // Remove: the review shows what removal would change now (not what
  // provisioning made), and creating it removes the connection.
  await page.goto(`/cross-account-efs/requests?id=${requestId}`);
  await page
    .getByRole('row')
    .filter({ hasText: storageClassName })
    .getByRole('link', { name: 'Remove' })
    .click();
  const review = page.getByTestId('request-review');
  await expect(review).toBeVisible({ timeout: 120_000 });
  await expect(
    review.getByText(/Removal plan, in order: \d+ changes/),
  ).toBeVisible();
  await expect(
    review
      .getByRole('row')
      .filter({ hasText: 'storage-class' })
      .filter({ hasText: storageClassName }),
  ).toContainText('delete');
  await page.screenshot({
    path: `${shots}/removal-review.png`,
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect
    .poll(() => statusOf(requestId), { timeout: 180_000 })
    .toBe('removed');
});
