/**
 * One part of the app's store. A slice writes only its own fields (its `set` takes nothing else)
 * and reads, or calls the actions of, the slices it is built on (`Uses`); those never reach back
 * up, so the store's parts stay layered and free of cycles.
 */
export type Slice<Own, Uses = object> = (
  set: (patch: Partial<Own> | ((state: Own & Uses) => Partial<Own>)) => void,
  get: () => Own & Uses,
) => Own;
