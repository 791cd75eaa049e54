/** Kubernetes label and field selectors, as the API server reads them. */

type Requirement = (labels: Record<string, string>) => boolean;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

function requirement(term: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map(v => v.trim());
    return op === 'in'
      ? l => key in l && values.includes(l[key])
      : l => !(key in l) || !values.includes(l[key]);
  }
  m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? l => l[key] !== value : l => l[key] === value;
  }
  if (term.startsWith('!')) return l => !(term.slice(1) in l);
  if (/^[\w./-]+$/.test(term)) return l => term in l;
  throw new Error(`unable to parse requirement: ${term}`);
}

/** Returns a matcher, or throws with the API server's parse message. */
export function labelSelector(selector: string | null): Requirement {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map(requirement);
  return labels => requirements.every(r => r(labels));
}

function path(object: any, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce((o, k) => (o === null || o === undefined ? o : o[k]), object);
}

/** Field selectors: `a.b=c`, `a.b==c`, `a.b!=c`, comma-separated. */
export function fieldSelector(
  selector: string | null,
): (o: unknown) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map(t => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(t.trim());
    if (!m)
      throw new Error(`invalid selector: '${t}'; can't understand '${t}'`);
    const [, field, op, value] = m;
    return (o: unknown) =>
      op === '!='
        ? String(path(o, field) ?? '') !== value
        : String(path(o, field) ?? '') === value;
  });
  return o => terms.every(t => t(o));
}
