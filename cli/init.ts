#!/usr/bin/env node
/** The `realtime-chat-messaging` command (package.json `bin`): a thin entry; the logic lives in src/scaffold. */
import { initMain } from '../src/scaffold/init-command.js';

process.exitCode = initMain(process.argv.slice(2), { out: text => console.log(text), err: text => console.error(text) });
