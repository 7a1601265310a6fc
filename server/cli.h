// Command-line entry: `leitplanke <command> [options]`. Usage errors exit 2.
#pragma once

namespace lp {
int run_cli(int argc, char** argv);
}
