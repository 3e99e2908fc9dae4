/**
 * Test helpers of @cia/simulator, for its own tests and other packages' (`import { residualZ } from
 * "@cia/simulator/test"`); not part of the main export list.
 */
export { residualZ, diffInMeans, meanColumn } from "./stats.js";
export { learnabilityCell } from "./learnability-cell.js";
