/** One action of a world: its name, face value and delivery channel (index 0 is the no-offer arm). */
export interface ActionSpec {
  /** "control" for index 0; e.g. "offer_5", "offer_10"... */
  name: string;
  /** Face value of the incentive credit (0 for control). */
  credit: number;
  /**
   * Delivery channel of the offer (e.g. "push", "email"); it changes who sees it (non-compliance).
   * Absent for control and in worlds with a single channel.
   */
  channel?: string | undefined;
}
