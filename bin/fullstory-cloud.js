#!/usr/bin/env node
'use strict'
// Runs the TypeScript CLI through tsx, so `npx fullstory-cloud` works right after `npm ci`, with no build step.
require('tsx/cjs')
require('../src/cli/main.ts')
