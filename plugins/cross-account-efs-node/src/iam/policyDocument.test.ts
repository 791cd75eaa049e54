import {
  isAccountRoot,
  mergeStatements,
  parsePolicy,
  withoutStatements,
} from './policyDocument';

describe('policy documents', () => {
  const theirs = {
    Sid: 'Theirs',
    Effect: 'Allow' as const,
    Principal: { AWS: 'arn:aws:iam::111111111111:role/a' },
    Action: 'elasticfilesystem:ClientMount',
  };
  const ours = {
    Sid: 'Ours',
    Effect: 'Allow' as const,
    Principal: { AWS: 'arn:aws:iam::222222222222:role/b' },
    Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
  };

  it('reads URL-encoded IAM documents and a single Statement object', () => {
    const doc = parsePolicy(
      encodeURIComponent(
        JSON.stringify({ Version: '2012-10-17', Statement: theirs }),
      ),
    );
    expect(doc.Statement).toEqual([theirs]);
  });

  it('adds ours and keeps every other statement where it was', () => {
    const { document, changedSids } = mergeStatements(
      { Version: '2012-10-17', Statement: [theirs] },
      [ours],
    );
    expect(document.Statement).toEqual([theirs, ours]);
    expect(changedSids).toEqual(['Ours']);
  });

  it('sees no change when ours is there with actions in another order', () => {
    const reordered = { ...ours, Action: [...ours.Action].reverse() };
    expect(
      mergeStatements(
        { Version: '2012-10-17', Statement: [theirs, reordered] },
        [ours],
      ).changedSids,
    ).toEqual([]);
  });

  it('replaces a drifted statement of ours in place', () => {
    const drifted = { ...ours, Action: 'elasticfilesystem:ClientMount' };
    const { document } = mergeStatements(
      { Version: '2012-10-17', Statement: [drifted, theirs] },
      [ours],
    );
    expect(document.Statement).toEqual([ours, theirs]);
  });

  it('removes only the statements it names', () => {
    expect(
      withoutStatements({ Version: '2012-10-17', Statement: [theirs, ours] }, [
        'Ours',
      ]).Statement,
    ).toEqual([theirs]);
  });

  it('recognises an account root principal in both spellings', () => {
    expect(isAccountRoot('arn:aws:iam::222222222222:root')).toBe(true);
    expect(isAccountRoot('222222222222')).toBe(true);
    expect(isAccountRoot('arn:aws:iam::222222222222:role/efs-csi-driver')).toBe(
      false,
    );
  });
});
