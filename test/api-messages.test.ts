import { defineChatSettings } from '../src/index.js';
import { useApi } from './helpers/api.js';
import { messagesSuite } from './suites/messages.js';

messagesSuite(useApi(defineChatSettings()));
