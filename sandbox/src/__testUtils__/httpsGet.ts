import { request } from 'node:https';

/** A GET that trusts only the cluster's own CA, as kubectl does with certificate-authority-data. */
export function httpsGet(
  url: string,
  cluster: { caData: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: Buffer.from(cluster.caData, 'base64').toString(), headers },
      res => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
