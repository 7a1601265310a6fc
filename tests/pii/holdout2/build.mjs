#!/usr/bin/env node
// Builds tests/pii/holdout2/holdout2.jsonl from tests/pii/holdout2/src/*.txt with the held-out
// sets' builder (tests/pii/holdout/build.mjs: source format, checks, --check, --lint).
//
//   node tests/pii/holdout2/build.mjs [--check] [--lint]
process.argv.splice(2, 0, '--set', 'holdout2');
await import('../holdout/build.mjs');
