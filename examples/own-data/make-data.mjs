// Writes examples/own-data/experiment.csv: a small, made-up incentive experiment in the shape of
// the experiment table (docs/file-formats.md). Deterministic: a seeded generator (mulberry32), no
// dependencies, so `node examples/own-data/make-data.mjs` gives the same bytes on any machine.
//
// The story: 6,000 customers of a shop were randomized (1/3 each) to no offer, a $5 coupon or a
// $15 coupon by e-mail; `value` is what they spent in the next 30 days, `cost` what the coupons
// they redeemed cost. Lapsed customers respond to the coupons; active ones mostly redeem coupons
// they did not need (cost without incremental value), which is what a good policy must see.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261206);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const regions = ["north", "south", "east", "west"];
const actions = ["control", "coupon_5", "coupon_15"];
const face = [0, 5, 15];
const round2 = (x) => Math.round(x * 100) / 100;

const lines = [
  "unit_id,action,propensity,value,cost,days_inactive,orders_90d,avg_basket,tenure_months,region",
];
for (let i = 0; i < 6000; i++) {
  const daysInactive = Math.floor(-Math.log(1 - rand()) * 35);
  const orders = Math.max(0, Math.round(3 * Math.exp(-daysInactive / 40) + normal()));
  const basket = round2(Math.max(8, 40 + 15 * normal()));
  const tenure = 1 + Math.floor(rand() * 60);
  const region = regions[Math.floor(rand() * 4)];
  const a = Math.floor(rand() * 3);
  // Probability of buying in the next 30 days without an offer, and the lift each coupon adds:
  // customers drifting away (2-8 weeks inactive) respond, long-gone ones hardly do, and the $15
  // coupon adds most for big baskets. "Inactive 30+ days -> $15" misses part of this.
  const base = 0.55 * Math.exp(-daysInactive / 45) + 0.05;
  const drifting = Math.exp(-(((daysInactive - 35) / 22) ** 2));
  const lift =
    a === 0 ? 0 : a === 1 ? 0.22 * drifting : 0.26 * drifting + (basket > 50 ? 0.1 * drifting + 0.02 : 0);
  const buys = rand() < Math.min(0.95, base + lift);
  const spend = buys ? round2(basket * (1 + 0.3 * rand())) : 0;
  // A buyer with a coupon redeems it (most of the time); the cost is its face value.
  const redeemed = a > 0 && buys && rand() < 0.85;
  lines.push(
    [
      `c${String(i + 1).padStart(4, "0")}`,
      actions[a],
      "0.3333333333333333",
      spend,
      redeemed ? face[a] : 0,
      daysInactive,
      orders,
      basket,
      tenure,
      region,
    ].join(","),
  );
}
// An optional argument writes elsewhere (the test regenerates the file and compares the bytes).
const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "experiment.csv");
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`wrote ${out} (${lines.length - 1} rows)`);
