// Reads back, with Google's own Node client (@google-cloud/storage), an object
// that the platform's C++ code uploaded to the test double, and checks it the
// way the client does (its CRC32C/MD5 validation) and against the sums and
// size the uploader says. Exit 0 when all agree.
// Usage: node read_back.mjs URL BUCKET OBJECT CRC32C MD5 SIZE
import { Storage } from "@google-cloud/storage";

const [url, bucket, name, crc32c, md5, size] = process.argv.slice(2);
const storage = new Storage({ apiEndpoint: url, projectId: "test" });
const file = storage.bucket(bucket).file(name);
const [meta] = await file.getMetadata();
const fail = (why) => { console.error(`read_back: ${why}`); process.exit(1); };
if (meta.crc32c !== crc32c) fail(`stored crc32c ${meta.crc32c}, uploader sent ${crc32c}`);
if (meta.md5Hash !== md5) fail(`stored md5 ${meta.md5Hash}, uploader sent ${md5}`);
if (String(meta.size) !== size) fail(`stored size ${meta.size}, uploader sent ${size}`);
// download() validates the body against x-goog-hash (crc32c by default).
const [data] = await file.download({ validation: "crc32c" });
if (data.length !== Number(size)) fail(`downloaded ${data.length} bytes`);
console.log(`read back ${name}: ${data.length} bytes, crc32c ${meta.crc32c}, md5 ${meta.md5Hash}`);
