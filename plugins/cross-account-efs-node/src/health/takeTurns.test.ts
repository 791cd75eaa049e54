import { takeTurns } from './takeTurns';

/** Holds the thread, as a connection's checks do. */
const busyFor = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

describe('takeTurns', () => {
  it('runs what fell due meanwhile (a timer) between one caller and the next', async () => {
    const myTurn = takeTurns();
    const order: string[] = [];
    await Promise.all(
      ['first', 'second', 'third'].map(async name => {
        await myTurn(1);
        if (name === 'first') setTimeout(() => order.push('timer'), 0);
        busyFor(3);
        order.push(name);
      }),
    );
    expect(order).toEqual(['first', 'timer', 'second', 'third']);
  });

  it('lets callers through in the order they asked', async () => {
    const myTurn = takeTurns();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async n => {
        await myTurn(1);
        order.push(n);
      }),
    );
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('lets the first lane through before the second', async () => {
    const myTurn = takeTurns();
    const order: string[] = [];
    await Promise.all([
      myTurn(1).then(() => order.push('b1')),
      myTurn(1).then(() => order.push('b2')),
      myTurn(0).then(() => order.push('a1')),
    ]);
    expect(order).toEqual(['a1', 'b1', 'b2']);
  });
});
