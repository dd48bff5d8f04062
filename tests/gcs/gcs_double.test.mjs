// Checks the GCS double against the official Node client, then checks by raw
// HTTP what the client does not exercise (JWT tokens, faults, strict resumable
// rules).  Run: node --test gcs_double.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Storage } from '@google-cloud/storage';
import { startDouble, hashChunks } from './gcs_double.mjs';

const KiB256 = 262144;
const BUCKET = 'test-bucket';
const SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' });
const CLIENT_EMAIL = 'backup@test.iam.gserviceaccount.com';

function randomBytes(n) {
  return crypto.randomBytes(n);
}

// ------------------------------------------------------------ raw HTTP helpers

// One connection per request (agent: false) so a cut socket affects only it.
function request(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined && h['Content-Length'] === undefined) h['Content-Length'] = Buffer.byteLength(body);
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        let json = null;
        try {
          json = JSON.parse(buf.toString('utf8'));
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, body: buf, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function makeJwt(key, claims, header = { alg: 'RS256', typ: 'JWT' }) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  const sig = crypto.sign('RSA-SHA256', Buffer.from(input), key).toString('base64url');
  return `${input}.${sig}`;
}

function claimsFor(url, overrides = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: CLIENT_EMAIL, scope: SCOPE, aud: `${url}/token`, iat: now, exp: now + 3600, ...overrides };
}

function exchange(url, assertion) {
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
  return request('POST', `${url}/token`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
}

async function getToken(url) {
  const r = await exchange(url, makeJwt(privateKey, claimsFor(url)));
  assert.equal(r.status, 200, r.body.toString());
  return r.json.access_token;
}

const objectPath = (name) => `/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}`;

// ------------------------------------------------------ a V4 URL signer

// Written from the V4 spec, apart from the client, to make URLs the client
// will not: signed in the past, for HEAD, for any object.
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signV4(baseUrl, bucket, name, { method = 'GET', date = new Date(), expires = 900, key = privateKey, query = {} } = {}) {
  const stamp = date.toISOString().replace(/[-:]|\.\d{3}/g, ''); // YYYYMMDDTHHMMSSZ
  const scope = `${stamp.slice(0, 8)}/auto/storage/goog4_request`;
  const params = {
    'X-Goog-Algorithm': 'GOOG4-RSA-SHA256',
    'X-Goog-Credential': `${CLIENT_EMAIL}/${scope}`,
    'X-Goog-Date': stamp,
    'X-Goog-Expires': String(expires),
    'X-Goog-SignedHeaders': 'host',
    ...query,
  };
  const canonicalQuery = Object.entries(params)
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const resource = `/${bucket}/${name.split('/').map(rfc3986).join('/')}`;
  const canonicalRequest = [method, resource, canonicalQuery, `host:${new URL(baseUrl).hostname}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const hash = crypto.createHash('sha256').update(canonicalRequest).digest('hex');
  const signature = crypto.sign('RSA-SHA256', Buffer.from(['GOOG4-RSA-SHA256', stamp, scope, hash].join('\n')), key).toString('hex');
  return `${baseUrl}${resource}?${canonicalQuery}&X-Goog-Signature=${signature}`;
}

// The Code of an XML API error body.
async function xmlCode(res) {
  assert.match(res.headers.get('content-type'), /^application\/xml/);
  const m = /<Code>([^<]*)<\/Code>/.exec(await res.text());
  return m && m[1];
}

// ------------------------------------------------------- the official client

describe('official @google-cloud/storage client', () => {
  let double;
  let storage;
  let bucket;

  before(async () => {
    // The client sends no Authorization header to a custom endpoint.
    double = await startDouble({ publicKeyPem, buckets: [BUCKET], allowAnonymous: true });
    // Short retry waits (the client's async-retry refuses a max below its 1 s minimum).
    storage = new Storage({ apiEndpoint: double.url, projectId: 'test', retryOptions: { maxRetryDelay: 1 } });
    bucket = storage.bucket(BUCKET);
  });
  after(() => double.close());

  test('default upload is resumable, CRC32C checked, bytes land intact', async () => {
    const data = randomBytes(300000);
    const before = double.stats.requests['upload.start'] || 0;
    await bucket.file('backups/42/default.bin').save(data);
    assert.equal(double.stats.requests['upload.start'], before + 1);
    const stored = double.objects.get(BUCKET).get('backups/42/default.bin');
    assert.ok(stored.data().equals(data));
    const [meta] = await bucket.file('backups/42/default.bin').getMetadata();
    assert.equal(meta.size, '300000');
    assert.equal(meta.crc32c, hashChunks([data]).crc32c);
  });

  test('resumable upload in 256 KiB chunks sends several PUTs', async () => {
    const data = randomBytes(1024 * 1024 + 12345);
    const puts = double.stats.requests['upload.put'] || 0;
    await bucket.file('backups/42/chunked.bin').save(data, { chunkSize: KiB256 });
    assert.equal(double.stats.requests['upload.put'] - puts, 5); // 4 full chunks + the tail
    const [back] = await bucket.file('backups/42/chunked.bin').download();
    assert.ok(back.equals(data));
  });

  test('chunked upload survives a cut connection (client queries status and resumes)', async () => {
    const data = randomBytes(3 * KiB256 + 777);
    double.faults.cutNextChunkAfterBytes = KiB256 + 1000; // second chunk is cut...
    const cuts = double.stats.cuts;
    const queries = double.stats.requests['upload.status'] || 0;
    // Without a precondition the client treats the upload as non-idempotent and
    // does not retry at all; ifGenerationMatch=0 makes it resume.
    await bucket.file('backups/42/cut.bin').save(data, { chunkSize: 2 * KiB256, preconditionOpts: { ifGenerationMatch: 0 } });
    assert.equal(double.stats.cuts, cuts + 1);
    assert.equal(double.stats.requests['upload.status'], queries + 1); // "bytes */*" before resuming
    const [back] = await bucket.file('backups/42/cut.bin').download();
    assert.ok(back.equals(data));
  });

  test('resumable:false uses a multipart upload', async () => {
    const data = Buffer.from('small multipart object\n');
    const before = double.stats.requests['upload.multipart'] || 0;
    await bucket.file('backups/42/small.txt').save(data, { resumable: false, contentType: 'text/plain' });
    assert.equal(double.stats.requests['upload.multipart'], before + 1);
    const [meta] = await bucket.file('backups/42/small.txt').getMetadata();
    assert.equal(meta.contentType, 'text/plain');
    const [back] = await bucket.file('backups/42/small.txt').download();
    assert.ok(back.equals(data));
  });

  test('list with a prefix, also page by page', async () => {
    await bucket.file('backups/7/other.bin').save(Buffer.from('x'));
    const [files] = await bucket.getFiles({ prefix: 'backups/42/' });
    assert.deepEqual(files.map((f) => f.name), ['backups/42/chunked.bin', 'backups/42/cut.bin', 'backups/42/default.bin', 'backups/42/small.txt']);
    const [page1, next] = await bucket.getFiles({ prefix: 'backups/42/', maxResults: 3, autoPaginate: false });
    assert.equal(page1.length, 3);
    assert.ok(next && next.pageToken);
    const [page2, none] = await bucket.getFiles({ ...next, autoPaginate: false });
    assert.deepEqual(page2.map((f) => f.name), ['backups/42/small.txt']);
    assert.equal(none, null);
  });

  test('download is validated by the client; ranged read returns the slice', async () => {
    const data = randomBytes(700000);
    const file = bucket.file('backups/42/read.bin');
    await file.save(data);
    // The client validates only when x-goog-stored-content-encoding says identity.
    let headers;
    const chunks = [];
    await new Promise((resolve, reject) =>
      file.createReadStream()
        .on('response', (res) => (headers = res.headers))
        .on('data', (c) => chunks.push(c))
        .on('end', resolve)
        .on('error', reject),
    );
    assert.ok(Buffer.concat(chunks).equals(data));
    assert.equal(headers['x-goog-stored-content-encoding'], 'identity');
    assert.match(headers['x-goog-hash'], /crc32c=.{8},md5=.{24}/);

    const part = [];
    await new Promise((resolve, reject) =>
      file.createReadStream({ start: 1000, end: 299999 }).on('data', (c) => part.push(c)).on('end', resolve).on('error', reject),
    );
    assert.ok(Buffer.concat(part).equals(data.subarray(1000, 300000)));
  });

  test('the client rejects a download whose bytes do not match x-goog-hash', async () => {
    const file = bucket.file('backups/42/rot.bin');
    await file.save(randomBytes(5000));
    double.objects.get(BUCKET).get('backups/42/rot.bin').data()[0] ^= 0xff; // bit rot, hashes unchanged
    await assert.rejects(file.download(), /did not match the data from the server/);
    await file.delete();
  });

  test('delete, then the object is gone and a second delete is 404', async () => {
    const file = bucket.file('backups/42/read.bin');
    await file.delete();
    assert.deepEqual(await file.exists(), [false]);
    await assert.rejects(file.delete(), (err) => err.code === 404);
  });
});

// ------------------------------------------------------ V4 signed URLs

describe('V4 signed URLs (XML API) from the official client', () => {
  const NAME = 'gsp/servers/1/7-x.tar.gz';
  const DISPOSITION = 'attachment; filename="world 1.tar.gz"';
  let double;
  let bucket;
  let data;
  let signed;

  before(async () => {
    double = await startDouble({ publicKeyPem, buckets: [BUCKET], allowAnonymous: true });
    // Service-account credentials make the client sign locally, offline; it
    // still sends no Authorization header to a custom endpoint.
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    const storage = new Storage({
      apiEndpoint: double.url, projectId: 'test', retryOptions: { maxRetryDelay: 1 },
      credentials: { client_email: CLIENT_EMAIL, private_key: privateKeyPem },
    });
    bucket = storage.bucket(BUCKET);
    data = randomBytes(300000);
    await bucket.file(NAME).save(data);
    await bucket.file('gsp/servers/1/8-x.tar.gz').save(randomBytes(1000));
    [signed] = await bucket.file(NAME).getSignedUrl({
      version: 'v4', action: 'read', expires: Date.now() + 15 * 60 * 1000, responseDisposition: DISPOSITION,
    });
  });
  after(() => double.close());

  test('client-signed read URL serves the object; Range gives 206 with the slice', async () => {
    assert.ok(signed.startsWith(`${double.url}/${BUCKET}/gsp/servers/1/7-x.tar.gz?`), signed);
    let r = await fetch(signed);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-disposition'), DISPOSITION);
    assert.equal(r.headers.get('content-length'), String(data.length));
    assert.match(r.headers.get('x-goog-hash'), /crc32c=.{8},md5=.{24}/);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(data));

    r = await fetch(signed, { headers: { Range: 'bytes=10-19' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes 10-19/${data.length}`);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(data.subarray(10, 20)));
    assert.equal(double.stats.requests['signed.get'], 2);
    assert.equal(double.stats.signedUrlsServed, 2);
  });

  test('a changed signature digit or another object name is 403 SignatureDoesNotMatch', async () => {
    const refused = double.stats.signedUrlsRefused;
    const tampered = signed.replace(/(X-Goog-Signature=[0-9a-f]{10})([0-9a-f])/, (_, head, d) => head + (parseInt(d, 16) ^ 1).toString(16));
    assert.notEqual(tampered, signed);
    let r = await fetch(tampered);
    assert.equal(r.status, 403);
    assert.equal(await xmlCode(r), 'SignatureDoesNotMatch');

    const otherObject = signed.replace('/7-x.tar.gz?', '/8-x.tar.gz?'); // exists, but was not signed for
    assert.notEqual(otherObject, signed);
    r = await fetch(otherObject);
    assert.equal(r.status, 403);
    assert.equal(await xmlCode(r), 'SignatureDoesNotMatch');

    r = await fetch(signed, { method: 'HEAD' }); // signed for GET, verified as HEAD
    assert.equal(r.status, 403);
    assert.equal(double.stats.signedUrlsRefused, refused + 3);
  });

  test('an expired URL is 400 ExpiredToken; a missing parameter is 400', async () => {
    const expired = signV4(double.url, BUCKET, NAME, { date: new Date(Date.now() - 2 * 3600 * 1000), expires: 3600 });
    let r = await fetch(expired);
    assert.equal(r.status, 400);
    assert.equal(await xmlCode(r), 'ExpiredToken');

    const noDate = signed.replace(/&X-Goog-Date=[^&]*/, '');
    assert.notEqual(noDate, signed);
    r = await fetch(noDate);
    assert.equal(r.status, 400);
    assert.match(await xmlCode(r), /^(InvalidArgument|AuthenticationRequired)$/);
  });

  test('a valid signature for a nonexistent object is 404 NoSuchKey', async () => {
    const r = await fetch(signV4(double.url, BUCKET, 'gsp/servers/1/missing.tar.gz'));
    assert.equal(r.status, 404);
    assert.equal(await xmlCode(r), 'NoSuchKey');
    const noBucket = await fetch(signV4(double.url, 'no-such-bucket', 'gsp/x.tar.gz'));
    assert.equal(noBucket.status, 404);
    assert.equal(await xmlCode(noBucket), 'NoSuchBucket');
  });
});

// ------------------------------------------------------------ CRC32C, CLI

test('CRC32C matches the RFC 4960 check value', () => {
  // CRC-32C("123456789") = 0xE3069283, sent big-endian in base64.
  assert.equal(hashChunks([Buffer.from('123456789')]).crc32c, Buffer.from('e3069283', 'hex').toString('base64'));
  assert.equal(hashChunks([Buffer.from('1234'), Buffer.from('56789')]).crc32c, '4waSgw==');
});

test('CLI prints exactly one "listening" line and exits on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcs-double-'));
  const keyFile = path.join(dir, 'key.pub.pem');
  fs.writeFileSync(keyFile, publicKeyPem);
  const child = spawn(process.execPath, [new URL('./gcs_double.mjs', import.meta.url).pathname, '--port=0', `--public-key=${keyFile}`, '--bucket=cli-bucket']);
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 20));
  const m = /^listening (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
  assert.ok(m, `unexpected stdout: ${JSON.stringify(out)}`);
  const url = m[1];
  assert.equal((await exchange(url, makeJwt(privateKey, claimsFor(url)))).status, 200);
  assert.equal((await request('GET', `${url}/storage/v1/b/cli-bucket/o`)).status, 401);
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.equal(out.split('\n').length, 2); // one line, nothing after it
  fs.rmSync(dir, { recursive: true });
});

// ------------------------------------------------------------ raw protocol

describe('raw HTTP protocol (anonymous access off)', () => {
  let double;
  let url;
  let token;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  before(async () => {
    double = await startDouble({ publicKeyPem, buckets: [BUCKET] });
    url = double.url;
    token = await getToken(url);
  });
  after(() => double.close());

  async function openSession(name, { query = '', metadata } = {}) {
    const body = metadata ? JSON.stringify(metadata) : '';
    const r = await request('POST', `${url}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=${encodeURIComponent(name)}${query}`, {
      headers: { ...auth(), 'Content-Type': 'application/json; charset=UTF-8' },
      body,
    });
    assert.equal(r.status, 200, r.body.toString());
    return r;
  }

  function put(session, range, body = Buffer.alloc(0), headers = {}) {
    return request('PUT', session, { headers: { ...auth(), 'Content-Range': range, ...headers }, body });
  }

  test('JWT exchange gives a Bearer token that Storage accepts', async () => {
    const r = await exchange(url, makeJwt(privateKey, claimsFor(url)));
    assert.equal(r.status, 200);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(r.json.expires_in, 3600);
    const list = await request('GET', `${url}/storage/v1/b/${BUCKET}/o`, { headers: { Authorization: `Bearer ${r.json.access_token}` } });
    assert.equal(list.status, 200);
    assert.equal(list.json.kind, 'storage#objects');
  });

  test('JWT signed with another key, expired, or for another audience is refused', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      makeJwt(other, claimsFor(url)),
      makeJwt(privateKey, claimsFor(url, { iat: now - 7200, exp: now - 3600 })),
      makeJwt(privateKey, claimsFor(url, { aud: 'https://oauth2.googleapis.com/token' })),
      makeJwt(privateKey, claimsFor(url, { scope: 'https://www.googleapis.com/auth/devstorage.read_only' })),
      makeJwt(privateKey, claimsFor(url, { exp: now + 7200 })),
      makeJwt(privateKey, claimsFor(url), { alg: 'RS512', typ: 'JWT' }),
    ];
    for (const jwt of cases) {
      const r = await exchange(url, jwt);
      assert.equal(r.status, 400);
      assert.equal(r.json.error, 'invalid_grant');
      assert.ok(r.json.error_description);
    }
  });

  test('401 without a token, with an unknown token, and after expireTokens', async () => {
    const list = `${url}/storage/v1/b/${BUCKET}/o`;
    const none = await request('GET', list);
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, 401);
    assert.equal((await request('GET', list, { headers: { Authorization: 'Bearer nope' } })).status, 401);

    double.faults.expireTokens = true;
    assert.equal((await request('GET', list, { headers: auth() })).status, 401);
    token = await getToken(url); // a refreshed token works again
    assert.equal((await request('GET', list, { headers: auth() })).status, 200);
  });

  test('resumable: 308 status queries, chunk alignment, offsets, completion', async () => {
    const data = randomBytes(2 * KiB256 + 5000);
    const session = (await openSession('raw/a.bin')).headers.location;
    assert.match(session, /\/upload\/storage\/v1\/b\/test-bucket\/o\?uploadType=resumable&name=raw%2Fa\.bin&upload_id=/);

    let r = await put(session, 'bytes */*');
    assert.equal(r.status, 308);
    assert.equal(r.headers.range, undefined); // nothing persisted yet

    r = await put(session, 'bytes 0-99999/*', data.subarray(0, 100000));
    assert.equal(r.status, 400, 'non-final chunk not a multiple of 256 KiB');

    r = await put(session, `bytes 0-${KiB256 - 1}/*`, data.subarray(0, KiB256));
    assert.equal(r.status, 308);
    assert.equal(r.headers.range, `bytes=0-${KiB256 - 1}`);
    assert.equal(r.body.length, 0);

    r = await put(session, `bytes 0-${KiB256 - 1}/*`, data.subarray(0, KiB256));
    assert.equal(r.status, 400, 'wrong offset');
    assert.match(r.json.error.message, /262144/);

    r = await put(session, `bytes */${data.length}`);
    assert.equal(r.status, 308);
    assert.equal(r.headers.range, `bytes=0-${KiB256 - 1}`);

    const hashes = hashChunks([data]);
    r = await put(session, `bytes ${KiB256}-${data.length - 1}/${data.length}`, data.subarray(KiB256), {
      'X-Goog-Hash': `crc32c=${hashes.crc32c},md5=${hashes.md5Hash}`,
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.json.kind, 'storage#object');
    assert.equal(r.json.size, String(data.length));
    assert.equal(typeof r.json.generation, 'string');
    assert.equal(r.json.crc32c, hashes.crc32c);
    assert.equal(r.json.md5Hash, hashes.md5Hash);

    r = await put(session, 'bytes */*');
    assert.equal(r.status, 200, 'status query on a completed upload');
    assert.equal(r.json.name, 'raw/a.bin');
  });

  test('stream ending on a chunk boundary finishes with "bytes */N"', async () => {
    const data = randomBytes(KiB256);
    const session = (await openSession('raw/boundary.bin')).headers.location;
    assert.equal((await put(session, `bytes 0-${KiB256 - 1}/*`, data)).status, 308);
    const r = await put(session, `bytes */${KiB256}`, Buffer.alloc(0), { 'X-Goog-Hash': `crc32c=${hashChunks([data]).crc32c}` });
    assert.equal(r.status, 200);
    assert.equal(r.json.size, String(KiB256));
  });

  test('a cut mid-chunk keeps whole 256 KiB blocks; resume from there gives the right object', async () => {
    const data = randomBytes(4 * KiB256 + 999);
    const session = (await openSession('raw/cut.bin')).headers.location;
    assert.equal((await put(session, `bytes 0-${2 * KiB256 - 1}/*`, data.subarray(0, 2 * KiB256))).status, 308);

    await request('POST', `${url}/_faults`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ cutNextChunkAfterBytes: KiB256 + 100000 }) });
    await assert.rejects(put(session, `bytes ${2 * KiB256}-${4 * KiB256 - 1}/*`, data.subarray(2 * KiB256, 4 * KiB256)));

    let r = await put(session, `bytes */${data.length}`);
    assert.equal(r.status, 308);
    assert.equal(r.headers.range, `bytes=0-${3 * KiB256 - 1}`); // 2 chunks + 1 whole block of the cut one

    const hashes = hashChunks([data]);
    r = await put(session, `bytes ${3 * KiB256}-${data.length - 1}/${data.length}`, data.subarray(3 * KiB256), {
      'X-Goog-Hash': [`crc32c=${hashes.crc32c}`, `md5=${hashes.md5Hash}`], // two header lines
    });
    assert.equal(r.status, 200, r.body.toString());
    const got = await request('GET', `${url}${objectPath('raw/cut.bin')}?alt=media`, { headers: auth() });
    assert.ok(got.body.equals(data));
    const stats = (await request('GET', `${url}/_stats`)).json;
    assert.equal(stats.cuts, 1);
    assert.equal(double.faults.cutNextChunkAfterBytes, null, 'the fault clears itself');
  });

  test('503 once, then normal service', async () => {
    const sent = double.stats.sent503;
    double.faults.fail503Once = true;
    const list = `${url}/storage/v1/b/${BUCKET}/o`;
    assert.equal((await request('GET', list, { headers: auth() })).status, 503);
    assert.equal((await request('GET', list, { headers: auth() })).status, 200);
    assert.equal(double.stats.sent503, sent + 1);
  });

  test('a wrong X-Goog-Hash or metadata hash is 400 and creates no object', async () => {
    const data = randomBytes(1000);
    const wrong = hashChunks([Buffer.from('something else')]);
    let session = (await openSession('raw/bad.bin')).headers.location;
    let r = await put(session, `bytes 0-999/1000`, data, { 'X-Goog-Hash': `crc32c=${wrong.crc32c}` });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /crc32c/);

    session = (await openSession('raw/bad.bin', { metadata: { md5Hash: wrong.md5Hash } })).headers.location;
    r = await put(session, `bytes 0-999/1000`, data);
    assert.equal(r.status, 400);

    assert.equal((await request('GET', `${url}${objectPath('raw/bad.bin')}`, { headers: auth() })).status, 404);
  });

  test('ifGenerationMatch=0 refuses to overwrite; session DELETE cancels with 499', async () => {
    const r = await request('POST', `${url}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=raw%2Fa.bin&ifGenerationMatch=0`, { headers: auth(), body: '' });
    assert.equal(r.status, 412);

    const session = (await openSession('raw/cancel.bin')).headers.location;
    assert.equal((await request('DELETE', session, { headers: auth() })).status, 499);
    assert.equal((await put(session, 'bytes */*')).status, 404);
  });

  test('media download: full with hashes, Range a-b and a- give 206, /download path works', async () => {
    const data = randomBytes(5000);
    const up = await request('POST', `${url}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=raw%2Fmedia.bin`, {
      headers: { ...auth(), 'Content-Type': 'application/x-tar' },
      body: data,
    });
    assert.equal(up.status, 200);
    assert.equal(up.json.contentType, 'application/x-tar');

    const h = hashChunks([data]);
    let r = await request('GET', `${url}${objectPath('raw/media.bin')}?alt=media`, { headers: auth() });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '5000');
    assert.equal(r.headers['x-goog-hash'], `crc32c=${h.crc32c},md5=${h.md5Hash}`);

    r = await request('GET', `${url}${objectPath('raw/media.bin')}?alt=media`, { headers: { ...auth(), Range: 'bytes=10-19' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], 'bytes 10-19/5000');
    assert.ok(r.body.equals(data.subarray(10, 20)));

    r = await request('GET', `${url}/download/storage/v1/b/${BUCKET}/o/raw%2Fmedia.bin?alt=media`, { headers: { ...auth(), Range: 'bytes=4990-' } });
    assert.equal(r.status, 206);
    assert.ok(r.body.equals(data.subarray(4990)));

    assert.equal((await request('GET', `${url}/storage/v1/b/nope/o`, { headers: auth() })).status, 404);
    assert.equal((await request('DELETE', `${url}${objectPath('raw/media.bin')}`, { headers: auth() })).status, 204);
    assert.equal((await request('DELETE', `${url}${objectPath('raw/media.bin')}`, { headers: auth() })).status, 404);
  });

  test('/_stats counts tokens and routes; reset clears faults and counters', async () => {
    const stats = (await request('GET', `${url}/_stats`)).json;
    assert.ok(stats.tokensIssued >= 2);
    assert.ok(stats.requests['upload.put'] > 0);
    double.faults.fail503Once = true;
    await request('POST', `${url}/_faults`, { headers: { 'Content-Type': 'application/json' }, body: '{"reset":true}' });
    assert.equal(double.faults.fail503Once, false);
    assert.equal((await request('GET', `${url}/_stats`)).json.tokensIssued, 0);
  });

  const faults = (body) => request('POST', `${url}/_faults`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  test('signed URL reads need no bearer token; HEAD verified as HEAD; 503 fault applies', async () => {
    const data = randomBytes(2000);
    const up = await request('POST', `${url}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=raw%2Fsigned%20file.bin`, { headers: auth(), body: data });
    assert.equal(up.status, 200);
    const get = signV4(url, BUCKET, 'raw/signed file.bin', { query: { 'response-content-type': 'application/x-tar' } });
    let r = await request('GET', get); // no Authorization header
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/x-tar');
    assert.ok(r.body.equals(data));

    r = await request('HEAD', signV4(url, BUCKET, 'raw/signed file.bin', { method: 'HEAD' }));
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '2000');
    assert.equal(r.body.length, 0);

    await faults({ fail503Once: true });
    assert.equal((await request('GET', get)).status, 503);
    assert.equal((await request('GET', get)).status, 200);
  });

  test('expireSessionAtNextChunk: the next chunk finds its session gone (404), so does a status query', async () => {
    const session = (await openSession('raw/expire.bin')).headers.location;
    assert.equal((await faults({ expireSessionAtNextChunk: true })).json.faults.expireSessionAtNextChunk, true);
    let r = await put(session, `bytes 0-${KiB256 - 1}/*`, randomBytes(KiB256));
    assert.equal(r.status, 404);
    assert.equal(r.json.error.message, 'No such upload session.');
    assert.equal(double.faults.expireSessionAtNextChunk, false, 'the fault is one-shot');
    r = await put(session, 'bytes */*');
    assert.equal(r.status, 404);
  });

  test('delayChunksMs holds each chunk PUT at least that long', async () => {
    const session = (await openSession('raw/slow.bin')).headers.location;
    await faults({ delayChunksMs: 200 });
    try {
      const t0 = performance.now();
      const r = await put(session, `bytes 0-${KiB256 - 1}/*`, randomBytes(KiB256));
      const took = performance.now() - t0;
      assert.equal(r.status, 308);
      assert.ok(took >= 200, `the chunk took only ${took} ms`);
      assert.equal(double.faults.delayChunksMs, 200, 'the delay persists');
    } finally {
      await faults({ delayChunksMs: 0 });
    }
  });

  test('persistedBytes counts whole chunks, the final chunk and the kept part of a cut', async () => {
    const stat = async () => (await request('GET', `${url}/_stats`)).json.persistedBytes;
    const data = randomBytes(2 * KiB256 + 4321);
    let before = await stat();
    let session = (await openSession('raw/persisted.bin')).headers.location;
    assert.equal((await put(session, `bytes 0-${KiB256 - 1}/*`, data.subarray(0, KiB256))).status, 308);
    assert.equal((await put(session, `bytes ${KiB256}-${data.length - 1}/${data.length}`, data.subarray(KiB256))).status, 200);
    assert.equal((await stat()) - before, data.length);

    before = await stat();
    session = (await openSession('raw/persisted-cut.bin')).headers.location;
    await faults({ cutNextChunkAfterBytes: KiB256 + 5000 });
    await assert.rejects(put(session, `bytes 0-${2 * KiB256 - 1}/*`, data.subarray(0, 2 * KiB256)));
    assert.equal((await stat()) - before, KiB256); // one whole block of the cut chunk kept
  });

  test('reset clears the upload faults and zeroes persistedBytes and the signed-URL counters', async () => {
    await faults({ expireSessionAtNextChunk: true, delayChunksMs: 50 });
    const r = await faults({ reset: true });
    assert.equal(r.json.faults.expireSessionAtNextChunk, false);
    assert.equal(r.json.faults.delayChunksMs, 0);
    const stats = (await request('GET', `${url}/_stats`)).json;
    assert.equal(stats.persistedBytes, 0);
    assert.equal(stats.signedUrlsServed, 0);
    assert.equal(stats.signedUrlsRefused, 0);
  });
});
