/**
 * Test helpers of @cia/uplift, for its own tests and other packages' (`import { linearWorld } from
 * "@cia/uplift/test"`); not part of the main export list.
 */
export { linearWorld } from "./linear-world.js";
export type { LinearWorld } from "./linear-world.js";
export { twoArmWorld, twoArmPehe } from "./two-arm-world.js";
export type { TwoArmWorld } from "./two-arm-world.js";
export { smallHgb } from "./small-hgb.js";
export { armRmse, armMean } from "./effect-errors.js";
