import { expect, Page } from '@playwright/test';

export type SandboxUser = 'Guest' | 'Requester' | 'Approver';

/** Signs in as a sandbox user and waits until the session is in place. */
export async function signInAs(page: Page, user: SandboxUser) {
  await page.goto('/');
  await page.getByRole('button', { name: user, exact: true }).click();
  // Signed in once the catalog (the home page) renders; navigating earlier loses the session.
  await expect(
    page.getByRole('heading', { name: 'Sandbox Catalog' }),
  ).toBeVisible();
}

export const signInAsGuest = (page: Page) => signInAs(page, 'Guest');
