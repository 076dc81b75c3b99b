import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root, whether a script runs built (dist/scripts/) or from source (the tests). */
export const ROOT = path.resolve(__dirname, fs.existsSync(path.join(__dirname, '../package.json')) ? '..' : '../..');
