import { defineChatSettings } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { permissionsSuite } from './suites/permissions.js';

permissionsSuite(useApi(defineChatSettings()));
