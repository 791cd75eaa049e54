import { expect, Page } from '@playwright/test';

/** Signs in as the sandbox guest and waits until the session is in place. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the catalog (the home page) renders; navigating earlier loses the session.
  await expect(
    page.getByRole('heading', { name: 'Sandbox Catalog' }),
  ).toBeVisible();
}
