#include <exception>
#include <iostream>

#include "server/cli.h"

int main(int argc, char** argv) {
  try {
    return lp::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: " << e.what() << "\n";
    return 1;
  }
}
