#include "redact/pattern_set.h"

#include <hs/hs.h>

#include <new>

namespace lp::redact {
namespace {
struct scratch_holder {
  hs_scratch_t* scratch = nullptr;
  ~scratch_holder() {
    if (scratch) hs_free_scratch(scratch);
  }
};

int on_hit(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  (*static_cast<std::vector<bool>*>(ctx))[id] = true;
  return 0;
}
}  // namespace

std::shared_ptr<const pattern_set> pattern_set::create(const std::vector<std::string>& patterns,
                                                       std::size_t& bad_index, std::string& error) {
  std::shared_ptr<pattern_set> set(new pattern_set());
  set->count_ = patterns.size();
  if (patterns.empty()) return set;
  constexpr unsigned flags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL;
  // Compile each pattern alone first, so an error names the pattern that caused it.
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    hs_database_t* one = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile(patterns[i].c_str(), flags, HS_MODE_BLOCK, nullptr, &one, &err) != HS_SUCCESS) {
      bad_index = i;
      error = err && err->message ? err->message : "invalid pattern";
      hs_free_compile_error(err);
      return nullptr;
    }
    hs_free_database(one);
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> fl(patterns.size(), flags), ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), fl.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       nullptr, &set->db_, &err) != HS_SUCCESS) {
    bad_index = err && err->expression >= 0 ? static_cast<std::size_t>(err->expression) : 0;
    error = err && err->message ? err->message : "pattern set too large";
    hs_free_compile_error(err);
    return nullptr;
  }
  return set;
}

pattern_set::~pattern_set() {
  if (db_) hs_free_database(db_);
}

bool pattern_set::scan(std::string_view text, std::vector<bool>& hits) const {
  if (!db_ || text.empty()) return true;
  if (text.size() > 0xffffffffu) return false;  // Hyperscan's length limit
  thread_local scratch_holder tl;
  if (hs_alloc_scratch(db_, &tl.scratch) != HS_SUCCESS) return false;
  return hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, tl.scratch, on_hit, &hits) == HS_SUCCESS;
}

}  // namespace lp::redact
