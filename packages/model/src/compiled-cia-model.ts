import {
  type CompiledFeatureContract,
  compileFeatureContract,
  featureContractHash,
} from "@cia/logging-schema";
import type { CiaModel } from "./cia-model.js";
import { type CompiledUpliftPredictor, compileUpliftPredictor } from "./compiled-uplift-predictor.js";

/**
 * A model compiled for scoring one row at a time (online serving): the feature contract's checks
 * and transform ({@link compileFeatureContract}) and the effects ({@link compileUpliftPredictor}),
 * with one scratch row reused across calls. For a row that passes the contract it gives the
 * numbers `scoreCiaModel` gives for that row; a row that does not pass is left to `scoreCiaModel`
 * (its issues, messages and counts are that function's).
 */
export interface CompiledCiaModel {
  readonly nActions: number;
  readonly hasCost: boolean;
  readonly contract: CompiledFeatureContract;
  readonly predictor: CompiledUpliftPredictor;
  /**
   * Score one row of raw features (the contract's names as keys) into
   * `tauValue[outAt .. outAt + nActions)` and `tauCost` (when the model has a cost head); false,
   * with nothing written, when the row does not satisfy the contract.
   */
  scoreRow(
    features: Readonly<Record<string, unknown>>,
    tauValue: Float64Array,
    tauCost: Float64Array | null,
    outAt: number,
  ): boolean;
}

/**
 * Compile `model` for {@link CompiledCiaModel.scoreRow}, or null when it cannot be compiled (a
 * lifecycle-segmented model, a contract whose hash differs from the model's, an uplift model
 * `compileUpliftPredictor` does not cover): score those with `scoreCiaModel`.
 *
 * @example
 * const compiled = compileCiaModel(model);
 * const tv = new Float64Array(compiled.nActions), tc = new Float64Array(compiled.nActions);
 * if (compiled && compiled.scoreRow(request.features, tv, tc, 0)) decide(tv, tc);
 */
export function compileCiaModel(model: CiaModel): CompiledCiaModel | null {
  const file = model.file;
  if (file.segment !== null) return null;
  // modelInputs refuses a contract whose hash is not the model's; such a model is not compiled.
  if (featureContractHash(file.contract) !== file.contract_hash) return null;
  const predictor = compileUpliftPredictor(file.uplift);
  if (predictor === null) return null;
  const contract = compileFeatureContract(file.contract);
  if (contract.columns !== predictor.nFeatures || predictor.nActions !== file.actions.length) return null;
  const row = new Float64Array(contract.columns);
  return {
    nActions: predictor.nActions,
    hasCost: predictor.hasCost,
    contract,
    predictor,
    scoreRow(features, tauValue, tauCost, outAt) {
      if (!contract.fillRow(features, row, 0)) return false;
      predictor.predictRow(row, 0, tauValue, tauCost, outAt);
      return true;
    },
  };
}
