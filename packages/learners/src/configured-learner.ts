/**
 * Base of every learner here: the constructor only stores a frozen copy of the configuration
 * (sklearn's and CausalML's convention); validation and training happen in `fit`.
 *
 * @example
 * class MyLearner extends ConfiguredLearner<{ alpha?: number }> {}
 * new MyLearner({ alpha: 2 }).options.alpha; // 2
 */
export abstract class ConfiguredLearner<Options extends object> {
  readonly options: Readonly<Options>;

  constructor(options?: Options) {
    this.options = Object.freeze({ ...options }) as Readonly<Options>;
  }
}
