// `npm run dev`: the API (tsx watch, restarting on changes under src/) and Vite's dev server,
// whose proxy sends /api and /health to it, side by side in one terminal; Ctrl-C stops both.
import concurrently from 'concurrently';

const apiPort = process.env.PORT ?? '8080';
const { result } = concurrently(
  [
    { name: 'api', command: 'tsx watch src/cli/main.ts serve', env: { PORT: apiPort }, prefixColor: 'blue' },
    { name: 'web', command: 'vite --config web/vite.config.ts', env: { PORT: apiPort }, prefixColor: 'magenta' },
  ],
  { killOthersOn: ['failure', 'success'], prefix: 'name' },
);
result.catch(() => process.exit(1));
