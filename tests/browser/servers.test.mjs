// Headless Chromium: create a Demo Game server from the form, connect a TCP
// client to its address, and watch its page update itself to RUNNING.
// Needs the Docker engine and images that scripts/test.sh prepares.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { base, launch, shots, signIn } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Sends `text` to 127.0.0.1:port and resolves with what comes back.
function echo(port, text, timeoutMs) {
  return new Promise((resolve, reject) => {
    let got = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no echo after ${timeoutMs} ms, got "${got}"`)); }, timeoutMs);
    socket.on("data", (d) => {
      got += d.toString();
      if (got.length >= text.length) { clearTimeout(timer); socket.end(); resolve(got); }
    });
    socket.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

test("create a server from the form; its page turns RUNNING after a player connects", async () => {
  // One context, two tabs sharing the session: the server page and the dashboard.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await signIn(page, `creator-${Date.now()}@example.com`, "/servers/create");
  await page.getByText("Demo Game", { exact: true }).click();
  await page.getByLabel("Server name").fill("Browser world");
  await page.screenshot({ path: `${shots}/screenshot-create-server.png`, fullPage: true });
  await page.getByRole("button", { name: "Create server" }).click();
  await page.waitForURL(/\/servers\/\d+$/);
  // gsp-agent makes the containers while the page shows the job; it settles on SLEEPING.
  const first = (await page.textContent("#server-state")).trim();
  assert.ok(first === "CREATING" || first === "SLEEPING", `state ${first}`);
  if (first === "CREATING") assert.match(await page.textContent("#server-job"), /Creating the server/);
  await page.getByRole("button", { name: "Wake now" }).waitFor({ timeout: 60000 });
  assert.equal((await page.textContent("#server-state")).trim(), "SLEEPING");
  const address = (await page.textContent("#server-address")).trim();
  const port = Number(address.split(":").pop());
  assert.ok(port > 0, `no port in "${address}"`);

  // A second tab on the dashboard watches the same server without reloading.
  const dashboard = await context.newPage();
  await dashboard.goto(`${base}/dashboard`);
  const badge = dashboard.locator(".state", { hasText: /^(SLEEPING|STARTING|RUNNING)$/ }).last();
  assert.equal((await badge.textContent()).trim(), "SLEEPING");

  assert.equal(await echo(port, "hello from the browser test\n", 60000), "hello from the browser test\n");
  await page.waitForFunction(() => document.getElementById("server-state")?.textContent.trim() === "RUNNING",
                             null, { timeout: 60000 });
  // The page reloads itself once the state settles, offering the actions of the new state.
  await page.getByRole("button", { name: "Put to sleep" }).waitFor({ timeout: 15000 });
  assert.match(await page.textContent(".timeline"), /woken by a player/);
  await page.screenshot({ path: `${shots}/screenshot-server-running.png`, fullPage: true });
  await dashboard.waitForFunction(() => [...document.querySelectorAll("[data-live-state]")].some((b) => b.textContent === "RUNNING"),
                                  null, { timeout: 15000 });

  // Put it to sleep from its page; the dashboard follows.
  await page.getByRole("button", { name: "Put to sleep" }).click();
  await page.waitForFunction(() => document.getElementById("server-state")?.textContent.trim() === "SLEEPING",
                             null, { timeout: 60000 });
  await dashboard.waitForFunction(() => [...document.querySelectorAll("[data-live-state]")].every((b) => b.textContent === "SLEEPING"),
                                  null, { timeout: 15000 });
  await dashboard.screenshot({ path: `${shots}/screenshot-dashboard-servers.png`, fullPage: true });
  await context.close();
});

// A TCP relay from 127.0.0.1:listenPort to the test registry that sends the
// registry's answers at most `bytesPerSecond`: a pull from it lasts long enough
// for the page to show its progress.
function slowRelay(listenPort, registryPort, bytesPerSecond) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((client) => {
      const upstream = net.connect(registryPort, "127.0.0.1");
      client.pipe(upstream);
      let sentThisSecond = 0;
      let windowStart = Date.now();
      upstream.on("data", (chunk) => {
        client.write(chunk);
        sentThisSecond += chunk.length;
        const elapsed = Date.now() - windowStart;
        if (elapsed >= 1000) { windowStart = Date.now(); sentThisSecond = chunk.length; }
        if (sentThisSecond >= bytesPerSecond) {
          upstream.pause();
          setTimeout(() => { windowStart = Date.now(); sentThisSecond = 0; upstream.resume(); }, Math.max(0, 1000 - elapsed));
        }
      });
      upstream.on("end", () => client.end());
      for (const s of [client, upstream]) s.on("error", () => { client.destroy(); upstream.destroy(); });
    });
    server.on("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve(server));
  });
}

test("a server whose game is not on the host shows its download, then sleeps", async () => {
  const relayPort = Number(process.env.GSP_TEST_RELAY_PORT);
  const registryPort = Number(process.env.GSP_TEST_REGISTRY_PORT);
  assert.ok(relayPort && registryPort, "GSP_TEST_RELAY_PORT and GSP_TEST_REGISTRY_PORT come from scripts/test.sh");
  const relay = await slowRelay(relayPort, registryPort, 6 << 20);  // 40 MB at 6 MB/s: about 7 s
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await signIn(page, `puller-${Date.now()}@example.com`, "/servers/create");
    await page.getByText("Demo Game (big download)", { exact: true }).click();
    await page.getByLabel("Server name").fill("Downloaded world");
    await page.getByRole("button", { name: "Create server" }).click();
    await page.waitForURL(/\/servers\/\d+$/);
    // The status poll brings the job's progress: "Creating the server: Downloading the game: 12 of 40 MB".
    await page.waitForFunction(() => /Downloading the game: \d+ of \d+ MB/.test(document.getElementById("server-job")?.textContent || ""),
                               null, { timeout: 60000 });
    const line = await page.textContent("#server-job");
    const [, done, total] = line.match(/(\d+) of (\d+) MB/).map(Number);
    assert.ok(total >= 40 && done <= total, line);
    await page.screenshot({ path: `${shots}/screenshot-server-downloading.png`, fullPage: true });
    await page.getByRole("button", { name: "Wake now" }).waitFor({ timeout: 120000 });
    assert.equal((await page.textContent("#server-state")).trim(), "SLEEPING");
    await context.close();
  } finally {
    relay.close();
  }
});
