/** IAM policy documents: read them as AWS returns them, merge ours in by Sid. */
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../deepFreeze';

export type Principal = '*' | Record<string, string | string[]>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export const emptyPolicy = (): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [],
});

/**
 * Documents already parsed, by their text: a health sweep reads a role or a
 * file system policy once and judges it for every connection that uses it,
 * and parsing was most of that work. Frozen, so sharing one is safe.
 */
const parsed = new LRUCache<string, PolicyDocument>({ max: 1000 });

/** IAM returns documents URL-encoded; EFS returns them plain. Read-only. */
export function parsePolicy(text: string | undefined): PolicyDocument {
  if (!text) return emptyPolicy();
  let document = parsed.get(text);
  if (!document) {
    const json = JSON.parse(
      text.trimStart().startsWith('{') ? text : decodeURIComponent(text),
    );
    const statements = json.Statement ?? [];
    document = deepFreeze({
      Version: json.Version ?? '2012-10-17',
      Statement: Array.isArray(statements) ? statements : [statements],
    });
    parsed.set(text, document);
  }
  return document;
}

/** Order-insensitive form: single values as one-element lists, lists sorted. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 1
      ? items[0]
      : items.map(i => JSON.stringify(i)).sort();
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, normalize((value as any)[k])]),
    );
  }
  return value;
}

const asWritten = (s: Statement) => JSON.stringify(s);
const orderInsensitive = (s: Statement) => JSON.stringify(normalize(s));

export function sameStatement(a: Statement, b: Statement): boolean {
  // Written as AWS returns what we wrote, so usually identical as written.
  return (
    asWritten(a) === asWritten(b) || orderInsensitive(a) === orderInsensitive(b)
  );
}

export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  return (
    a.Statement.length === b.Statement.length &&
    a.Statement.every((s, i) => sameStatement(s, b.Statement[i]))
  );
}

/**
 * Ours replace statements with the same Sid and are added when missing;
 * every other statement stays as it was, where it was.
 */
export function mergeStatements(
  existing: PolicyDocument,
  ours: Statement[],
): { document: PolicyDocument; changedSids: string[] } {
  const changedSids: string[] = [];
  const statements = [...existing.Statement];
  for (const statement of ours) {
    const i = statements.findIndex(s => s.Sid === statement.Sid);
    if (i >= 0 && sameStatement(statements[i], statement)) continue;
    changedSids.push(statement.Sid!);
    if (i >= 0) statements[i] = statement;
    else statements.push(statement);
  }
  return {
    document: { Version: existing.Version, Statement: statements },
    changedSids,
  };
}

export function withoutStatements(
  existing: PolicyDocument,
  sids: string[],
): PolicyDocument {
  return {
    Version: existing.Version,
    Statement: existing.Statement.filter(s => !sids.includes(s.Sid ?? '')),
  };
}

/** Every AWS principal a statement names, as written. */
export function awsPrincipals(statement: Statement): string[] {
  const p = statement.Principal;
  if (p === '*') return ['*'];
  const aws = p?.AWS;
  if (!aws) return [];
  return Array.isArray(aws) ? aws : [aws];
}

/** `arn:aws:iam::123456789012:root` or a bare account id: the whole account. */
export function isAccountRoot(principal: string): boolean {
  return (
    /^\d{12}$/.test(principal) ||
    /^arn:[\w-]+:iam::\d{12}:root$/.test(principal)
  );
}
