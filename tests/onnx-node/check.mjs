// Runs each case of a cases file (written by the C# test OnnxNodeCrossCheckTests) in onnxruntime-node and compares
// the outputs with those of ONNX Runtime for C#. Usage: node check.mjs cases.json
// A case: { "model": path, "input": name, "shape": [..], "data": [..], "output": name, "expected": [..] }.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const tolerance = 1e-5;
const file = process.argv[2];
if (!file) {
  console.error('usage: node check.mjs cases.json');
  process.exit(2);
}

const cases = JSON.parse(readFileSync(file, 'utf8'));
let failures = 0;
let worst = 0;
for (const c of cases) {
  const session = await ort.InferenceSession.create(c.model);
  const input = new ort.Tensor('float32', Float32Array.from(c.data), c.shape);
  const result = await session.run({ [c.input]: input });
  const actual = result[c.output].data;
  if (actual.length !== c.expected.length) {
    console.error(`${c.model}: onnxruntime-node returned ${actual.length} values: expected ${c.expected.length}`);
    failures++;
    continue;
  }

  let difference = 0;
  for (let i = 0; i < actual.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - c.expected[i]));
  }

  worst = Math.max(worst, difference);
  const ok = difference <= tolerance;
  failures += ok ? 0 : 1;
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${c.model}: max |node - C#| = ${difference.toExponential(3)} over ${actual.length} values`);
}

console.log(`onnxruntime-node ${ort.env.versions.common}: ${cases.length - failures} of ${cases.length} models agree (worst ${worst.toExponential(3)}, tolerance ${tolerance})`);
process.exit(failures === 0 ? 0 : 1);
