import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the cross-account EFS actions are listed with their schemas at /create/actions', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/create/actions');
  for (const id of [
    'cross-account-efs:efs:discover',
    'cross-account-efs:eks:discover',
    'cross-account-efs:preflight',
    'cross-account-efs:peering',
    'cross-account-efs:routes',
    'cross-account-efs:nfs-ingress',
    'cross-account-efs:dns',
    'cross-account-efs:iam',
    'cross-account-efs:csi-driver',
    'cross-account-efs:kubernetes',
    'cross-account-efs:verify',
    'cross-account-efs:remove',
  ]) {
    await expect(page.getByText(id, { exact: true }).first()).toBeVisible();
  }
  // Expanding an action shows its input and output schema.
  await page
    .getByText('cross-account-efs:routes', { exact: true })
    .first()
    .click();
  // Its only input is the request: everything else comes from the approved record.
  await expect(page.getByText('requestId').first()).toBeVisible();
  await expect(
    page
      .getByText('Every route that now goes through the peering connection')
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-output/screenshots/create-actions.png',
    fullPage: false,
  });
});
