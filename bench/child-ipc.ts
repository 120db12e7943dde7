/** Talking to a benchmark server forked with an IPC channel. */
import type { ChildProcess } from 'node:child_process';

/** Sends `message` (if any) and resolves with the next reply (its `key` field, when given); rejects if the child exits first. */
export function askChild<T>(child: ChildProcess, message: string | undefined, key?: string): Promise<T> {
  return new Promise((done, fail) => {
    const onMessage = (reply: any) => {
      if (key && !(key in reply)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      done(key ? reply[key] : reply);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      fail(new Error(`server exited with ${code}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}
