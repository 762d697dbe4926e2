// What the complaint specs (complaints.spec.ts, complaints_paths.spec.ts)
// share: confirming the console's action dialog, and checking that a page
// holds no trace of who complained.
import { expect, type Page } from "@playwright/test";

// Confirms the open action dialog and waits for it to close (it stays open
// on a refusal).
export async function confirm(page: Page): Promise<void> {
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("dialog")).toHaveCount(0);
}

// Neither the page's text nor its markup holds any of `secrets` (the
// complainant's name and phone).
export async function expectNoneOf(page: Page, secrets: string[]): Promise<void> {
  const text = await page.locator("body").innerText();
  const markup = await page.content();
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(markup).not.toContain(secret);
  }
}
