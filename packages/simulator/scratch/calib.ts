const n = 5_000_000; const a = new Float64Array(n).fill(1.5); const b = new Float64Array(n);
for (let r = 0; r < 3; r++) { const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) b[i] = Math.exp(-a[i]! * 0.3) * a[i]! + 1; const c = process.cpuUsage(c0); console.log("exp loop 5M user ms", c.user / 1000, "sys", c.system/1000); }
