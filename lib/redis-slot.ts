// The Redis Cluster slot of a key (CRC16/XMODEM of its hash tag, or of the whole key, mod 16384),
// computed here so that commands can be grouped by the node serving them without asking Redis.

export const SLOT_COUNT = 16_384;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    t[i] = crc & 0xffff;
  }
  return t;
})();

export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number)) & 0xffff;
  return crc;
}

/** The part of a key that is hashed: the first non-empty {...} tag, else the whole key. */
export function hashTag(key: string): string {
  const open = key.indexOf("{");
  if (open < 0) return key;
  const close = key.indexOf("}", open + 1);
  if (close <= open + 1) return key;
  return key.slice(open + 1, close);
}

export function keySlot(key: string): number {
  return crc16(Buffer.from(hashTag(key), "utf8")) % SLOT_COUNT;
}
