// @ts-check
/**
 * The pusher-js class from a loaded module: its CommonJS export is the class itself, or `{ default }`.
 * @param {any} mod
 */
export function pusherClass(mod) {
  return typeof mod === 'function' ? mod : mod.default;
}
