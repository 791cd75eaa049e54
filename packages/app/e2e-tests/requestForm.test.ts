import { expect, Page, test } from '@playwright/test';
import { signInAs } from './signIn';

const shots = 'test-output/screenshots';
// Unique per run: the sandbox keeps requests while it runs.
const storageClass = `efs-browser-${Date.now().toString(36)}`;

async function pick(page: Page, label: string, text: string) {
  const input = page.getByRole('textbox', { name: label });
  await input.click();
  await input.fill(text);
  await page
    .getByRole('option', { name: new RegExp(text, 'i') })
    .first()
    .click();
}

test('the requester fills the request form, sees preflight refuse a bad cluster, and submits; the approver reaches the review step', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const requester = await browser.newPage();
  await signInAs(requester, 'Requester');
  await requester.goto('/create/templates/default/cross-account-efs-request');
  await expect(
    requester.getByText('Request shared EFS storage for a cluster').first(),
  ).toBeVisible();

  await pick(requester, 'EFS file system', 'Shared EFS');
  // The legacy cluster's VPC overlaps the file system's: preflight says so, and Next is refused.
  await pick(requester, 'EKS cluster', 'Legacy EKS');
  await expect(requester.getByTestId('preflight-problems')).toBeVisible();
  await expect(requester.getByTestId('preflight-problems')).toContainText(
    'overlap',
  );
  await requester.screenshot({
    path: `${shots}/request-form-preflight-error.png`,
    fullPage: true,
  });
  await requester.getByRole('button', { name: 'Next' }).click();
  await expect(
    requester.getByText(/Preflight found \d+ problem/).first(),
  ).toBeVisible();

  await pick(requester, 'EKS cluster', 'Apps EKS');
  await expect(requester.getByTestId('preflight-ok')).toBeVisible();
  // Nothing else joins the sandbox's VPCs: discovery suggests a peering.
  await expect(requester.getByTestId('preflight-recommendation')).toContainText(
    'Recommended connectivity: peering.',
  );
  await requester.screenshot({
    path: `${shots}/request-form.png`,
    fullPage: true,
  });
  await requester.getByRole('button', { name: 'Next' }).click();

  await requester
    .getByRole('textbox', { name: 'StorageClass name' })
    .fill(storageClass);
  await requester
    .getByRole('textbox', { name: 'Namespace' })
    .fill('team-browser');
  await requester.getByRole('button', { name: 'Next' }).click();
  await requester.getByRole('button', { name: 'Review' }).click();
  await requester.screenshot({
    path: `${shots}/request-form-review.png`,
    fullPage: true,
  });
  await requester.getByRole('button', { name: 'Create' }).click();
  await expect(requester.getByText(/is \*?\*?pending/).first()).toBeVisible({
    timeout: 60_000,
  });

  const approver = await browser.newPage();
  await signInAs(approver, 'Approver');
  await approver.goto('/cross-account-efs/requests');
  const row = approver.getByRole('row').filter({ hasText: storageClass });
  await expect(row).toContainText('pending');
  // Entity refs render as links with the entity's title.
  await expect(
    row.getByRole('link', { name: /Riley Requester/ }),
  ).toBeVisible();
  await approver.screenshot({
    path: `${shots}/requests-page.png`,
    fullPage: true,
  });
  await row.getByRole('link', { name: 'Review and provision' }).click();

  await expect(approver.getByTestId('request-review')).toContainText(
    'Riley Requester',
  );
  await expect(approver.getByTestId('request-review')).toContainText(
    'efs-browser',
  );
  await expect(approver.getByTestId('request-review')).toContainText(
    'Connectivity VPC peering',
  );
  await approver.getByRole('button', { name: 'Review' }).click();
  await expect(approver.getByRole('button', { name: 'Create' })).toBeVisible();
  // The review step lists the request and its plan, grouped by account and layer.
  await expect(
    approver.getByText('account 222222222222').first(),
  ).toBeVisible();
  await expect(
    approver
      .getByText(`create storage-class: ${storageClass}`, { exact: false })
      .first(),
  ).toBeVisible();
  await approver.screenshot({
    path: `${shots}/provision-review-step.png`,
    fullPage: true,
  });
});
