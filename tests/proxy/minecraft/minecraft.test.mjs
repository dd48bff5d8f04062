// gsp-proxy's Minecraft awareness, checked with a third-party implementation
// (npm's minecraft-protocol) rather than our own codec: a server-list ping of
// a sleeping server gets the proxy's status and wakes nothing; a login wakes
// the game, is held and then relayed to a real minecraft-protocol server; a
// login whose hold times out gets a proper disconnect message; pings to a
// running game are relayed to it but reported as no players.
// Needs GSP_PROXY_BIN (the gsp-proxy binary). Binds 127.0.0.1 only.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import mc from 'minecraft-protocol';

const PROXY = process.env.GSP_PROXY_BIN;
const SECRET = 'minecraft-test-secret-0123456789';
const VERSION = '1.20.4';
const children = [];
after(() => { for (const c of children) c.kill('SIGKILL'); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// The backend's webhook routes: checks each signature like the backend must.
// `wakeStatus`: what a good wake call is answered (402: the owner cannot pay).
async function startReceiver(onWake, wakeStatus = 200) {
  const calls = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const ts = req.headers['x-gsp-timestamp'] ?? '';
      const want = createHmac('sha256', SECRET).update(`${req.method}\n${req.url}\n${ts}\n${body}`).digest('hex');
      const got = String(req.headers['x-gsp-signature'] ?? '');
      const ok = got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want)) &&
        Math.abs(Date.now() / 1000 - Number(ts)) < 300;
      calls.push({ path: req.url, ok, body: JSON.parse(body) });
      if (ok && req.url.endsWith('/wake')) onWake();
      const status = !ok ? 401 : req.url.endsWith('/wake') ? wakeStatus : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  after(() => server.close());
  return { calls, url: `http://127.0.0.1:${server.address().port}/api/webhook/wake`, wakes: () => calls.filter((c) => c.path.endsWith('/wake')) };
}

async function startProxy(publicPort, gamePort, wakeUrl, extra = []) {
  const args = [`--port=tcp:${publicPort}=${gamePort}`, '--listen-address=127.0.0.1', '--upstream-host=127.0.0.1',
    '--server-id=7', `--wake-url=${wakeUrl}`, '--minecraft', '--probe-interval=100ms',
    '--minecraft-sleeping-motd=Zzz - join to wake me', ...extra];
  const child = spawn(PROXY, args, { env: { ...process.env, GSP_PROXY_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100 && !log.includes('gsp-proxy ready'); i++) await sleep(20);
  assert.ok(log.includes('gsp-proxy ready'), log);
  return { child, log: () => log };
}

test('a server-list ping of a sleeping server shows the proxy status and does not wake it', async () => {
  const [pub, game] = [await freePort(), await freePort()];
  const hooks = await startReceiver(() => {});
  const proxy = await startProxy(pub, game, hooks.url);
  const status = await mc.ping({ host: '127.0.0.1', port: pub, version: VERSION });
  assert.equal(status.description.text, 'Zzz - join to wake me');
  assert.equal(status.players.online, 0);
  assert.equal(typeof status.latency, 'number');  // the ping/pong round trip completed
  await sleep(500);
  assert.equal(hooks.wakes().length, 0, proxy.log());
  proxy.child.kill('SIGTERM');
});

test('a login wakes the game, is held, then reaches the real server', async () => {
  const [pub, game] = [await freePort(), await freePort()];
  let server;
  let serverLogin;
  const loggedIn = new Promise((resolve) => { serverLogin = resolve; });
  const hooks = await startReceiver(() => {
    // The "game" starts a second after the wake call, like a container would.
    setTimeout(() => {
      server = mc.createServer({ host: '127.0.0.1', port: game, 'online-mode': false, version: VERSION, motd: 'real server' });
      server.on('login', (client) => serverLogin(client.username));
    }, 1000);
  });
  const proxy = await startProxy(pub, game, hooks.url);
  const client = mc.createClient({ host: '127.0.0.1', port: pub, username: 'Steve', auth: 'offline', version: VERSION });
  client.on('error', () => {});
  const name = await Promise.race([loggedIn, sleep(15000).then(() => 'timeout')]);
  assert.equal(name, 'Steve', proxy.log());
  assert.equal(hooks.wakes().length, 1);
  assert.ok(hooks.wakes()[0].ok);
  assert.equal(hooks.wakes()[0].body.reason, 'minecraft-login');
  client.end();
  // With the game up, pings are relayed to it.
  const status = await mc.ping({ host: '127.0.0.1', port: pub, version: VERSION });
  assert.equal(status.description.text ?? status.description, 'real server');
  server.close();
  proxy.child.kill('SIGTERM');
});

test('a login whose hold times out gets a disconnect message, not a dropped connection', async () => {
  const [pub, game] = [await freePort(), await freePort()];
  const hooks = await startReceiver(() => {});  // accepts the wake, never starts a game
  const proxy = await startProxy(pub, game, hooks.url, ['--hold-timeout=1s']);
  const client = mc.createClient({ host: '127.0.0.1', port: pub, username: 'Alex', auth: 'offline', version: VERSION });
  client.on('error', () => {});
  const reason = await Promise.race([
    new Promise((resolve) => client.on('disconnect', (p) => resolve(JSON.parse(p.reason).text))),
    sleep(8000).then(() => 'no disconnect packet'),
  ]);
  assert.equal(reason, 'Server is starting, try again in a moment', proxy.log());
  assert.equal(hooks.wakes().length, 1);
  proxy.child.kill('SIGTERM');
});

test('server-list pings to a running game reach it but are no players: they keep nothing awake', async () => {
  const [pub, game] = [await freePort(), await freePort()];
  const server = mc.createServer({ host: '127.0.0.1', port: game, 'online-mode': false, version: VERSION, motd: 'busy world' });
  await sleep(300);
  const hooks = await startReceiver(() => {});
  const proxy = await startProxy(pub, game, hooks.url, ['--activity-interval=200ms']);
  const reports = () => hooks.calls.filter((c) => c.path.endsWith('/activity') && c.body.reason === 'interval');
  // A server list refreshing every 500 ms (a browser with the server favourited does it every 10 s).
  for (let i = 0; i < 5; i++) {
    const status = await mc.ping({ host: '127.0.0.1', port: pub, version: VERSION });
    assert.equal(status.description.text ?? status.description, 'busy world');  // the real game answered
    await sleep(500);
  }
  const seen = reports();
  assert.ok(seen.length >= 5, proxy.log());
  for (const r of seen) {
    assert.ok(r.ok);
    assert.equal(r.body.tcp_connections, 0, JSON.stringify(r.body));
    assert.equal(r.body.last_traffic_at, 0, JSON.stringify(r.body));  // no player traffic: the idle clock runs on
  }
  // A login is a player.
  const loggedIn = new Promise((resolve) => server.on('login', (c) => resolve(c.username)));
  const client = mc.createClient({ host: '127.0.0.1', port: pub, username: 'Steve', auth: 'offline', version: VERSION });
  client.on('error', () => {});
  assert.equal(await Promise.race([loggedIn, sleep(10000).then(() => 'timeout')]), 'Steve', proxy.log());
  await sleep(500);
  const last = reports().at(-1);
  assert.equal(last.body.tcp_connections, 1, JSON.stringify(last.body));
  assert.ok(last.body.last_traffic_at > 1700000000);
  client.end();
  server.close();
  proxy.child.kill('SIGTERM');
});

// The disconnect reason a Minecraft login gets when the backend answers the wake with `status`.
async function refusedLoginReason(status) {
  const [pub, game] = [await freePort(), await freePort()];
  const hooks = await startReceiver(() => {}, status);
  const proxy = await startProxy(pub, game, hooks.url);
  const client = mc.createClient({ host: '127.0.0.1', port: pub, username: 'Alex', auth: 'offline', version: VERSION });
  client.on('error', () => {});
  const reason = await Promise.race([
    new Promise((resolve) => client.on('disconnect', (p) => resolve(JSON.parse(p.reason).text))),
    sleep(8000).then(() => 'no disconnect packet'),
  ]);
  proxy.child.kill('SIGTERM');
  return { reason, log: proxy.log() };
}

test('a login to a server whose owner is out of credits is told so', async () => {
  const { reason, log } = await refusedLoginReason(402);
  assert.match(reason, /credit has run out/, log);
});

test('a login to a server stopped after a crash loop is told its owner must start it', async () => {
  const { reason, log } = await refusedLoginReason(423);
  assert.match(reason, /crashing repeatedly/, log);
});
