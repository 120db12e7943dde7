import { defineChatSettings } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { xssSuite } from './suites/xss.js';

xssSuite(useApi(defineChatSettings()));
