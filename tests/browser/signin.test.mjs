// Headless Chromium: sign in through the mock provider and reach the dashboard,
// then add funds and see them in the ledger. Saves screenshots under
// GSP_SCREENSHOT_DIR. Run by scripts/test.sh with GSP_TEST_BASE_URL set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { base, launch, shots, signIn } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("sign in with the mock Google provider and reach the dashboard", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const email = `browser-${Date.now()}@example.com`;
  await page.goto(`${base}/billing`);
  assert.match(page.url(), /\/auth\/login\?next=%2Fbilling/);
  await page.screenshot({ path: `${shots}/screenshot-login.png`, fullPage: true });
  await page.getByRole("link", { name: "Continue with Google" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/billing$/);
  await page.getByRole("link", { name: "Servers", exact: true }).click();
  await page.waitForURL(/\/dashboard$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Your servers");
  assert.ok((await page.textContent("header")).includes(email));
  await page.screenshot({ path: `${shots}/screenshot-dashboard.png`, fullPage: true });
  await page.close();
});

test("add funds from the billing page and see the ledger", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await signIn(page, `funds-${Date.now()}@example.com`, "/billing", "microsoft");
  await page.getByLabel(/Amount in dollars/).fill("42");
  await page.getByRole("button", { name: "Add funds" }).click();
  await page.waitForURL(/\/billing$/);
  assert.equal((await page.textContent("#balance")).trim(), "$47.00");
  assert.match(await page.textContent("[role=status]"), /Added \$42\.00/);
  assert.match(await page.textContent("#ledger"), /DEPOSIT/);
  await page.screenshot({ path: `${shots}/screenshot-billing.png`, fullPage: true });
  await page.close();
});
