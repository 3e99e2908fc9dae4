// Sums vitest's JSON reports (<package>/.test-results/vitest.json) into the closing line CI reads:
// `N passed, N failed`. A package with a test script but no report counts as one failure, so a
// crashed run can never look green; no test at all is a failure too.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
for (const group of ["packages", "apps", "tooling"]) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    const pj = join(dir, name, "package.json");
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, "utf8"));
    if (!pkg.scripts?.test) continue;
    const report = join(dir, name, ".test-results", "vitest.json");
    if (!existsSync(report)) {
      failed += 1;
      problems.push(`${pkg.name}: no test report (the run crashed or did not start)`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, "utf8"));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if ((r.numFailedTestSuites ?? 0) > 0 && (r.numFailedTests ?? 0) === 0) {
      failed += r.numFailedTestSuites;
      problems.push(`${pkg.name}: ${r.numFailedTestSuites} test file(s) failed to load`);
    }
    console.log(
      `${pkg.name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests ?? 0} skipped`,
    );
  }
}
for (const p of problems) console.log(`!! ${p}`);
if (passed + failed === 0) {
  console.log("!! no test ran");
  failed = 1;
}
// Skips on their own line: the last line is exactly `N passed, N failed`, as CI parses it.
console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
