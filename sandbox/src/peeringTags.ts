/**
 * EC2 keeps a cross-account VPC peering's tags per account: the requester
 * and the accepter each tag, and see, their own side of it. The emulator
 * keeps each account's tags apart too, but answers
 * DescribeVpcPeeringConnections with the requester's tags in every account.
 * This rewrites that answer's tag sets with the caller's own tags, read with
 * DescribeTags as the caller, so an accepter that tags its side sees it.
 */
export async function withCallersPeeringTags(
  xml: string,
  describeTags: (params: Record<string, string>) => Promise<string>,
): Promise<string> {
  const ITEM_END =
    /(?:<tagSet>(?:(?!<\/tagSet>)[\s\S])*<\/tagSet>|<tagSet\/>)?<vpcPeeringConnectionId>(pcx-[0-9a-f]+)<\/vpcPeeringConnectionId><\/item>/g;
  const ids = [...xml.matchAll(ITEM_END)].map(m => m[1]);
  if (ids.length === 0) return xml;
  const params: Record<string, string> = {
    Action: 'DescribeTags',
    'Filter.1.Name': 'resource-id',
  };
  ids.forEach((id, i) => {
    params[`Filter.1.Value.${i + 1}`] = id;
  });
  const tagsXml = await describeTags(params);
  const byId = new Map<string, string[]>();
  for (const [, item] of tagsXml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const field = (name: string) =>
      new RegExp(`<${name}>([^<]*)</${name}>`).exec(item)?.[1] ?? '';
    const id = field('resourceId');
    byId.set(id, [
      ...(byId.get(id) ?? []),
      `<item><key>${field('key')}</key><value>${field('value')}</value></item>`,
    ]);
  }
  return xml.replace(
    ITEM_END,
    (_, id: string) =>
      `<tagSet>${(byId.get(id) ?? []).join(
        '',
      )}</tagSet><vpcPeeringConnectionId>${id}</vpcPeeringConnectionId></item>`,
  );
}
