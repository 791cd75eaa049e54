import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets callers through one per turn of the event loop, the first lane
 * before the second. A sweep's connections move in step (one cluster's
 * discovery releases ten of them at once), so their checks would run as
 * one long burst of promise callbacks, and timers and sockets would wait
 * behind it: the sweep's own next AWS calls, and every other request the
 * backend serves. Taking turns, whatever fell due runs between one
 * connection's checks and the next's.
 */
export function takeTurns(): (lane: 0 | 1) => Promise<void> {
  const lanes: Array<Array<() => void>> = [[], []];
  let pumping = false;
  const pump = async () => {
    pumping = true;
    while (lanes[0].length || lanes[1].length) {
      await nextTurn();
      (lanes[0].length ? lanes[0] : lanes[1]).shift()!();
    }
    pumping = false;
  };
  return lane =>
    new Promise<void>(resolve => {
      lanes[lane].push(resolve);
      if (!pumping) void pump();
    });
}
