/**
 * Derives the entity list for MikroORM from the settings: the fixed entities, the class standing
 * behind each token (default or custom), and the application's own entities. A swapped-out
 * default is left out, so its table is never created.
 */
import { ABSTRACT_BASES, ABSTRACT_ENTITIES, DEFAULT_MODELS, FIXED_ENTITIES } from '../entities/index.js';
import { ChatConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import type { EntityClass } from '../swappable/registry.js';
import { SWAP_TOKENS } from '../swappable/tokens.js';
import type { ChatSettings } from '../settings/types.js';

/** Every entity class MikroORM must discover for these settings, plus the application's `extra` ones. */
export function chatEntities(settings: ChatSettings, extra: readonly Function[] = []): Function[] {
  const problems: ConfigurationProblem[] = [];
  for (const cls of extra) {
    for (const token of SWAP_TOKENS) {
      const active = settings.models[token];
      if (cls === active) continue;
      const standsForToken = cls === DEFAULT_MODELS[token] || cls.prototype instanceof ABSTRACT_BASES[token];
      if (!standsForToken) continue;
      problems.push({
        path: `entities.${cls.name}`,
        message:
          `two classes for the ${token} model: ${active.name} (models.${token}) and ${cls.name} (listed in entities). ` +
          `Register the one you want under models.${token} and remove the other from entities`,
      });
    }
  }
  if (problems.length > 0) throw new ChatConfigurationError(problems);
  const active: EntityClass[] = SWAP_TOKENS.map(token => settings.models[token]);
  // Concrete entities first: discovery order matters (see ABSTRACT_ENTITIES).
  return unique([...FIXED_ENTITIES, ...active, ...extra, ...ABSTRACT_ENTITIES]);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
