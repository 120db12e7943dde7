/**
 * The apps of a project, each with its own migrations, and which app owns which entity class.
 * The package is an app too (`realtime_chat_messaging`); classes it does not know belong to the
 * app that lists them, else to the first app.
 */
import { ABSTRACT_ENTITIES, DEFAULT_MODELS, FIXED_ENTITIES } from '../entities/index.js';
import { PACKAGE_APP } from './types.js';

/** How an application declares one of its apps in `chatOrmConfig({ apps })`. */
export interface ChatAppOptions {
  /** Folder of the app's migrations (relative to the working directory): the modules run, and the sources the tool reads. */
  readonly migrations: string | { readonly path: string; readonly pathTs?: string };
  /** Entities defined by this app (custom models among them). Unlisted custom classes belong to the first app. */
  readonly entities?: readonly Function[];
}

/** An app, resolved. */
export interface ChatApp {
  readonly label: string;
  /** Folder of the migration modules to run. */
  readonly path: string;
  /** Folder of the migration sources, when they differ (TypeScript sources of compiled modules). */
  readonly pathTs?: string;
  readonly entities: readonly Function[];
}

/** The app label used when a project declares none. */
export const DEFAULT_APP_LABEL = 'app';

const PACKAGE_CLASSES = new Set<Function>([...Object.values(DEFAULT_MODELS), ...FIXED_ENTITIES, ...ABSTRACT_ENTITIES]);

/** Resolves the `apps` option (label → options) in declaration order. */
export function resolveApps(apps: Readonly<Record<string, ChatAppOptions>> | undefined): ChatApp[] {
  return Object.entries(apps ?? {}).map(([label, options]) => {
    const migrations = typeof options.migrations === 'string' ? { path: options.migrations } : options.migrations;
    return { label, path: migrations.path, ...(migrations.pathTs ? { pathTs: migrations.pathTs } : {}), entities: options.entities ?? [] };
  });
}

/** Who owns which entity class. */
export class AppRegistry {
  constructor(readonly apps: readonly ChatApp[]) {}

  /** The label of the app that owns a class. */
  appOf(cls: Function): string {
    if (PACKAGE_CLASSES.has(cls)) return PACKAGE_APP;
    const owner = this.apps.find(app => app.entities.includes(cls));
    return owner?.label ?? this.apps[0]?.label ?? DEFAULT_APP_LABEL;
  }

  /** The app with this label, if declared. */
  app(label: string): ChatApp | undefined {
    return this.apps.find(app => app.label === label);
  }
}

let active = new AppRegistry([]);

/** Makes these apps the process's active ones (the package's base migrations read them at run time). */
export function activateApps(registry: AppRegistry): void {
  active = registry;
}

/** The active apps. */
export function activeApps(): AppRegistry {
  return active;
}
