#!/usr/bin/env node

// The `pixcrawler` command: the compiled CLI in dist/ does the work.
require("../dist/cli/main.js").run();
