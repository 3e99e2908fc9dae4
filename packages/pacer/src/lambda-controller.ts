import { CiaError } from "@cia/core";
import type { PacerErrorCode } from "./error-codes.js";
import { invalidOption } from "./invalid-option.js";

export interface LambdaControllerOptions {
  /** Step size eta (>= 0, finite): lambda moves by eta per unit of (normalized) spend error. */
  eta: number;
  /** Starting multiplier (finite, >= 0). Default 0. */
  initialLambda?: number | undefined;
  /** Upper bound of lambda (> 0; Infinity for none). Default Infinity. */
  lambdaMax?: number | undefined;
  /**
   * Spend errors are divided by this before the step (finite, > 0), so eta is unit-free when scale
   * is the typical target spend per step (e.g. B / T). Default 1.
   */
  scale?: number | undefined;
}

/** JSON state of a {@link LambdaController}. */
export interface LambdaControllerState {
  kind: "lambda-controller";
  version: 1;
  eta: number;
  lambdaMax: number | null;
  scale: number;
  lambda: number;
  steps: number;
  /** Sum of (spend - target) over all steps: the integral the controller acts on. */
  cumulativeError: number;
}

/**
 * Feedback pacing on the optimizer's budget multiplier lambda (the price of a unit of cost in
 * `score = value - lambda * cost`), by projected integral control in the manner of Balseiro and
 * Gur (2019, "Learning in repeated auctions with budgets", adaptive pacing):
 * lambda_{t+1} = min(lambdaMax, max(0, lambda_t - eta * (target_t - spend_t) / scale)).
 * Spending above target raises lambda (fewer, more efficient offers); below target lowers it.
 * With delayed redemption, `spend_t` should be the bias-calibrated liability of the step's
 * assignments (known at assignment), not cash redeemed, and `target_t` today's budget from
 * {@link todaysBudget}. Mutable on purpose (a controller has state); `toJSON` / `fromJSON` carry
 * it across runs.
 *
 * @example
 * const c = new LambdaController({ eta: 0.5, initialLambda: 1, scale: 1000 });
 * c.update({ target: 1000, spend: 1400 }); // 1.2: overspent by 40% of scale, lambda up by 0.5 * 0.4
 * const saved = JSON.stringify(c);         // later: LambdaController.fromJSON(JSON.parse(saved))
 */
export class LambdaController {
  readonly eta: number;
  readonly lambdaMax: number;
  readonly scale: number;
  private lambdaValue: number;
  private stepCount = 0;
  private errorSum = 0;

  constructor(options: LambdaControllerOptions) {
    const { eta } = options;
    const lambda0 = options.initialLambda ?? 0;
    const lambdaMax = options.lambdaMax ?? Number.POSITIVE_INFINITY;
    const scale = options.scale ?? 1;
    if (!(Number.isFinite(eta) && eta >= 0)) throw invalidOption("eta", eta, "finite and >= 0");
    if (!(lambdaMax > 0)) throw invalidOption("lambdaMax", lambdaMax, "> 0");
    if (!(Number.isFinite(lambda0) && lambda0 >= 0)) {
      throw invalidOption("initialLambda", lambda0, "finite and >= 0");
    }
    if (!(Number.isFinite(scale) && scale > 0)) throw invalidOption("scale", scale, "finite and > 0");
    this.eta = eta;
    this.lambdaMax = lambdaMax;
    this.scale = scale;
    this.lambdaValue = Math.min(lambda0, lambdaMax);
  }

  /** The current multiplier (finite, in [0, lambdaMax]). */
  get lambda(): number {
    return this.lambdaValue;
  }

  /** Number of updates so far. */
  get steps(): number {
    return this.stepCount;
  }

  /**
   * One control step after observing a period's spend against its target; returns the new lambda.
   * Both must be finite and >= 0 (a `CiaError` otherwise, and the state is left unchanged).
   */
  update(observation: { target: number; spend: number }): number {
    const { target, spend } = observation;
    if (!(Number.isFinite(target) && target >= 0))
      throw new CiaError<PacerErrorCode>("invalid_input", `target must be finite and >= 0, got ${target}`, {
        target,
      });
    if (!(Number.isFinite(spend) && spend >= 0))
      throw new CiaError<PacerErrorCode>("invalid_input", `spend must be finite and >= 0, got ${spend}`, {
        spend,
      });
    const error = (spend - target) / this.scale;
    // A huge error could overflow the step; the projection keeps lambda finite either way.
    const next =
      this.lambdaValue + this.eta * (Number.isFinite(error) ? error : Math.sign(error) * Number.MAX_VALUE);
    this.lambdaValue = Math.min(
      this.lambdaMax,
      Math.max(0, Number.isFinite(next) ? next : next > 0 ? Number.MAX_VALUE : 0),
    );
    this.stepCount++;
    this.errorSum += spend - target;
    return this.lambdaValue;
  }

  toJSON(): LambdaControllerState {
    return {
      kind: "lambda-controller",
      version: 1,
      eta: this.eta,
      lambdaMax: Number.isFinite(this.lambdaMax) ? this.lambdaMax : null,
      scale: this.scale,
      lambda: this.lambdaValue,
      steps: this.stepCount,
      cumulativeError: this.errorSum,
    };
  }

  /**
   * Restore a controller saved with `toJSON` (its lambda, step count and error integral).
   *
   * @example
   * const c = LambdaController.fromJSON({ kind: "lambda-controller", version: 1, eta: 0.5, lambdaMax: null, scale: 1, lambda: 2, steps: 3, cumulativeError: 0 });
   * c.lambda; // 2
   */
  static fromJSON(state: LambdaControllerState): LambdaController {
    if (state?.kind !== "lambda-controller" || state.version !== 1) {
      throw new CiaError<PacerErrorCode>("invalid_model", "not a lambda-controller v1 state", {
        kind: state?.kind,
        version: state?.version,
      });
    }
    const c = new LambdaController({
      eta: state.eta,
      initialLambda: state.lambda,
      lambdaMax: state.lambdaMax ?? Number.POSITIVE_INFINITY,
      scale: state.scale,
    });
    if (!(Number.isInteger(state.steps) && state.steps >= 0) || !Number.isFinite(state.cumulativeError)) {
      throw new CiaError<PacerErrorCode>(
        "invalid_model",
        "lambda-controller state has a bad steps or cumulativeError",
        {
          steps: state.steps,
        },
      );
    }
    c.stepCount = state.steps;
    c.errorSum = state.cumulativeError;
    return c;
  }
}
