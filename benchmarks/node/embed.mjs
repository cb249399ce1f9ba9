// onnxruntime-node on the same model and batch size as `./build.sh bench embed`: inference only, on one fixed random batch.
// usage: node embed.mjs MODEL.onnx BATCH SECONDS  -> prints {"onnxruntimeNodePerSecond": images/s}
import * as ort from 'onnxruntime-node';

const [model, batchText, secondsText] = process.argv.slice(2);
const batch = Number(batchText), seconds = Number(secondsText ?? 10);
const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
const input = session.inputNames[0];
const data = new Float32Array(batch * 3 * 224 * 224).map(() => Math.random() * 2 - 1);
const feeds = { [input]: new ort.Tensor('float32', data, [batch, 3, 224, 224]) };
for (let i = 0; i < 3; i++) await session.run(feeds);  // warm-up
let images = 0;
const start = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - start) / 1e9 < seconds) {
  await session.run(feeds);
  images += batch;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ onnxruntimeNodePerSecond: images / elapsed, version: ort.env.versions.common }));
