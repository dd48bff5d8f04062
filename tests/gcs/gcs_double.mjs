// Test double of the Google Cloud Storage JSON API (plus Google's OAuth token
// endpoint, and V4 signed-URL reads of the XML API) for the game-server
// platform's backup tests.
//
// It follows /work/shared/reference/gcs-json-api.md strictly where real GCS is
// strict (256 KiB chunk alignment, exact resume offsets, hashes checked on the
// final request) so that a client which passes here does not depend on
// leniencies of other fakes. Plain HTTP on 127.0.0.1, everything in memory.
//
//   node gcs_double.mjs --port=0 --public-key=PATH [--bucket=NAME]...
//                       [--allow-anonymous] [--verbose]
//
// Control routes (no auth): POST /_faults (JSON), GET /_stats.
// Signed URLs: GET/HEAD /BUCKET/OBJECT?X-Goog-...&X-Goog-Signature=... (the
// signature, checked with the same public key, is the authorization).

import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { pathToFileURL } from 'node:url';

const CHUNK_ALIGN = 262144; // non-final resumable chunks must be multiples of 256 KiB
const TOKEN_LIFETIME_S = 3600;
const MAX_CLOCK_SKEW_S = 300;
const RW_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const MAX_SMALL_BODY = 16 * 1024 * 1024; // JSON / form bodies
const SIGNED_URL_ALGORITHM = 'GOOG4-RSA-SHA256';
const SIGNED_URL_MAX_EXPIRES_S = 604800; // 7 days, the V4 limit
// First path segments the JSON API and control routes own; never bucket names.
const RESERVED_SEGMENTS = new Set(['storage', 'upload', 'download', 'token', '_faults', '_stats']);

// ---------------------------------------------------------------- CRC32C, MD5

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, RFC 4960 App. B.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32cUpdate(crc, buf) {
  for (let i = 0; i < buf.length; i++) crc = CRC32C_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

// Both hashes in GCS wire form: CRC32C as 4 big-endian bytes, MD5 raw, base64.
export function hashChunks(chunks) {
  let crc = 0xffffffff;
  const md5 = crypto.createHash('md5');
  for (const c of chunks) {
    crc = crc32cUpdate(crc, c);
    md5.update(c);
  }
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return { crc32c: crcBytes.toString('base64'), md5Hash: md5.digest('base64') };
}

// X-Goog-Hash may arrive comma-joined or as several header lines.
function parseGoogHash(req) {
  const out = {};
  for (const line of req.headersDistinct['x-goog-hash'] || []) {
    for (const part of line.split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

// Returns an error message, or null when every hash the client sent matches.
function checkHashes(actual, fromHeader, fromMetadata) {
  const claims = [
    ['X-Goog-Hash crc32c', fromHeader.crc32c, actual.crc32c],
    ['X-Goog-Hash md5', fromHeader.md5, actual.md5Hash],
    ['metadata crc32c', fromMetadata.crc32c, actual.crc32c],
    ['metadata md5Hash', fromMetadata.md5Hash, actual.md5Hash],
  ];
  for (const [what, claimed, real] of claims) {
    if (claimed !== undefined && claimed !== real)
      return `Provided ${what} "${claimed}" doesn't match calculated "${real}".`;
  }
  return null;
}

// ------------------------------------------------------------- HTTP helpers

class HttpError extends Error {
  constructor(status, message, reason = 'invalid') {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

function sendJson(res, status, obj, headers = {}) {
  const body = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': body.length, ...headers });
  res.end(body);
}

// GCS's own reason phrases; node knows 308 only as "Permanent Redirect".
const REASONS = { 308: 'Resume Incomplete', 499: 'Client Closed Request' };

function sendEmpty(res, status, headers = {}) {
  res.writeHead(status, REASONS[status] || http.STATUS_CODES[status], { 'Content-Length': 0, ...headers });
  res.end();
}

function sendGcsError(res, status, message, reason = 'invalid') {
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

// An error of the XML API: a Code element instead of a JSON reason, plus
// optional extra elements (Details, StringToSign, ...) as real GCS sends.
class XmlError extends HttpError {
  constructor(status, code, message, extra = {}) {
    super(status, message);
    this.xmlCode = code;
    this.extra = extra;
  }
}

// XML codes for the shared HttpErrors that reach a signed-URL route.
const XML_CODES = { 400: 'InvalidArgument', 404: 'NoSuchKey', 416: 'InvalidRange', 503: 'ServiceUnavailable' };

function xmlEscape(text) {
  const entities = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
  return String(text).replace(/[<>&'"]/g, (c) => entities[c]);
}

function sendXmlError(res, status, code, message, extra = {}) {
  const fields = Object.entries({ Code: code, Message: message, ...extra });
  const inner = fields.map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  const body = Buffer.from(`<?xml version='1.0' encoding='UTF-8'?><Error>${inner}</Error>`);
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': body.length });
  res.end(body);
}

// Reads the whole body as a list of chunks (no copying). With cutAfter set,
// stops after that many bytes, destroys the socket and reports cut: true.
function readBody(req, { limit = Infinity, cutAfter = null } = {}) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let length = 0;
    let settled = false;
    const finish = (result) => {
      if (!settled) (settled = true), resolve(result);
    };
    req.on('data', (chunk) => {
      if (settled) return;
      if (cutAfter !== null && length + chunk.length >= cutAfter) {
        chunks.push(chunk.subarray(0, cutAfter - length));
        length = cutAfter;
        finish({ chunks, length, cut: true });
        req.socket.destroy(); // no answer at all, like a dropped connection
        return;
      }
      chunks.push(chunk);
      length += chunk.length;
      if (length > limit) {
        settled = true;
        req.resume();
        reject(new HttpError(413, 'Request body too large.'));
      }
    });
    req.on('end', () => {
      // A cut that asked for more bytes than the body has still drops the answer.
      finish({ chunks, length, cut: cutAfter !== null });
      if (cutAfter !== null) req.socket.destroy();
    });
    req.on('error', (e) => {
      if (!settled) (settled = true), reject(e);
    });
  });
}

// Consumes any unread body so an early error answer reaches the client cleanly.
function drain(req) {
  if (req.complete || req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.resume();
  });
}

async function readJson(req, { optional = false } = {}) {
  const { chunks, length } = await readBody(req, { limit: MAX_SMALL_BODY });
  if (length === 0) {
    if (optional) return {};
    throw new HttpError(400, 'A JSON body is required.');
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new HttpError(400, 'The request body is not a JSON object.', 'parseError');
  }
}

// Yields views of chunks covering [start, end) without copying.
function* sliceChunks(chunks, start, end) {
  let pos = 0;
  for (const c of chunks) {
    const cStart = pos;
    pos += c.length;
    if (pos <= start) continue;
    if (cStart >= end) break;
    yield c.subarray(Math.max(0, start - cStart), Math.min(c.length, end - cStart));
  }
}

// ----------------------------------------------------------- JWT / tokens

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// Returns an error description, or null when the assertion is acceptable.
function verifyAssertion(jwt, publicKey, audiences, nowS) {
  const parts = typeof jwt === 'string' ? jwt.split('.') : [];
  if (parts.length !== 3) return 'The assertion is not a JWT (three dot-separated parts).';
  let header, claims;
  try {
    header = b64urlJson(parts[0]);
    claims = b64urlJson(parts[1]);
  } catch {
    return 'The JWT header or claims are not base64url JSON.';
  }
  const extraKeys = Object.keys(header).filter((k) => !['alg', 'typ', 'kid'].includes(k));
  if (header.alg !== 'RS256' || header.typ !== 'JWT' || extraKeys.length)
    return 'The JWT header must be {"alg":"RS256","typ":"JWT"} (optionally with "kid").';
  if (!publicKey) return 'No public key is configured for this token endpoint.';
  const signature = Buffer.from(parts[2], 'base64url');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!crypto.verify('RSA-SHA256', signed, publicKey, signature)) return 'Invalid JWT Signature.';
  if (typeof claims.iss !== 'string' || !claims.iss) return 'The JWT has no "iss" claim.';
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(RW_SCOPE))
    return `The JWT "scope" must include ${RW_SCOPE}.`;
  if (!audiences.includes(claims.aud)) return `The JWT "aud" must be ${audiences[0]}.`;
  const { iat, exp } = claims;
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) return 'The JWT "iat" and "exp" must be integers (seconds).';
  if (Math.abs(nowS - iat) > MAX_CLOCK_SKEW_S)
    return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
  if (exp <= nowS) return 'Invalid JWT: the token has expired ("exp" is in the past).';
  if (exp - iat > TOKEN_LIFETIME_S || exp <= iat) return 'Invalid JWT: "exp" must be after "iat" and at most 3600 s later.';
  return null;
}

// ------------------------------------------------------ V4 signed URLs

// Percent-encodes every byte but RFC 3986 unreserved ones, hex in uppercase:
// the form V4 signing canonicalizes names and values to.
function rfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function invalidArgument(details) {
  return new XmlError(400, 'InvalidArgument', 'Invalid argument.', { Details: details });
}

// The raw query as [name, value] pairs, decoded strictly (a malformed escape
// is an error, not something to guess at); "+" is a space as in forms.
function parseRawQuery(requestUrl) {
  const q = requestUrl.indexOf('?');
  const pairs = [];
  for (const part of q < 0 ? [] : requestUrl.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      pairs.push([decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]);
    } catch {
      throw invalidArgument(`Malformed percent-encoding in query parameter "${k}".`);
    }
  }
  return pairs;
}

// "YYYYMMDDTHHMMSSZ" to milliseconds, or null when garbled or not a real date.
function parseGoogDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20240230 over to March; a real date reads back unchanged.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms;
}

// The X-Goog-* parameters, each present once and well formed; else 400.
function signedUrlParams(pairs) {
  const get = (name) => {
    const found = pairs.filter(([k]) => k === name);
    if (found.length > 1) throw invalidArgument(`Query parameter ${name} is given more than once.`);
    return found.length ? found[0][1] : undefined;
  };
  const need = (name) => {
    const value = get(name);
    if (value === undefined || value === '') throw invalidArgument(`Missing required query parameter ${name}.`);
    return value;
  };
  const algorithm = need('X-Goog-Algorithm');
  if (algorithm !== SIGNED_URL_ALGORITHM) throw invalidArgument(`X-Goog-Algorithm must be ${SIGNED_URL_ALGORITHM}, not "${algorithm}".`);
  const date = need('X-Goog-Date');
  const dateMs = parseGoogDate(date);
  if (dateMs === null) throw invalidArgument(`X-Goog-Date "${date}" is not of the form YYYYMMDDTHHMMSSZ.`);
  const credential = need('X-Goog-Credential');
  const cred = /^([^/]+)\/(\d{8})\/auto\/storage\/goog4_request$/.exec(credential);
  if (!cred) throw invalidArgument(`X-Goog-Credential "${credential}" is not EMAIL/YYYYMMDD/auto/storage/goog4_request.`);
  if (cred[2] !== date.slice(0, 8)) throw invalidArgument(`The credential date ${cred[2]} is not the date of X-Goog-Date ${date}.`);
  const expires = need('X-Goog-Expires');
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > SIGNED_URL_MAX_EXPIRES_S)
    throw invalidArgument(`X-Goog-Expires must be an integer from 1 to ${SIGNED_URL_MAX_EXPIRES_S}; got "${expires}".`);
  const signedHeaders = need('X-Goog-SignedHeaders');
  const headerNames = signedHeaders.split(';');
  if (!headerNames.every((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)) || new Set(headerNames).size !== headerNames.length)
    throw invalidArgument(`X-Goog-SignedHeaders "${signedHeaders}" must be distinct lowercase header names joined by ";".`);
  if (!headerNames.includes('host')) throw invalidArgument('X-Goog-SignedHeaders must include host.');
  const signature = need('X-Goog-Signature');
  if (!/^(?:[0-9a-f]{2})+$/.test(signature)) throw invalidArgument('X-Goog-Signature must be lowercase hex.');
  // These become response headers, which take printable ASCII only.
  for (const name of ['response-content-disposition', 'response-content-type']) {
    const value = get(name);
    if (value !== undefined && !/^[\t\x20-\x7e]*$/.test(value)) throw invalidArgument(`${name} must be printable ASCII.`);
  }
  return {
    date, dateMs, signedHeaders, headerNames, signature,
    expiresS: Number(expires),
    scope: `${date.slice(0, 8)}/auto/storage/goog4_request`,
    generation: get('generation') ?? null,
    disposition: get('response-content-disposition'),
    contentType: get('response-content-type'),
  };
}

// Refuses a URL used before X-Goog-Date (less the clock skew) or after it expired.
function checkSignedUrlTime(p, nowMs) {
  const endMs = p.dateMs + p.expiresS * 1000;
  if (nowMs > endMs)
    throw new XmlError(400, 'ExpiredToken', 'Invalid argument.', {
      Details: `The provided token has expired. Request signature expired at: ${new Date(endMs).toISOString()}`,
    });
  if (nowMs < p.dateMs - MAX_CLOCK_SKEW_S * 1000)
    throw new XmlError(400, 'ExpiredToken', 'Invalid argument.', {
      Details: `The provided token is not yet valid. Request signature valid from: ${new Date(p.dateMs).toISOString()}`,
    });
}

// The Host header's hostname, without the port: what the Node client signs.
function signedHost(req) {
  try {
    return new URL(`http://${req.headers.host}`).hostname;
  } catch {
    throw invalidArgument(`Unusable Host header "${req.headers.host}".`);
  }
}

// "name:value\n" per signed header, sorted, values trimmed and collapsed.
function canonicalHeaders(req, names) {
  return [...names].sort().map((name) => {
    const raw = name === 'host' ? signedHost(req) : (req.headersDistinct[name] || []).join(',');
    return `${name}:${raw.trim().replace(/\s+/g, ' ')}\n`;
  }).join('');
}

// Every parameter but the signature, encoded, sorted by name (then value).
function canonicalQuery(pairs) {
  return pairs
    .filter(([k]) => k !== 'X-Goog-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

// Builds what the signer must have signed and checks the signature against
// it; the canonical forms go into the 403 as real GCS reports them.
function verifySignedUrl(req, bucket, name, pairs, p, publicKey) {
  const path = `/${rfc3986(bucket)}/${name.split('/').map(rfc3986).join('/')}`;
  const canonicalRequest = [req.method, path, canonicalQuery(pairs), canonicalHeaders(req, p.headerNames), p.signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
  const hash = crypto.createHash('sha256').update(canonicalRequest).digest('hex');
  const stringToSign = [SIGNED_URL_ALGORITHM, p.date, p.scope, hash].join('\n');
  const ok = publicKey && crypto.verify('RSA-SHA256', Buffer.from(stringToSign), publicKey, Buffer.from(p.signature, 'hex'));
  if (!ok)
    throw new XmlError(403, 'SignatureDoesNotMatch', 'Access denied.', {
      Details: publicKey
        ? 'The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.'
        : 'No public key is configured for this double, so no signature can match.',
      StringToSign: stringToSign,
      CanonicalRequest: canonicalRequest,
    });
}

// ------------------------------------------------------------- the double

function newStats() {
  return {
    tokensIssued: 0, tokensRefused: 0, requests: {}, responses: {}, sent401: 0, sent503: 0, cuts: 0,
    sessionsExpired: 0, persistedBytes: 0, signedUrlsServed: 0, signedUrlsRefused: 0,
  };
}

function parseContentRange(value) {
  if (value === undefined) return null;
  let m = /^bytes \*\/(\*|\d+)$/.exec(value);
  if (m) return { query: true, total: m[1] === '*' ? null : Number(m[1]) };
  m = /^bytes (\d+)-(\d+|\*)\/(\*|\d+)$/.exec(value);
  if (!m) throw new HttpError(400, `Failed to parse Content-Range header "${value}".`);
  return {
    query: false,
    start: Number(m[1]),
    end: m[2] === '*' ? null : Number(m[2]), // "A-*": the chunk ends with the body (Node client)
    total: m[3] === '*' ? null : Number(m[3]),
  };
}

function rangeHeader(persisted) {
  return persisted > 0 ? { Range: `bytes=0-${persisted - 1}` } : {};
}

export function startDouble({ publicKeyPem = null, buckets = ['test-bucket'], allowAnonymous = false, port = 0, verbose = false } = {}) {
  const publicKey = publicKeyPem ? crypto.createPublicKey(publicKeyPem) : null;
  const objects = new Map(buckets.map((b) => [b, new Map()])); // bucket -> name -> object
  const sessions = new Map(); // upload_id -> resumable session
  const tokens = new Map(); // access token -> expiry (ms)
  let stats = newStats();
  // One-shot faults, but delayChunksMs stays until reset or set to 0.
  // expireTokens acts at once (so a token fetched right after it is valid)
  // and therefore always reads back as false.
  const faults = {
    cutNextChunkAfterBytes: null, // read N bytes of the next data PUT, then drop the connection
    fail503Once: false, // the next storage request gets 503
    expireSessionAtNextChunk: false, // the next data PUT or status query finds its session gone
    delayChunksMs: 0, // every data PUT answers this long after its body arrived
    get expireTokens() {
      return false;
    },
    set expireTokens(on) {
      if (on) tokens.clear();
    },
  };
  const clearFaults = () =>
    Object.assign(faults, { cutNextChunkAfterBytes: null, fail503Once: false, expireSessionAtNextChunk: false, delayChunksMs: 0 });
  let lastGeneration = 0;
  let baseUrl = null;

  // ---- objects

  function nextGeneration() {
    // Microsecond timestamps like GCS, kept strictly increasing.
    lastGeneration = Math.max(lastGeneration + 1, Date.now() * 1000);
    return String(lastGeneration);
  }

  function bucketOrThrow(name) {
    const bucket = objects.get(name);
    if (!bucket) throw new HttpError(404, `The specified bucket does not exist: ${name}`, 'notFound');
    return bucket;
  }

  function objectOrThrow(bucketName, name, generation) {
    const obj = bucketOrThrow(bucketName).get(name);
    if (!obj || (generation !== null && generation !== obj.generation))
      throw new HttpError(404, `No such object: ${bucketName}/${name}`, 'notFound');
    return obj;
  }

  function checkPreconditions(bucketName, name, query) {
    const want = query.get('ifGenerationMatch');
    if (want === null) return;
    const existing = objects.get(bucketName)?.get(name);
    const have = existing ? existing.generation : '0';
    if (want !== have) throw new HttpError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet');
  }

  function resource(obj) {
    const path = `b/${obj.bucket}/o/${encodeURIComponent(obj.name)}`;
    const r = {
      kind: 'storage#object',
      id: `${obj.bucket}/${obj.name}/${obj.generation}`,
      selfLink: `${baseUrl}/storage/v1/${path}`,
      mediaLink: `${baseUrl}/download/storage/v1/${path}?generation=${obj.generation}&alt=media`,
      name: obj.name,
      bucket: obj.bucket,
      generation: obj.generation,
      metageneration: '1',
      contentType: obj.contentType,
      storageClass: 'STANDARD',
      size: String(obj.size),
      crc32c: obj.crc32c,
      md5Hash: obj.md5Hash,
      etag: obj.etag,
      timeCreated: obj.created,
      updated: obj.created,
    };
    if (obj.metadata) r.metadata = obj.metadata;
    return r;
  }

  // Verifies hashes and preconditions, then stores the object (the only way
  // objects come into existence, so a failed check leaves nothing behind).
  function createObject({ bucket, name, chunks, contentType, metadata, headerHashes, metadataHashes, query }) {
    const hashes = hashChunks(chunks);
    const mismatch = checkHashes(hashes, headerHashes, metadataHashes);
    if (mismatch) throw new HttpError(400, mismatch);
    checkPreconditions(bucket, name, query);
    const generation = nextGeneration();
    const obj = {
      bucket,
      name,
      generation,
      chunks,
      size: chunks.reduce((n, c) => n + c.length, 0),
      contentType: contentType || 'application/octet-stream',
      metadata: metadata || null,
      ...hashes,
      etag: Buffer.from(generation).toString('base64'),
      created: new Date().toISOString(),
      data() {
        // Concatenate once, on demand, for tests that want a single Buffer.
        if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
        return this.chunks[0] || Buffer.alloc(0);
      },
    };
    bucketOrThrow(bucket).set(name, obj);
    return obj;
  }

  // ---- auth

  function issueToken() {
    const token = `ya29.double-${crypto.randomBytes(24).toString('base64url')}`;
    tokens.set(token, Date.now() + TOKEN_LIFETIME_S * 1000);
    stats.tokensIssued++;
    return token;
  }

  function authorize(req) {
    const header = req.headers.authorization;
    if (header === undefined && allowAnonymous) return;
    const m = /^Bearer (\S+)$/.exec(header || '');
    if (!m) throw new HttpError(401, 'Anonymous caller does not have storage.objects access.', 'required');
    const expiry = tokens.get(m[1]);
    if (expiry === undefined || expiry <= Date.now())
      throw new HttpError(401, 'Invalid Credentials', 'authError');
  }

  async function handleToken(req, res) {
    const type = (req.headers['content-type'] || '').split(';')[0].trim();
    const { chunks } = await readBody(req, { limit: MAX_SMALL_BODY });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const refuse = (description, error = 'invalid_grant') => {
      stats.tokensRefused++;
      sendJson(res, 400, { error, error_description: description });
    };
    if (type !== 'application/x-www-form-urlencoded') return refuse('Content-Type must be application/x-www-form-urlencoded.', 'invalid_request');
    if (form.get('grant_type') !== JWT_GRANT) return refuse(`grant_type must be ${JWT_GRANT}.`, 'unsupported_grant_type');
    // The canonical URL, or the same port reached under another host name.
    const audiences = [`${baseUrl}/token`, `http://${req.headers.host}/token`];
    const problem = verifyAssertion(form.get('assertion'), publicKey, audiences, Math.floor(Date.now() / 1000));
    if (problem) return refuse(problem);
    sendJson(res, 200, { access_token: issueToken(), token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S });
  }

  // ---- control routes

  async function handleFaults(req, res) {
    const body = await readJson(req);
    const cut = body.cutNextChunkAfterBytes;
    if (cut !== undefined && cut !== null && !(Number.isInteger(cut) && cut >= 0))
      throw new HttpError(400, 'cutNextChunkAfterBytes must be a non-negative integer or null.');
    const delay = body.delayChunksMs;
    if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0))
      throw new HttpError(400, 'delayChunksMs must be a non-negative integer (0 turns it off).');
    // reset clears pending faults and the /_stats counters; objects stay.
    if (body.reset) {
      clearFaults();
      stats = newStats();
    }
    if (cut !== undefined) faults.cutNextChunkAfterBytes = cut;
    if ('fail503Once' in body) faults.fail503Once = !!body.fail503Once;
    if ('expireTokens' in body) faults.expireTokens = !!body.expireTokens;
    if ('expireSessionAtNextChunk' in body) faults.expireSessionAtNextChunk = !!body.expireSessionAtNextChunk;
    if (delay !== undefined) faults.delayChunksMs = delay;
    sendJson(res, 200, { faults });
  }

  function handleStats(req, res) {
    const count = [...objects.values()].reduce((n, b) => n + b.size, 0);
    sendJson(res, 200, { ...stats, objects: count, openSessions: [...sessions.values()].filter((s) => !s.done).length });
  }

  // ---- simple and multipart uploads

  async function handleMediaUpload(req, res, { bucket, query }) {
    bucketOrThrow(bucket);
    const name = query.get('name');
    if (!name) throw new HttpError(400, 'Required parameter: name', 'required');
    const { chunks } = await readBody(req);
    const obj = createObject({
      bucket, name, chunks, query,
      contentType: req.headers['content-type'],
      headerHashes: parseGoogHash(req),
      metadataHashes: {},
    });
    sendJson(res, 200, resource(obj));
  }

  async function handleMultipartUpload(req, res, { bucket, query }) {
    bucketOrThrow(bucket);
    const type = req.headers['content-type'] || '';
    const m = /^multipart\/related;.*boundary="?([^";]+)"?/i.exec(type);
    if (!m) throw new HttpError(400, 'uploadType=multipart needs Content-Type: multipart/related; boundary=...');
    const { chunks } = await readBody(req);
    const [metaPart, dataPart] = splitMultipart(Buffer.concat(chunks), m[1]);
    let meta;
    try {
      meta = JSON.parse(metaPart.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'The first multipart part must be JSON metadata.', 'parseError');
    }
    const name = query.get('name') || meta.name;
    if (!name) throw new HttpError(400, 'Required parameter: name', 'required');
    if (meta.name && query.get('name') && meta.name !== query.get('name'))
      throw new HttpError(400, 'The object name in the metadata and in the query disagree.');
    const obj = createObject({
      bucket, name, query,
      chunks: [dataPart.body],
      contentType: meta.contentType || dataPart.headers['content-type'],
      metadata: meta.metadata,
      headerHashes: parseGoogHash(req),
      metadataHashes: { crc32c: meta.crc32c, md5Hash: meta.md5Hash },
    });
    sendJson(res, 200, resource(obj));
  }

  // ---- resumable uploads

  async function handleResumableStart(req, res, { bucket, query }) {
    bucketOrThrow(bucket);
    const meta = await readJson(req, { optional: true });
    const name = query.get('name') || meta.name;
    if (!name) throw new HttpError(400, 'Required parameter: name', 'required');
    if (meta.name && query.get('name') && meta.name !== query.get('name'))
      throw new HttpError(400, `Value '${meta.name}' in content does not agree with value '${query.get('name')}'.`);
    checkPreconditions(bucket, name, query); // checked again when the upload completes
    const declared = req.headers['x-upload-content-length'];
    if (declared !== undefined && !/^\d+$/.test(declared)) throw new HttpError(400, 'Invalid X-Upload-Content-Length.');
    const id = crypto.randomBytes(16).toString('hex');
    sessions.set(id, {
      id, bucket, name,
      query: new URLSearchParams(query), // keeps ifGenerationMatch for completion
      contentType: meta.contentType || req.headers['x-upload-content-type'],
      metadata: meta.metadata,
      metadataHashes: { crc32c: meta.crc32c, md5Hash: meta.md5Hash },
      total: declared !== undefined ? Number(declared) : null,
      chunks: [],
      persisted: 0,
      done: false,
      object: null,
    });
    const location = `${baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable` +
      `&name=${encodeURIComponent(name)}&upload_id=${id}`;
    sendEmpty(res, 200, { Location: location });
  }

  function sessionOrThrow(bucket, query) {
    const session = sessions.get(query.get('upload_id') || '');
    if (!session || session.bucket !== bucket) throw new HttpError(404, 'No such upload session.', 'notFound');
    return session;
  }

  // A total size from Content-Range or X-Upload-Content-Length must not change.
  function settleTotal(session, total) {
    if (total === null) return;
    if (session.total !== null && session.total !== total)
      throw new HttpError(400, `The upload's total size changed from ${session.total} to ${total}.`);
    if (total < session.persisted) throw new HttpError(400, `Total size ${total} is below the ${session.persisted} bytes already persisted.`);
    session.total = total;
  }

  function finishSession(req, res, session, lastChunks) {
    const obj = createObject({
      bucket: session.bucket,
      name: session.name,
      chunks: session.chunks.concat(lastChunks),
      contentType: session.contentType,
      metadata: session.metadata,
      headerHashes: parseGoogHash(req),
      metadataHashes: session.metadataHashes,
      query: session.query,
    });
    stats.persistedBytes += lastChunks.reduce((n, c) => n + c.length, 0);
    session.done = true;
    session.chunks = []; // the object owns the data now
    session.persisted = obj.size;
    session.object = obj;
    sendJson(res, 200, resource(obj));
  }

  async function handleStatusQuery(req, res, session, range) {
    const { length } = await readBody(req, { limit: MAX_SMALL_BODY });
    if (length !== 0) throw new HttpError(400, 'A "bytes */N" request must have an empty body.');
    settleTotal(session, range.total);
    // "bytes */N" once all N bytes are in finalizes (stream ended on a chunk boundary).
    if (session.total !== null && range.total !== null && session.persisted === session.total)
      return finishSession(req, res, session, []);
    sendEmpty(res, 308, rangeHeader(session.persisted));
  }

  async function handleResumablePut(req, res, { bucket, query }) {
    const session = sessionOrThrow(bucket, query);
    if (session.done) {
      await drain(req);
      return sendJson(res, 200, resource(session.object));
    }
    if (faults.expireSessionAtNextChunk) expireSession(session);
    // No Content-Range: the whole object in one request (the docs' single-request form).
    const range = parseContentRange(req.headers['content-range']) ?? { query: false, start: 0, end: null, total: null };
    if (range.query) return handleStatusQuery(req, res, session, range);

    if (range.start !== session.persisted)
      throw new HttpError(400, `Invalid request: the chunk starts at ${range.start} but ${session.persisted} bytes are persisted; resume from there.`);
    if (range.end !== null && range.end < range.start) throw new HttpError(400, 'Content-Range ends before it starts.');
    settleTotal(session, range.total);
    if (range.end !== null && session.total !== null && range.end >= session.total)
      throw new HttpError(400, `Content-Range ends at byte ${range.end}, past the total size ${session.total}.`);

    const cutAfter = faults.cutNextChunkAfterBytes;
    const body = await readBody(req, { cutAfter: cutAfter ?? null });
    if (body.cut) return persistCut(session, body);
    if (faults.delayChunksMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayChunksMs));
    // While this body arrived (or waited) a retry may have moved the session on.
    if (sessions.get(session.id) !== session) throw new HttpError(404, 'No such upload session.', 'notFound');
    if (session.done || session.persisted !== range.start)
      throw new HttpError(400, `Invalid request: the chunk starts at ${range.start} but ${session.persisted} bytes are persisted; resume from there.`);

    const length = body.length;
    if (range.end !== null && length !== range.end - range.start + 1)
      throw new HttpError(400, `Content-Range announces ${range.end - range.start + 1} bytes but the body has ${length}.`);
    const endExclusive = range.start + length;
    // "A-*/*" means the body is the rest of the object (what the Node client sends).
    const total = session.total ?? (range.end === null && range.total === null ? endExclusive : null);
    if (total !== null && endExclusive > total) throw new HttpError(400, `The data runs past the total size ${total}.`);
    if (total !== null && endExclusive === total) {
      session.total = total;
      return finishSession(req, res, session, body.chunks);
    }
    if (length % CHUNK_ALIGN !== 0)
      throw new HttpError(400, `Invalid request. A non-final chunk must be a multiple of ${CHUNK_ALIGN} bytes; this one has ${length}.`);
    session.chunks.push(...body.chunks);
    session.persisted = endExclusive;
    stats.persistedBytes += length;
    sendEmpty(res, 308, rangeHeader(session.persisted));
  }

  // Like an upload session that outlived its week on real GCS: gone for good.
  function expireSession(session) {
    faults.expireSessionAtNextChunk = false;
    stats.sessionsExpired++;
    sessions.delete(session.id);
    throw new HttpError(404, 'No such upload session.', 'notFound');
  }

  // GCS may keep less than it received: keep whole 256 KiB blocks only.
  function persistCut(session, body) {
    faults.cutNextChunkAfterBytes = null;
    stats.cuts++;
    let keep = Math.floor(body.length / CHUNK_ALIGN) * CHUNK_ALIGN;
    for (const c of body.chunks) {
      if (keep <= 0) break;
      const part = c.subarray(0, Math.min(c.length, keep));
      session.chunks.push(part);
      session.persisted += part.length;
      stats.persistedBytes += part.length;
      keep -= part.length;
    }
  }

  async function handleResumableCancel(req, res, { bucket, query }) {
    const session = sessionOrThrow(bucket, query);
    await drain(req);
    sessions.delete(session.id);
    sendEmpty(res, 499);
  }

  // ---- reads, list, delete

  async function handleObjectGet(req, res, { bucket, name, query }) {
    await drain(req);
    const obj = objectOrThrow(bucket, name, query.get('generation'));
    if (query.get('alt') === 'media') return sendMedia(req, res, obj);
    if (query.get('alt') && query.get('alt') !== 'json') throw new HttpError(400, `Unsupported alt=${query.get('alt')}.`);
    sendJson(res, 200, resource(obj));
  }

  async function handleDownload(req, res, { bucket, name, query }) {
    if (query.get('alt') !== 'media') throw new HttpError(400, '/download needs alt=media.');
    return handleObjectGet(req, res, { bucket, name, query });
  }

  // "bytes=a-b", "bytes=a-" or "bytes=-n"; anything else is ignored (HTTP rules).
  function parseRange(value, size) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(value || '');
    if (!m || (m[1] === '' && m[2] === '')) return null;
    if (m[1] === '') return { start: Math.max(0, size - Number(m[2])), end: size }; // suffix
    const start = Number(m[1]);
    const end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
    if (start >= size || end <= start) return { unsatisfiable: true };
    return { start, end };
  }

  // overrides: response headers a signed URL asked for (response-content-*).
  function sendMedia(req, res, obj, overrides = {}) {
    const headers = {
      'Content-Type': obj.contentType,
      'Accept-Ranges': 'bytes',
      ETag: obj.etag,
      // The hash always covers the whole stored object, ranged reads included.
      'x-goog-hash': `crc32c=${obj.crc32c},md5=${obj.md5Hash}`,
      'x-goog-generation': obj.generation,
      'x-goog-metageneration': '1',
      // Without this header the Node client silently skips its hash validation.
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(obj.size),
    };
    let status = 200;
    let start = 0;
    let end = obj.size;
    const range = parseRange(req.headers.range, obj.size);
    if (range?.unsatisfiable) {
      throw new HttpError(416, 'The requested range cannot be satisfied.', 'requestedRangeNotSatisfiable');
    } else if (range) {
      ({ start, end } = range);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end - 1}/${obj.size}`;
    }
    headers['Content-Length'] = end - start;
    res.writeHead(status, { ...headers, ...overrides });
    if (req.method === 'HEAD') return res.end();
    pipeline(Readable.from(sliceChunks(obj.chunks, start, end)), res, () => {});
  }

  // A V4 signed URL read: parameters, time, signature, then the object, in
  // that order, so nothing about objects leaks to an unverified caller.
  async function handleSignedGet(req, res, { bucket, name }) {
    await drain(req);
    try {
      const pairs = parseRawQuery(req.url);
      const p = signedUrlParams(pairs);
      checkSignedUrlTime(p, Date.now());
      verifySignedUrl(req, bucket, name, pairs, p, publicKey);
      if (!objects.has(bucket)) throw new XmlError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
      const obj = objects.get(bucket).get(name);
      if (!obj || (p.generation !== null && p.generation !== obj.generation))
        throw new XmlError(404, 'NoSuchKey', 'The specified key does not exist.', { Details: `No such object: ${bucket}/${name}` });
      const overrides = {};
      if (p.contentType !== undefined) overrides['Content-Type'] = p.contentType;
      if (p.disposition !== undefined) overrides['Content-Disposition'] = p.disposition;
      sendMedia(req, res, obj, overrides);
      stats.signedUrlsServed++;
    } catch (err) {
      stats.signedUrlsRefused++;
      throw err;
    }
  }

  async function handleObjectDelete(req, res, { bucket, name, query }) {
    await drain(req);
    objectOrThrow(bucket, name, query.get('generation'));
    checkPreconditions(bucket, name, query);
    objects.get(bucket).delete(name);
    sendEmpty(res, 204);
  }

  async function handleList(req, res, { bucket, query }) {
    await drain(req);
    const prefix = query.get('prefix') || '';
    const delimiter = query.get('delimiter') || '';
    const maxResults = Math.min(1000, Math.max(1, Number(query.get('maxResults')) || 1000));
    const after = query.get('pageToken') ? Buffer.from(query.get('pageToken'), 'base64url').toString('utf8') : null;

    // One sorted list of entries (objects and collapsed prefixes), paged by key.
    const entries = new Map();
    for (const [name, obj] of bucketOrThrow(bucket)) {
      if (!name.startsWith(prefix)) continue;
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) entries.set(name.slice(0, cut + delimiter.length), null);
      else entries.set(name, obj);
    }
    const keys = [...entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const from = after === null ? 0 : keys.findIndex((k) => Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0);
    const page = from < 0 ? [] : keys.slice(from, from + maxResults);
    const items = page.filter((k) => entries.get(k)).map((k) => resource(entries.get(k)));
    const prefixes = page.filter((k) => !entries.get(k));
    const body = { kind: 'storage#objects' };
    if (prefixes.length) body.prefixes = prefixes;
    body.items = items;
    if (from >= 0 && from + maxResults < keys.length) body.nextPageToken = Buffer.from(page[page.length - 1]).toString('base64url');
    sendJson(res, 200, body);
  }

  async function handleBucketGet(req, res, { bucket }) {
    await drain(req);
    bucketOrThrow(bucket);
    sendJson(res, 200, { kind: 'storage#bucket', id: bucket, name: bucket, location: 'US', storageClass: 'STANDARD' });
  }

  // ---- routing

  // Returns { name, handler, storage, signedUrl, params } or null. Path
  // segments are decoded one by one, so a JSON API object name must arrive as
  // a single %2F-encoded segment, as the reference requires; a signed URL's
  // object name is every segment after the bucket, joined with "/".
  function route(method, pathname, query, headers) {
    let segs;
    try {
      segs = pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return null;
    }
    const p = segs.join('/');
    const is = (...want) => want.length === segs.length && want.every((w, i) => w === null || w === segs[i]);
    if (method === 'POST' && p === 'token') return { name: 'token', handler: handleToken };
    if (method === 'POST' && p === '_faults') return { name: 'faults', handler: handleFaults };
    if (method === 'GET' && p === '_stats') return { name: 'stats', handler: handleStats };

    const storage = (name, handler, params) => ({ name, handler, storage: true, params: { query, ...params } });
    if (is('upload', 'storage', 'v1', 'b', null, 'o')) {
      const bucket = segs[4];
      const type = query.get('uploadType');
      if (method === 'POST' && type === 'resumable') return storage('upload.start', handleResumableStart, { bucket });
      if (method === 'POST' && type === 'media') return storage('upload.media', handleMediaUpload, { bucket });
      if (method === 'POST' && type === 'multipart') return storage('upload.multipart', handleMultipartUpload, { bucket });
      if (method === 'PUT' && type === 'resumable') {
        // Counted apart so tests can see how often a client asked for the status.
        const isQuery = (headers['content-range'] || '').startsWith('bytes */');
        return storage(isQuery ? 'upload.status' : 'upload.put', handleResumablePut, { bucket });
      }
      if (method === 'DELETE' && type === 'resumable') return storage('upload.cancel', handleResumableCancel, { bucket });
      return null;
    }
    if (is('download', 'storage', 'v1', 'b', null, 'o', null) && (method === 'GET' || method === 'HEAD'))
      return storage('object.download', handleDownload, { bucket: segs[4], name: segs[6] });
    if (is('storage', 'v1', 'b', null) && method === 'GET') return storage('bucket.get', handleBucketGet, { bucket: segs[3] });
    if (is('storage', 'v1', 'b', null, 'o') && method === 'GET') return storage('object.list', handleList, { bucket: segs[3] });
    if (is('storage', 'v1', 'b', null, 'o', null)) {
      const params = { bucket: segs[3], name: segs[5] };
      if (method === 'GET' || method === 'HEAD')
        return storage(query.get('alt') === 'media' ? 'object.download' : 'object.get', handleObjectGet, params);
      if (method === 'DELETE') return storage('object.delete', handleObjectDelete, params);
    }
    // Last, so a signature parameter never takes over a JSON API path.
    const objectName = segs.slice(1).join('/');
    if ((method === 'GET' || method === 'HEAD') && query.has('X-Goog-Signature') && segs[0] && !RESERVED_SEGMENTS.has(segs[0]) && objectName)
      return { ...storage('signed.get', handleSignedGet, { bucket: segs[0], name: objectName }), signedUrl: true };
    return null;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const r = route(req.method, url.pathname, url.searchParams, req.headers);
    const name = r ? r.name : 'unknown';
    stats.requests[name] = (stats.requests[name] || 0) + 1;
    res.on('close', () => {
      const outcome = res.writableFinished ? res.statusCode : 'dropped';
      stats.responses[outcome] = (stats.responses[outcome] || 0) + 1;
      if (verbose) process.stderr.write(`${req.method} ${req.url} -> ${outcome}\n`);
    });
    try {
      if (!r) throw new HttpError(404, `Not Found: ${req.method} ${url.pathname}`, 'notFound');
      if (r.storage && faults.fail503Once) {
        faults.fail503Once = false;
        stats.sent503++;
        throw new HttpError(503, 'Service Unavailable (injected fault).', 'backendError');
      }
      if (r.storage && !r.signedUrl) authorize(req); // a signed URL carries its own authorization
      await r.handler(req, res, r.params);
    } catch (err) {
      if (res.headersSent || req.socket.destroyed) return;
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 401) stats.sent401++;
      if (status === 500) process.stderr.write(`gcs double: ${err.stack}\n`);
      await drain(req);
      // The XML API answers in XML, whatever part of the double refused.
      if (r?.signedUrl) sendXmlError(res, status, err.xmlCode || XML_CODES[status] || 'InternalError', err.message, err.extra);
      else sendGcsError(res, status, err.message, err.reason || 'backendError');
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => process.stderr.write(`gcs double: ${err.stack}\n`));
  });
  // Uploads of a few hundred MB may take a while on a busy test machine.
  server.requestTimeout = 0;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url: baseUrl,
        faults,
        objects,
        get stats() {
          return stats;
        },
        close() {
          return new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}

// Splits a multipart/related body into its parts: [{headers, body}].
function splitMultipart(buf, boundary) {
  const delim = Buffer.from(`--${boundary}`);
  const parts = [];
  let pos = buf.indexOf(delim);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (buf.subarray(after, after + 2).toString() === '--') break; // closing delimiter
    const next = buf.indexOf(delim, after);
    if (next < 0) break;
    // Part = CRLF headers CRLF CRLF body CRLF
    const part = buf.subarray(after + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headerText = split >= 0 ? part.subarray(0, split).toString('utf8') : '';
    const headers = {};
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: split >= 0 ? part.subarray(split + 4) : Buffer.alloc(0) });
    pos = next;
  }
  if (parts.length !== 2) throw new HttpError(400, `A multipart upload needs exactly 2 parts (metadata, media); got ${parts.length}.`);
  return parts;
}

// ------------------------------------------------------------------- CLI

function parseArgs(argv) {
  const args = { port: 0, publicKey: null, buckets: [], allowAnonymous: false, verbose: false };
  for (const a of argv) {
    const [key, value] = a.split(/=(.*)/s);
    if (key === '--port') args.port = Number(value);
    else if (key === '--public-key') args.publicKey = value;
    else if (key === '--bucket') args.buckets.push(value);
    else if (key === '--allow-anonymous') args.allowAnonymous = true;
    else if (key === '--verbose') args.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const double = await startDouble({
    publicKeyPem: args.publicKey ? fs.readFileSync(args.publicKey, 'utf8') : null,
    buckets: args.buckets.length ? args.buckets : undefined,
    allowAnonymous: args.allowAnonymous,
    port: args.port,
    verbose: args.verbose,
  });
  process.stdout.write(`listening ${double.url}\n`);
  const stop = () => double.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  main().catch((err) => {
    process.stderr.write(`gcs double: ${err.message}\n`);
    process.exit(2);
  });
}
