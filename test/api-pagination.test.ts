import { defineChatSettings } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { paginationSuite } from './suites/pagination.js';

paginationSuite(useApi(defineChatSettings()));
