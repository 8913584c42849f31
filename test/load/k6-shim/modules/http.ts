/**
 * Stand-in for k6/http. k6's requests are synchronous; here the VU worker hands the request to the engine
 * thread and blocks on a shared buffer until the answer is written (Atomics.wait), which is what a k6 VU
 * does too: nothing else runs on it meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';

const shared = (workerData as { http: SharedArrayBuffer }).http;
const control = new Int32Array(shared, 0, 3);
const bytes = new Uint8Array(shared, 12);

export interface Response {
  status: number;
  body: string;
}

function request(method: string, url: string, body: string | null, params?: { headers?: Record<string, string> }): Response {
  Atomics.store(control, 0, 0);
  parentPort!.postMessage({ type: 'http', method, url, body, headers: params?.headers ?? {} });
  Atomics.wait(control, 0, 0);
  const status = Atomics.load(control, 1);
  const length = Atomics.load(control, 2);
  return { status, body: Buffer.from(bytes.subarray(0, length)).toString('utf8') };
}

export default {
  post: (url: string, body: string | null, params?: { headers?: Record<string, string> }) => request('POST', url, body, params),
  get: (url: string, params?: { headers?: Record<string, string> }) => request('GET', url, null, params),
};
