/** Stand-in for k6/crypto: the digests the scripts sign with. */
import { createHash, createHmac } from 'node:crypto';

export default {
  hmac: (alg: string, secret: string, data: string, encoding: 'hex'): string => createHmac(alg, secret).update(data).digest(encoding),
  md5: (data: string, encoding: 'hex'): string => createHash('md5').update(data).digest(encoding),
};
