// What the browser tests share: Debian's Chromium, launched headless the way
// this closed network needs (no background networking), and signing in.
import { chromium } from "playwright-core";

export const base = process.env.GSP_TEST_BASE_URL;
export const shots = process.env.GSP_SCREENSHOT_DIR || ".";

export function launch() {
  if (!base) throw new Error("GSP_TEST_BASE_URL is not set: run scripts/test.sh");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Signs in on the mock consent page of `provider` and waits to land on `next`.
export async function signIn(page, email, next, provider = "google") {
  await page.goto(`${base}/auth/mock/${provider}?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.pathname + url.search === next);
}
