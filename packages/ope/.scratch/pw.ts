import { pairwiseSum } from "@cia/core";
for (const n of [10000, 30000]) {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (((i * 7919) % 10007) / 10007) * (i % 3 === 0 ? 1e6 : 1e-3);
  console.log(n, pairwiseSum(x));
}
