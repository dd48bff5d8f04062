// gsp-proxy's server-browser answers for the UDP games, checked with a
// third-party client (npm's gamedig, which speaks Valve's A2S and
// Satisfactory's lightweight query) rather than our own codecs: a sleeping
// Valheim or Satisfactory server shows its name with "sleeping" and 0
// players, and the queries wake nothing; a client's join (its datagrams)
// wakes the game, its first datagrams arrive in order, and then the same
// queries reach the game (the demo game standing in, answering as "Demo
// Game"), and while it wakes they say "starting". A lone stray datagram wakes nothing; malformed, truncated and
// oversized query packets are dropped or answered, never a crash.
// Needs GSP_PROXY_BIN and GSP_DEMO_GAME_BIN. Binds 127.0.0.1 only.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { GameDig } from 'gamedig';

const PROXY = process.env.GSP_PROXY_BIN;
const GAME = process.env.GSP_DEMO_GAME_BIN;
const SECRET = 'queries-test-secret-0123456789';
const children = [];
after(() => { for (const c of children) c.kill('SIGKILL'); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Two consecutive free ports (TCP and UDP both), for a game port and its query port.
async function freePortPair() {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ok = await Promise.all([base, base + 1].map((p) => new Promise((resolve) => {
      const t = net.createServer().once('error', () => resolve(false)).listen(p, '127.0.0.1', () => {
        const u = dgram.createSocket('udp4');
        u.once('error', () => { t.close(); resolve(false); });
        u.bind(p, '127.0.0.1', () => { u.close(); t.close(() => resolve(true)); });
      });
    })));
    if (ok.every(Boolean)) return base;
  }
}

// The backend's webhook routes; a good wake call runs onWake().
async function startReceiver(onWake) {
  const calls = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const ts = req.headers['x-gsp-timestamp'] ?? '';
      const want = createHmac('sha256', SECRET).update(`${req.method}\n${req.url}\n${ts}\n${body}`).digest('hex');
      const got = String(req.headers['x-gsp-signature'] ?? '');
      const ok = got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
      calls.push({ path: req.url, ok, body: JSON.parse(body) });
      if (ok && req.url.endsWith('/wake')) onWake();
      res.writeHead(ok ? 202 : 401, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  after(() => server.close());
  return { url: `http://127.0.0.1:${server.address().port}/api/webhook/wake`, wakes: () => calls.filter((c) => c.path.endsWith('/wake')) };
}

async function startProxy(ports, extra) {
  const args = [...ports.map((p) => `--port=${p}`), '--listen-address=127.0.0.1', '--upstream-host=127.0.0.1',
    '--server-id=9', '--probe-interval=100ms', ...extra];
  const child = spawn(PROXY, args, { env: { ...process.env, GSP_PROXY_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });
  for (let i = 0; i < 100 && !log.includes('gsp-proxy ready'); i++) await sleep(20);
  assert.ok(log.includes('gsp-proxy ready'), log);
  return { child, log: () => log, exited: () => exited };
}

// The demo game as the real game's stand-in, answering queries as a running game.
function startGame(udpPort, query) {
  const child = spawn(GAME, [`--listen-address=127.0.0.1`, '--tcp-port=0', `--udp-port=${udpPort}`,
    `--query=${query}`, '--query-name=Demo Game', '--data-dir=/tmp'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  return { child, log: () => log };
}

const query = (type, port) => GameDig.query({ type, host: '127.0.0.1', port, maxRetries: 2, socketTimeout: 1500,
  attemptTimeout: 4000, requestRules: true, requestPlayers: true, requestRulesRequired: true,
  requestPlayersRequired: true });  // a PLAYER or RULES query left unanswered fails the test

// A client that joins: its datagrams (real clients repeat theirs until answered).
async function join(port, count) {
  const socket = dgram.createSocket('udp4');
  const received = [];
  socket.on('message', (m) => received.push(m.toString()));
  await new Promise((r) => socket.bind(0, '127.0.0.1', r));
  after(() => socket.close());
  for (let i = 0; i < count; i++) {
    socket.send(`join-${i}`, port, '127.0.0.1');
    await sleep(50);
  }
  return { socket, received };
}

async function waitFor(what, condition, ms = 8000) {
  for (let waited = 0; waited < ms; waited += 50) {
    if (condition()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('valheim: a sleeping server answers A2S with its sleeping name and 0 players, and wakes nothing', async () => {
  const [pub, game] = [await freePortPair(), await freePortPair()];
  const hooks = await startReceiver(() => {});
  const proxy = await startProxy([`udp:${pub}-${pub + 1}=${game}`], [`--wake-url=${hooks.url}`,
    `--query=a2s:${pub + 1}`, '--server-name=Viking Hall', '--query-game=Valheim', '--query-folder=valheim',
    '--query-app-id=892970', '--query-max-players=10']);
  const state = await query('valheim', pub);
  assert.equal(state.name, 'Viking Hall - sleeping, join to wake');
  assert.equal(state.numplayers, 0);
  assert.equal(state.maxplayers, 10);
  assert.equal(state.raw.appId, 892970);
  assert.equal(state.players.length, 0);  // A2S_PLAYER answered, empty
  assert.deepEqual(state.raw.rules, {});  // A2S_RULES answered, empty
  await sleep(500);
  assert.equal(hooks.wakes().length, 0, proxy.log());
});

test('valheim: a join wakes the game, its datagrams arrive in order, then queries reach the game', async () => {
  const [pub, game] = [await freePortPair(), await freePortPair()];
  let stand_in = null;
  const hooks = await startReceiver(() => { stand_in ??= startGame(game, 'a2s'); });
  const proxy = await startProxy([`udp:${pub}-${pub + 1}=${game}`], [`--wake-url=${hooks.url}`,
    `--query=a2s:${pub + 1}`, '--server-name=Viking Hall']);
  const client = await join(pub, 5);
  await waitFor('the echoes', () => client.received.length === 5);
  assert.deepEqual(client.received, ['join-0', 'join-1', 'join-2', 'join-3', 'join-4'], proxy.log());
  assert.equal(hooks.wakes().length, 1);
  const state = await query('valheim', pub);
  assert.equal(state.name, 'Demo Game');
  assert.equal(hooks.wakes().length, 1);
});

test('satisfactory: a sleeping server answers the poll as offline with its sleeping name; after a join the game answers', async () => {
  const [pub, game] = [await freePortPair(), await freePortPair()];
  let stand_in = null;
  const hooks = await startReceiver(() => { stand_in ??= startGame(game, 'satisfactory'); });
  // UDP only here: gamedig's HTTPS follow-up is refused at once (on a real server TCP 7777
  // is the HTTPS API, which a player's login uses, so a connection there wakes the game).
  const proxy = await startProxy([`udp:${pub}=${game}`], [`--wake-url=${hooks.url}`,
    `--query=satisfactory:${pub}`, '--server-name=Factory One']);
  const asleep = await query('satisfactory', pub);
  assert.equal(asleep.name, 'Factory One - sleeping, join to wake');
  assert.equal(asleep.raw.serverState, 0);  // Offline
  await sleep(500);
  assert.equal(hooks.wakes().length, 0, proxy.log());
  const client = await join(pub, 3);
  await waitFor('the echoes', () => client.received.length === 3);
  assert.deepEqual(client.received, ['join-0', 'join-1', 'join-2']);
  const awake = await query('satisfactory', pub);
  assert.equal(awake.name, 'Demo Game');
  assert.equal(awake.raw.serverState, 3);  // Playing
  assert.equal(hooks.wakes().length, 1);
});

test('while the game wakes, queries say it is starting (A2S and Satisfactory)', async () => {
  for (const [type, flag] of [['valheim', 'a2s'], ['satisfactory', 'satisfactory']]) {
    const [pub, game] = [await freePortPair(), await freePortPair()];
    const hooks = await startReceiver(() => {});  // the game never comes up here
    const ports = type === 'valheim' ? [`udp:${pub}-${pub + 1}=${game}`] : [`udp:${pub}=${game}`];
    const queryPort = type === 'valheim' ? pub + 1 : pub;
    await startProxy(ports, [`--wake-url=${hooks.url}`, `--query=${flag}:${queryPort}`, '--server-name=Waking']);
    await join(pub, 2);
    await waitFor('the wake call', () => hooks.wakes().length === 1);
    const state = await query(type, pub);
    assert.equal(state.name, 'Waking - starting...');
    if (type === 'satisfactory') assert.equal(state.raw.serverState, 2);  // Loading
  }
});

test('a lone stray datagram wakes nothing; a client that sends again does', async () => {
  const [pub, game] = [await freePortPair(), await freePortPair()];
  let stand_in = null;
  const hooks = await startReceiver(() => { stand_in ??= startGame(game, 'none'); });
  const proxy = await startProxy([`udp:${pub}=${game}`], [`--wake-url=${hooks.url}`, '--udp-wake-window=500ms']);
  const scanner = await join(pub, 1);
  await sleep(1500);
  assert.equal(hooks.wakes().length, 0, proxy.log());
  const client = await join(pub, 2);
  await waitFor('the echoes', () => client.received.length === 2);
  assert.deepEqual(client.received, ['join-0', 'join-1']);
  assert.equal(scanner.received.length, 0);  // the stray datagram went nowhere
});

test('malformed, truncated and oversized queries are dropped or answered, never a crash', async () => {
  const [pub, game] = [await freePortPair(), await freePortPair()];
  const hooks = await startReceiver(() => {});
  const proxy = await startProxy([`udp:${pub}-${pub + 1}=${game}`, `udp:${pub + 2}=${game + 2}`],
    [`--wake-url=${hooks.url}`, `--query=a2s:${pub + 1}`, '--server-name=Viking Hall']);
  const header = Buffer.from([0xff, 0xff, 0xff, 0xff]);
  const packets = [
    Buffer.alloc(0), Buffer.from([0xff]), header, Buffer.concat([header, Buffer.from('T')]),
    Buffer.concat([header, Buffer.from('TSource Engine Query')]),  // no NUL
    Buffer.concat([header, Buffer.from('TSource Engine Query\0\x01\x02')]),  // half a challenge
    Buffer.concat([header, Buffer.from('U\x01')]), Buffer.concat([header, Buffer.from('V\x01\x02\x03\x04\x05')]),
    Buffer.concat([header, Buffer.from('Z')]), Buffer.concat([Buffer.from([0xfe, 0xff, 0xff, 0xff]), Buffer.alloc(60000, 7)]),
    Buffer.concat([header, Buffer.from('TSource Engine Query\0'), Buffer.alloc(9000, 0x41)]),
    Buffer.from([0xd5, 0xf6, 0, 1, 1, 2, 3]),  // a truncated Satisfactory poll on the A2S port
  ];
  const junk = dgram.createSocket('udp4');
  await new Promise((r) => junk.bind(0, '127.0.0.1', r));
  for (const p of packets) {
    const s = dgram.createSocket('udp4');  // each from its own source: lone datagrams
    await new Promise((r) => s.bind(0, '127.0.0.1', r));
    for (const port of [pub + 1, pub + 2]) await new Promise((r) => s.send(p, port, '127.0.0.1', () => r()));
    s.close();
  }
  junk.close();
  await sleep(300);
  assert.equal(proxy.exited(), null, proxy.log());
  const state = await query('valheim', pub);
  assert.equal(state.name, 'Viking Hall - sleeping, join to wake');
  assert.equal(hooks.wakes().length, 0, proxy.log());
});
