/**
 * What options built by `chatOrmConfig` carry for the migration tool (settings, apps, where the
 * data lives), under a symbol MikroORM never reads: the tool finds the project in any config that
 * was built that way, however the config file is written.
 */
import type { ChatSettings } from '../settings/types.js';
import type { AppRegistry } from './apps.js';

/** The key under which the options carry what the migration tool needs (not enumerable). */
export const CHAT_PROJECT = Symbol.for('realtime-chat-messaging.project');

/** What `chatOrmConfig` options carry for the migration tool. */
export interface ChatProject {
  readonly settings: ChatSettings;
  readonly apps: AppRegistry;
  readonly baseDir: string;
  /** The database is an in-memory PGlite: nothing written to it outlives the process. */
  readonly inMemory: boolean;
  /** The PGlite data directory on disk, when the database is one (read-only tools check it exists). */
  readonly dataDir?: string;
}

/** The project of options built by `chatOrmConfig`, or undefined for any other options. */
export function chatProjectOf(options: unknown): ChatProject | undefined {
  return (options as Record<symbol, ChatProject | undefined> | undefined)?.[CHAT_PROJECT];
}

/** Attaches the project to the options (not enumerable, so MikroORM and a copy by spread never see it). */
export function attachChatProject<T extends object>(options: T, project: ChatProject): T {
  Object.defineProperty(options, CHAT_PROJECT, { value: project, enumerable: false });
  return options;
}
