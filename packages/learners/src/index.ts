export type { Learner, FitOptions, FittedModel, ModelJson } from "./learner.js";
