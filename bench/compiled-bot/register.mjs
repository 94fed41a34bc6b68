// `node --import ./bench/compiled-bot/register.mjs`: the bench's bot process runs the compiled
// bot from dist/ (`npm run build`), not its TypeScript sources. See hooks.mjs.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
