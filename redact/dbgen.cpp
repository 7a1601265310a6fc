// redact_dbgen OUT: compiles the detector's pattern database and writes it serialised to OUT
// (build step; the binary embeds it so starting the gateway does not compile it again).
#include <hs/hs.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "redact/detector_patterns.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: redact_dbgen OUT\n");
    return 2;
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  lp::redact::patterns::collect(exprs, flags, ids);
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       nullptr, &db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "redact_dbgen: %s (pattern %d)\n", err && err->message ? err->message : "failed",
                 err ? err->expression : -1);
    return 1;
  }
  char* bytes = nullptr;
  std::size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) {
    std::fprintf(stderr, "redact_dbgen: serialisation failed\n");
    return 1;
  }
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f || std::fwrite(bytes, 1, size, f) != size || std::fclose(f) != 0) {
    std::fprintf(stderr, "redact_dbgen: cannot write %s\n", argv[1]);
    return 1;
  }
  std::free(bytes);
  hs_free_database(db);
  return 0;
}
