// A worker thread probing `/health` at workerData.url until the parent posts a message, then
// posting its report (or the error that stopped it). See `measureHealthOver`.
import { parentPort, workerData } from 'node:worker_threads';
import { probeHealthUntil } from './health-probe.js';

const port = parentPort!;
const { url } = workerData as { url: string };
let stopping = false;
port.once('message', () => (stopping = true));

const askHealth = async () => {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
};

probeHealthUntil(askHealth, () => stopping).then(
  (report) => port.postMessage(report),
  (error: unknown) => port.postMessage({ error: String(error) }),
);
