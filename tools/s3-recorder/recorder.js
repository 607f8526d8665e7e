#!/usr/bin/env node
// Recording, fault-injecting proxy in front of s3rver, for Doppel.Sinks.S3 tests.
//
// Why it exists: s3rver accepts but does not store the SSE headers, does not verify Content-MD5,
// and implements neither AbortMultipartUpload nor ListMultipartUploads. This proxy
//   * records every S3 request (method, path, operation, x-amz-server-side-encryption* headers,
//     whether Content-MD5 matched the streamed body) as JSON lines in a log file and in memory;
//   * emulates AbortMultipartUpload and ListMultipartUploads from s3rver's own upload directories,
//     so the answer reflects exactly what s3rver still holds;
//   * injects faults on request (error status, connection reset mid-body, corrupted body) through
//     a control API, without forwarding the faulty request, so s3rver never stores a partial object.
// Bodies are streamed in both directions (multipart parts of many MB pass through).
//
// Control API (paths under /__recorder/, JSON):
//   GET    /__recorder/health                      -> {"ok":true}
//   GET    /__recorder/requests?bucket=B           -> [entry, ...] recorded for bucket B
//   POST   /__recorder/faults   {rule}             -> adds a fault rule (see matchFault)
//   DELETE /__recorder/faults?bucket=B             -> removes the rules of bucket B
// A rule: {"bucket":"b","method":"PUT","key":"part-of-key","query":"partNumber=2","times":2,
//          "action":"status"|"reset"|"corrupt"|"hang"|"drop-response","status":500,"code":"InternalError","message":"..."}
//   status: answer with that S3 error; reset: cut the connection after afterBytes of body;
//   corrupt: answer 400 BadDigest (bytes damaged in transit); hang: never answer;
//   drop-response: let s3rver act, then cut the connection instead of answering.
// Faults other than drop-response never reach s3rver. The recorder also answers NoSuchUpload for
// UploadPart/CompleteMultipartUpload of unknown upload ids, as S3 does and s3rver does not.
//
// Usage: node recorder.js --listen 127.0.0.1:4569 --upstream 127.0.0.1:4568 \
//          --log /path/requests.jsonl --s3rver-dir /path/to/s3rver/data
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const [listenHost, listenPort] = arg('listen', '127.0.0.1:4569').split(':');
const [upHost, upPort] = arg('upstream', '127.0.0.1:4568').split(':');
const logPath = arg('log', path.join(process.cwd(), 'requests.jsonl'));
const s3rverDir = arg('s3rver-dir', null);

const entries = []; // in-memory copy of the log, bounded below
const MAX_ENTRIES = 200000;
let faults = [];
// Keep one previous log when the current one has grown large; the log is for people, tests use the API.
try {
  if (fs.statSync(logPath).size > 64 * 1024 * 1024) fs.renameSync(logPath, `${logPath}.1`);
} catch {
  // no log yet
}
const logStream = fs.createWriteStream(logPath, { flags: 'a' });

function record(entry) {
  entries.push(entry);
  if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
  logStream.write(JSON.stringify(entry) + '\n');
}

// Path-style addressing only (the publisher forces it for custom endpoints): /bucket/key...
function parseTarget(req) {
  const url = new URL(req.url, 'http://x');
  const segments = url.pathname.split('/');
  const bucket = decodeURIComponent(segments[1] || '');
  const key = segments.length > 2 ? decodeURIComponent(segments.slice(2).join('/')) : '';
  return { url, bucket, key, query: url.search.replace(/^\?/, '') };
}

function operation(method, key, q) {
  const has = name => q.has(name);
  if (!key) {
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'GET' && has('uploads')) return 'ListMultipartUploads';
    if (method === 'GET') return 'ListObjects';
    return `${method}Bucket`;
  }
  if (method === 'PUT' && has('uploadId')) return 'UploadPart';
  if (method === 'PUT') return 'PutObject';
  if (method === 'POST' && has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'DELETE') return 'DeleteObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  return method;
}

function xmlEscape(s) {
  return String(s).replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

function s3Error(res, status, code, message, extra) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message>${extra || ''}<RequestId>recorder</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readAll(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// --- s3rver upload directories: <dir>/<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,1,2,...}
function uploadsDir(bucket) {
  return s3rverDir ? path.join(s3rverDir, bucket, '._S3rver_uploads') : null;
}

function listUploads(bucket) {
  const dir = uploadsDir(bucket);
  if (!dir || !fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap(id => {
    try {
      return [{ id, key: fs.readFileSync(path.join(dir, id, 'key'), 'utf8') }];
    } catch {
      return [];
    }
  });
}

function uploadExists(target) {
  const dir = uploadsDir(target.bucket);
  const id = target.url.searchParams.get('uploadId') || '';
  return !dir || (/^[0-9a-f]+$/.test(id) && fs.existsSync(path.join(dir, id)));
}

async function control(req, res, url) {
  const bucket = url.searchParams.get('bucket');
  if (url.pathname === '/__recorder/health') return sendJson(res, 200, { ok: true });
  if (url.pathname === '/__recorder/requests' && req.method === 'GET') {
    return sendJson(res, 200, entries.filter(e => !bucket || e.bucket === bucket));
  }
  if (url.pathname === '/__recorder/faults' && req.method === 'POST') {
    const rule = JSON.parse((await readAll(req)).toString('utf8'));
    rule.times = rule.times === undefined ? 1 : rule.times;
    faults.push(rule);
    return sendJson(res, 200, { ok: true, rules: faults.length });
  }
  if (url.pathname === '/__recorder/faults' && req.method === 'DELETE') {
    faults = faults.filter(f => bucket && f.bucket !== bucket);
    return sendJson(res, 200, { ok: true, rules: faults.length });
  }
  return sendJson(res, 404, { error: 'unknown control path' });
}

function matchFault(method, target) {
  const rule = faults.find(f => f.times > 0 &&
    (!f.bucket || f.bucket === target.bucket) &&
    (!f.method || f.method === method) &&
    (f.key === undefined || target.key.includes(f.key)) &&
    (!f.query || target.query.includes(f.query)));
  if (rule) rule.times--;
  return rule;
}

// Applies a fault without contacting s3rver. 'reset' destroys the connection after some body bytes,
// as a dropped connection would; 'status' and 'corrupt' read the body, then answer with an S3 error.
function injectFault(rule, req, res, entry) {
  entry.fault = rule.action;
  if (rule.action === 'drop-response') return forward(req, res, entry, true);
  if (rule.action === 'hang') {
    // Read the body, never answer: the client's timeout must fire. Closed when the client gives up.
    req.resume();
    req.on('end', () => record(entry));
    return undefined;
  }
  if (rule.action === 'reset') {
    let seen = 0;
    const after = rule.afterBytes === undefined ? 1024 : rule.afterBytes;
    const cut = () => {
      entry.bytes = seen;
      record(entry);
      req.socket.destroy();
    };
    if (after === 0) return cut();
    req.on('data', c => {
      seen += c.length;
      if (seen >= after) cut();
    });
    req.on('end', cut);
    return undefined;
  }
  let bytes = 0;
  req.on('data', c => { bytes += c.length; });
  req.on('end', () => {
    entry.bytes = bytes;
    entry.status = rule.action === 'corrupt' ? 400 : rule.status || 500;
    record(entry);
    if (rule.action === 'corrupt') {
      s3Error(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    } else {
      s3Error(res, entry.status, rule.code || 'InternalError', rule.message || 'Injected failure.');
    }
  });
  return undefined;
}

function emulate(op, req, res, target, entry) {
  if (op === 'ListMultipartUploads') {
    const uploads = listUploads(target.bucket);
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xmlEscape(target.bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      '<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>' +
      uploads.map(u => `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${u.id}</UploadId>` +
        '<StorageClass>STANDARD</StorageClass><Initiated>2000-01-01T00:00:00.000Z</Initiated></Upload>').join('') +
      '</ListMultipartUploadsResult>';
    entry.status = 200;
    record(entry);
    res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    return res.end(body);
  }
  // AbortMultipartUpload: drop the upload directory, as S3 drops the stored parts.
  const id = new URL(req.url, 'http://x').searchParams.get('uploadId') || '';
  const dir = uploadsDir(target.bucket);
  req.resume();
  if (!/^[0-9a-f]+$/.test(id) || !dir || !fs.existsSync(path.join(dir, id))) {
    entry.status = 404;
    record(entry);
    return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.', `<UploadId>${xmlEscape(id)}</UploadId>`);
  }
  fs.rmSync(path.join(dir, id), { recursive: true, force: true });
  entry.status = 204;
  record(entry);
  res.writeHead(204);
  return res.end();
}

// dropResponse: s3rver performs the request, but the client loses the answer (connection cut),
// as when a response is lost in the network after S3 has acted.
function forward(req, res, entry, dropResponse) {
  const headers = { ...req.headers };
  const md5Header = req.headers['content-md5'];
  const md5 = md5Header ? crypto.createHash('md5') : null;
  let bytes = 0;
  const upstream = http.request(
    { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers },
    up => {
      entry.status = up.statusCode;
      if (dropResponse) {
        up.resume();
        up.on('end', () => {
          record(entry);
          req.socket.destroy();
        });
        return;
      }
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
      up.on('end', () => record(entry));
    });
  upstream.on('error', err => {
    entry.status = 502;
    entry.error = err.code || err.message;
    record(entry);
    if (!res.headersSent) s3Error(res, 502, 'BadGateway', `s3rver unreachable: ${err.message}`);
    else res.destroy();
  });
  req.on('data', chunk => {
    bytes += chunk.length;
    if (md5) md5.update(chunk);
  });
  req.on('end', () => {
    entry.bytes = bytes;
    // Recorded, not enforced: s3rver itself would store the bytes anyway (see header comment).
    if (md5) entry.md5Ok = md5.digest('base64') === md5Header;
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  const target = parseTarget(req);
  if (target.url.pathname.startsWith('/__recorder/')) {
    control(req, res, target.url).catch(err => sendJson(res, 500, { error: String(err) }));
    return;
  }
  const op = operation(req.method, target.key, target.url.searchParams);
  const entry = {
    op,
    method: req.method,
    path: target.url.pathname,
    query: target.query,
    bucket: target.bucket,
    key: target.key,
    sse: req.headers['x-amz-server-side-encryption'] || null,
    sseKmsKeyId: req.headers['x-amz-server-side-encryption-aws-kms-key-id'] || null,
    contentMd5: req.headers['content-md5'] || null,
    contentSha256: req.headers['x-amz-content-sha256'] || null,
    contentEncoding: req.headers['content-encoding'] || null,
    bytes: 0,
    status: null,
  };
  const rule = matchFault(req.method, target);
  if (rule) return injectFault(rule, req, res, entry);
  if (op === 'ListMultipartUploads' || op === 'AbortMultipartUpload') return emulate(op, req, res, target, entry);
  if ((op === 'UploadPart' || op === 'CompleteMultipartUpload') && !uploadExists(target)) {
    // S3 answers 404 NoSuchUpload; s3rver would recreate the folder (parts) or fail with a 500 (complete).
    req.resume();
    entry.status = 404;
    record(entry);
    return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
  }
  return forward(req, res, entry);
});

// Large uploads through a slow shared machine: no server-side request timeout.
server.requestTimeout = 0;
server.listen(Number(listenPort), listenHost, () => {
  process.stdout.write(`recorder listening on ${listenHost}:${listenPort} -> ${upHost}:${upPort}\n`);
});
