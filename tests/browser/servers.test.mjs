// Headless Chromium: create a Demo Game server from the form, connect a TCP
// client to its address, and watch its page update itself to RUNNING; a
// server's page drawing a day of its stats history.
// Needs the Docker engine and images that scripts/test.sh prepares.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { execFileSync } from "node:child_process";
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

// Runs SQL on the test database (GSP_TEST_SQL: a mariadb command line); its output.
function sql(statement) {
  return execFileSync("/bin/sh", ["-c", `${process.env.GSP_TEST_SQL} -N -e "$1"`, "sh", statement]).toString().trim();
}

test("a server's page draws a day of its history as three charts, with the sleep as a gap", async () => {
  // A reader in Berlin: the charts' times are shown in their zone, not in UTC.
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, timezoneId: "Europe/Berlin" });
  const page = await context.newPage();
  await signIn(page, `charts-${Date.now()}@example.com`, "/servers/create");
  await page.getByText("Demo Game", { exact: true }).click();
  await page.getByLabel("Server name").fill("Charted world");
  await page.getByRole("button", { name: "Create server" }).click();
  await page.waitForURL(/\/servers\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await page.getByRole("button", { name: "Wake now" }).waitFor({ timeout: 60000 });
  // A day of minute samples, as the lifecycle's passes store them, asleep from 5 to 8 hours ago.
  sql(`INSERT INTO stats_samples (server_id, sampled_at, cpu_percent, memory_bytes, players, net_in_bytes, net_out_bytes)
       SELECT ${id}, UTC_TIMESTAMP() - INTERVAL seq MINUTE, 12 + 10 * SIN(seq / 45), (40 + 8 * SIN(seq / 120)) * 1048576,
              IF(MOD(seq, 240) < 150, 1 + MOD(seq DIV 30, 3), 0), 1000, 5000
       FROM seq_0_to_1439 WHERE seq NOT BETWEEN 300 AND 480`);
  await page.goto(`${base}/servers/${id}?range=24h#activity`);
  const charts = page.locator("#server-charts svg.chart");
  assert.equal(await charts.count(), 3);
  for (const label of ["CPU", "Memory", "Players"]) {
    const svg = page.locator(`#server-charts svg[aria-label="${label}"]`);
    assert.equal(await svg.count(), 1, label);
    // The sleep splits the line: two runs of points (a path each), not a drop to zero.
    const runs = await svg.locator("path.chart-line").count();
    assert.ok(runs >= 2, `${label}: ${runs} line(s) over the gap`);
  }
  // The script wrote the times in the reader's zone over the UTC ones.
  await page.waitForFunction(() => /^(CET|CEST|GMT\+[12])$/.test(document.querySelector("text.chart-tz")?.textContent),
                             null, { timeout: 5000 });
  await page.locator("#activity").screenshot({ path: `${shots}/screenshot-server-charts.png` });
  // The 7-day view reads the hourly rows; 1 h the minute samples.
  await page.getByRole("link", { name: "1h" }).click();
  await page.waitForURL(/range=1h/);
  assert.equal(await page.locator("#server-charts svg.chart").count(), 3);
  await context.close();
});

test("a backup taken from the server's page shows its progress, then its finished row", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, `backups-${Date.now()}@example.com`, "/servers/create");
  await page.getByText("Demo Game", { exact: true }).click();
  await page.getByLabel("Server name").fill("Backed up world");
  await page.getByRole("button", { name: "Create server" }).click();
  await page.waitForURL(/\/servers\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await page.getByRole("button", { name: "Wake now" }).waitFor({ timeout: 60000 });
  // 400 MB of random bytes in its data folder, so the backup takes long enough to watch.
  const game = sql(`SELECT game_container_id FROM servers WHERE id = ${id}`);
  execFileSync("/bin/sh", ["-c", "head -c 400000000 /dev/urandom > \"$1/big.bin\" && docker cp \"$1/big.bin\" \"$2:/data/big.bin\" && rm \"$1/big.bin\"",
                           "sh", shots, game]);
  await page.getByRole("button", { name: "Back up now" }).click();
  await page.waitForURL(/\/servers\/\d+(#backups)?$/);
  // The row follows the job: bytes read and stored while it runs.
  await page.waitForFunction(() => /MB read, [\d.]+ MB stored/.test(document.querySelector(".backups .backup-size")?.textContent || ""),
                             null, { timeout: 60000 });
  await page.locator("#backups").screenshot({ path: `${shots}/screenshot-backup-running.png` });
  // Once stored, the page shows the finished row with its size and actions.
  await page.getByRole("link", { name: "Download" }).waitFor({ timeout: 120000 });
  assert.match(await page.textContent(".backups"), /DONE/);
  assert.match(await page.textContent(".backups .backup-size"), /MB \(.* of data\)/);
  await page.locator("#backups").screenshot({ path: `${shots}/screenshot-backup-done.png` });
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
