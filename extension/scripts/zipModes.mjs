// The Unix mode of each entry of a zip archive (a VSIX), read from its central directory.
//
// Pure: takes the archive's bytes. Only what vsce writes is supported: no zip64, no archive
// comment longer than the format allows. An entry made on a system that records no Unix mode
// (the "version made by" host is not 3) gets mode 0.

import { Buffer } from "node:buffer";

const END_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;
const UNIX_HOST = 3;

/** Map from entry name to its Unix mode bits (e.g. 0o100755). Throws on a malformed archive. */
export function zipEntryModes(bytes) {
  return new Map([...zipEntries(bytes)].map(([name, entry]) => [name, entry.mode]));
}

/** Map from entry name to { mode, size (uncompressed), crc32 }. Throws on a malformed archive. */
export function zipEntries(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(buf);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const modes = new Map();
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== ENTRY_SIGNATURE) {
      throw new Error(`zip: central directory entry ${i} is not where the directory says`);
    }
    const host = buf.readUInt8(at + 5);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const external = buf.readUInt32LE(at + 38);
    const crc32 = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 24);
    if (at + 46 + nameLength > buf.length) {
      throw new Error(`zip: entry ${i}'s name runs past the end`);
    }
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    modes.set(name, { mode: host === UNIX_HOST ? external >>> 16 : 0, size, crc32 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

// The end-of-central-directory record: 22 bytes plus a comment of at most 65535, at the very end.
function findEnd(buf) {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let at = buf.length - 22; at >= lowest; at--) {
    if (buf.readUInt32LE(at) === END_SIGNATURE) {
      return at;
    }
  }
  throw new Error("zip: no end-of-central-directory record");
}
