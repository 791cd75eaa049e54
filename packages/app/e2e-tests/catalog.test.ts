import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('a guest sees the sandbox file system and cluster in the catalog', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/?filters%5Bkind%5D=resource&filters%5Buser%5D=all');
  await expect(
    page.getByRole('link', { name: 'Shared EFS (shared-services)' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Apps EKS cluster' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-output/screenshots/catalog-resources.png',
    fullPage: true,
  });

  await page
    .getByRole('link', { name: 'Shared EFS (shared-services)' })
    .click();
  await expect(page.getByText('efs-file-system')).toBeVisible();
});
