// The renditions benchmark's peer: sharp (libvips 8.18) making the SDK's three renditions (150 square, 640 and 1080 inside, JPEG
// quality 82, metadata stripped, auto-rotated) of every JPEG in DIR, CONCURRENCY photos at a time, its best way by default (decode once
// to 1080, derive the smaller sizes from that in memory) or one pipeline per size (MODE per-size). Prints {"renditionsPerSecond": x}.
// usage: node thumbs-sharp.mjs DIR CONCURRENCY [once|per-size]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";

const [dir, concurrency = "1", mode = "once"] = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".jpg")).sort().map((f) => readFileSync(join(dir, f)));
sharp.cache(false);

async function renditions(input) {
  if (mode === "per-size") {
    return Promise.all([
      sharp(input).rotate().resize(150, 150, { fit: "cover" }).jpeg({ quality: 82 }).toBuffer(),
      sharp(input).rotate().resize(640, 640, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer(),
      sharp(input).rotate().resize(1080, 1080, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer(),
    ]);
  }
  const { data, info } = await sharp(input).rotate().resize(1080, 1080, { fit: "inside", withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  return Promise.all([
    sharp(data, raw).jpeg({ quality: 82 }).toBuffer(),
    sharp(data, raw).resize(640, 640, { fit: "inside" }).jpeg({ quality: 82 }).toBuffer(),
    sharp(data, raw).resize(150, 150, { fit: "cover" }).jpeg({ quality: 82 }).toBuffer(),
  ]);
}

await renditions(files[0]); // warm-up
const start = process.hrtime.bigint();
let next = 0;
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (next < files.length) {
    await renditions(files[next++]);
  }
}));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ renditionsPerSecond: (files.length * 3) / seconds }));
